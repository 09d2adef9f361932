//! Decoding a list body while it streams in: each element of the top-level JSON
//! array is decoded as soon as its last byte arrives and its bytes are dropped,
//! so a list of 50,000 users never holds the whole body next to the decoded
//! users (docs/performance.md, "Rust list memory").
//!
//! Same results as `serde_json::from_slice` of the whole body, including the
//! shapes of D6/D7: an empty body is no items, an object is one item.

use serde::de::DeserializeOwned;

use crate::transport::BodySink;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Before the first non-blank byte.
    Start,
    /// Inside the top-level array, between or within elements.
    Array,
    /// After the closing `]`: only blanks may follow.
    Closed,
    /// The body is one object (or another value): kept whole, decoded at the end.
    Single,
}

/// How many elements are decoded before their average size estimates the item
/// count from the body's length: enough to smooth out one odd element, few
/// enough that the list has not yet grown through many reallocations.
const SAMPLE: usize = 16;

/// A [`BodySink`] that decodes a JSON array of `T` element by element.
///
/// Elements are decoded straight from the chunk they arrive in; only an element
/// that straddles a chunk boundary is copied (into `pending`), so most of the
/// body's bytes are read once by the scanner and once by serde_json, never copied.
#[derive(Debug)]
pub struct ArrayDecoder<T> {
    phase: Phase,
    /// The bytes so far of the element that straddles chunks (in `Single`: the
    /// whole body). Empty whenever the current element began in the current chunk.
    pending: Vec<u8>,
    /// Nesting depth inside the current element (0 between elements).
    depth: usize,
    in_string: bool,
    escaped: bool,
    /// Whether the array has had an element or a comma (a `]` right after `[` is fine).
    started: bool,
    /// The current element was already decoded in place (by [`Self::try_in_place`]);
    /// only blanks may follow it before the next `,` or `]`.
    decoded_ahead: bool,
    items: Vec<T>,
    error: Option<String>,
    /// The body's announced length (`Content-Length`), when known.
    expected_len: Option<u64>,
    /// Items taken out by [`ArrayDecoder::drain`] so far (they still count in
    /// error messages' item numbers).
    drained: usize,
    /// Items are drained as they come: no point sizing the list for all of them.
    streaming: bool,
    /// Bytes of the elements decoded so far, separators included.
    decoded_bytes: u64,
}

impl<T> Default for ArrayDecoder<T> {
    fn default() -> Self {
        Self {
            phase: Phase::Start,
            pending: Vec::new(),
            depth: 0,
            in_string: false,
            escaped: false,
            started: false,
            decoded_ahead: false,
            items: Vec::new(),
            error: None,
            expected_len: None,
            decoded_bytes: 0,
            drained: 0,
            streaming: false,
        }
    }
}

impl<T: DeserializeOwned> ArrayDecoder<T> {
    /// A decoder for one body.
    pub fn new() -> Self {
        Self::default()
    }

    /// A decoder whose items are taken out as they come ([`ArrayDecoder::drain`]).
    pub fn streaming() -> Self {
        Self { streaming: true, ..Self::default() }
    }

    /// Takes out the items decoded so far.
    pub fn drain(&mut self) -> std::vec::Drain<'_, T> {
        self.drained += self.items.len();
        self.items.drain(..)
    }

    /// The decoded items (those not drained), or why the body is not a JSON
    /// array (or object) of `T`.
    pub fn finish(mut self) -> std::result::Result<Vec<T>, String> {
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        match self.phase {
            Phase::Start => Ok(Vec::new()),
            Phase::Closed => {
                // An estimate a little high leaves unused capacity; give it back (for a
                // large list this is an in-place `mremap`, not a copy).
                if self.items.capacity() - self.items.len() > self.items.len() / 64 {
                    self.items.shrink_to_fit();
                }
                Ok(self.items)
            }
            Phase::Array => Err("EOF while parsing a list".into()),
            Phase::Single => {
                serde_json::from_slice(&self.pending).map(|one| vec![one]).map_err(|e| e.to_string())
            }
        }
    }

    fn fail(&mut self, message: String) -> bool {
        self.error = Some(message);
        self.pending = Vec::new();
        false
    }

    /// Decodes one complete element (its bytes without the `,` or `]` after it).
    fn element(&mut self, element: &[u8], end: u8) -> bool {
        if self.decoded_ahead {
            // Its value was decoded in place; what is left before the separator must be blank.
            self.decoded_ahead = false;
            return match element.iter().find(|b| !b.is_ascii_whitespace()) {
                None => true,
                Some(&b) => {
                    let n = self.drained + self.items.len() - 1;
                    self.fail(format!("item {n}: trailing characters: {:?}", b as char))
                }
            };
        }
        if end == b']' && !self.started && element.iter().all(u8::is_ascii_whitespace) {
            return true; // `[]`: no element at all
        }
        match serde_json::from_slice::<T>(element) {
            Ok(item) => self.push(item, element.len()),
            Err(e) => {
                let n = self.drained + self.items.len();
                return self.fail(format!("item {n}: {e}"));
            }
        }
        true
    }

    fn push(&mut self, item: T, len: usize) {
        self.items.push(item);
        self.decoded_bytes += len as u64 + 1;
        if self.items.len() == SAMPLE && !self.streaming {
            self.reserve_estimate();
        }
    }

    /// Decodes the element that begins at `rest[0]` in one pass, without first
    /// scanning for its end, when the chunk holds all of it (the common case:
    /// chunks are far larger than elements). Returns how many bytes it took, or
    /// `None` when it may not be complete here or is malformed: the scanner then
    /// finds its end as usual and decodes it from exactly its bytes, so results
    /// and errors stay those of `serde_json::from_slice`.
    ///
    /// `rest` is text already checked to be UTF-8 (the chunk is checked once,
    /// in bulk), so serde_json does not check each string again.
    fn try_in_place(&mut self, rest: &str) -> Option<usize> {
        let mut values = serde_json::Deserializer::from_str(rest).into_iter::<T>();
        let item = values.next()?.ok()?;
        let used = values.byte_offset();
        // A value that ends exactly at the chunk's end may go on in the next one
        // (`12` of `123`); at least one byte must follow it here.
        if used >= rest.len() {
            return None;
        }
        self.push(item, used);
        self.decoded_ahead = true;
        Some(used)
    }

    /// Sizes the item list once, from the body's length and the average size of
    /// the first elements, instead of letting it double its way up.
    fn reserve_estimate(&mut self) {
        let Some(total) = self.expected_len else { return };
        let average = self.decoded_bytes / self.items.len() as u64;
        if average == 0 {
            return;
        }
        // A little over the estimate, so an uneven list rarely needs one more doubling.
        let estimate = total / average;
        let estimate = estimate + estimate / 32 + 1;
        // Never more than the body could hold (each element takes at least 2 bytes).
        let estimate = estimate.min(total / 2) as usize;
        self.items.reserve_exact(estimate.saturating_sub(self.items.len()));
    }

    /// Scans one chunk of the array: every element that ends in it is decoded in
    /// place (after the bytes `pending` holds of it, if it began in an earlier
    /// chunk); the bytes of an element still open at the end go to `pending`.
    fn scan(&mut self, chunk: &[u8]) -> bool {
        // Where the current element's bytes begin in this chunk.
        let mut start = 0;
        let mut i = 0;
        // The chunk's longest UTF-8 prefix (a chunk may end inside a character),
        // checked once for all the elements decoded in place; what lies beyond it
        // goes the scanner's way, and serde_json reports any invalid byte there.
        let text = match std::str::from_utf8(chunk) {
            Ok(text) => text,
            Err(e) => std::str::from_utf8(&chunk[..e.valid_up_to()]).unwrap_or_default(),
        };
        while i < chunk.len() {
            if self.phase == Phase::Closed {
                return match chunk[i..].iter().find(|b| !b.is_ascii_whitespace()) {
                    Some(&b) => self.fail(format!("trailing characters after the list: {:?}", b as char)),
                    None => true,
                };
            }
            let b = chunk[i];
            if self.in_string {
                if self.escaped {
                    self.escaped = false;
                } else {
                    // Strings hold most of a list's bytes: jump to the next quote or backslash.
                    match memchr::memchr2(b'"', b'\\', &chunk[i..]) {
                        None => break,
                        Some(at) => {
                            i += at;
                            if chunk[i] == b'\\' {
                                self.escaped = true;
                            } else {
                                self.in_string = false;
                            }
                        }
                    }
                }
            } else {
                if self.depth == 0
                    && self.pending.is_empty()
                    && !self.decoded_ahead
                    && !matches!(b, b',' | b']' | b' ' | b'\n' | b'\r' | b'\t')
                    && b.is_ascii()
                    && i < text.len()
                {
                    // `b` is ASCII and within the checked prefix, so `i` is a character boundary.
                    if let Some(used) = self.try_in_place(&text[i..]) {
                        i += used;
                        start = i;
                        continue;
                    }
                }
                match b {
                    b'"' => self.in_string = true,
                    b'{' | b'[' => self.depth += 1,
                    b'}' | b']' if self.depth > 0 => self.depth -= 1,
                    b',' | b']' if self.depth == 0 => {
                        // Depth 0: the element (up to here) is complete.
                        let ok = if self.pending.is_empty() {
                            self.element(&chunk[start..i], b)
                        } else {
                            let mut element = std::mem::take(&mut self.pending);
                            element.extend_from_slice(&chunk[start..i]);
                            let ok = self.element(&element, b);
                            if ok {
                                // Keep the buffer for the next straddling element.
                                element.clear();
                                self.pending = element;
                            }
                            ok
                        };
                        if !ok {
                            return false;
                        }
                        self.started = true;
                        start = i + 1;
                        if b == b']' {
                            self.phase = Phase::Closed;
                        }
                    }
                    _ => {}
                }
            }
            i += 1;
        }
        if self.phase != Phase::Closed {
            self.pending.extend_from_slice(&chunk[start..]);
        }
        true
    }
}

impl<T: DeserializeOwned + Send> BodySink for ArrayDecoder<T> {
    fn reset(&mut self) {
        *self = Self { streaming: self.streaming, ..Self::default() };
    }

    fn expect_len(&mut self, len: u64) {
        self.expected_len = Some(len);
    }

    fn feed(&mut self, mut chunk: &[u8]) -> bool {
        if self.error.is_some() {
            return false;
        }
        if self.phase == Phase::Start {
            let blanks = chunk.iter().take_while(|b| b.is_ascii_whitespace()).count();
            chunk = &chunk[blanks..];
            match chunk.first() {
                None => return true,
                Some(b'[') => {
                    self.phase = Phase::Array;
                    chunk = &chunk[1..];
                }
                Some(_) => self.phase = Phase::Single,
            }
        }
        if self.phase == Phase::Single {
            self.pending.extend_from_slice(chunk);
            return true;
        }
        self.scan(chunk)
    }
}

/// A [`BodySink`] that hands each element of a JSON array of `T` to `each` as
/// soon as it is decoded, keeping none: memory stays flat however long the
/// list (docs/performance.md, "Streamed lists").
///
/// What was handed on cannot be taken back, so a second attempt at the body
/// (a retry after the answer broke off) is refused once anything was handed on.
pub struct EachDecoder<T, F> {
    decoder: ArrayDecoder<T>,
    each: F,
    handed: usize,
    /// `each` asked to stop: the rest of the body is not needed.
    stopped: bool,
    error: Option<String>,
}

impl<T: DeserializeOwned, F: FnMut(T) -> bool> EachDecoder<T, F> {
    /// Hands elements to `each`, which returns `false` to stop early.
    pub fn new(each: F) -> Self {
        Self { decoder: ArrayDecoder::streaming(), each, handed: 0, stopped: false, error: None }
    }

    fn hand_on(&mut self) {
        let Self { decoder, each, handed, stopped, .. } = self;
        *stopped = hand_all(decoder.drain(), each, handed);
    }

    /// How many elements were handed on, or why the body is not a JSON array
    /// (or object) of `T` (the elements before the faulty one were handed on).
    pub fn finish(mut self) -> std::result::Result<usize, String> {
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        if !self.stopped {
            hand_all(self.decoder.finish()?.into_iter(), &mut self.each, &mut self.handed);
        }
        Ok(self.handed)
    }
}

/// Hands `items` to `each`, counting them in `handed`, until it asks to stop;
/// whether it did.
fn hand_all<T>(items: impl Iterator<Item = T>, each: &mut impl FnMut(T) -> bool, handed: &mut usize) -> bool {
    for item in items {
        *handed += 1;
        if !each(item) {
            return true;
        }
    }
    false
}

impl<T: DeserializeOwned + Send, F: FnMut(T) -> bool + Send> BodySink for EachDecoder<T, F> {
    fn reset(&mut self) {
        if self.handed > 0 && self.error.is_none() {
            self.error = Some(format!(
                "the answer broke off after {} items were handed on; they cannot be taken back, so it \
                 was not read again",
                self.handed
            ));
        }
        self.decoder.reset();
    }

    fn expect_len(&mut self, len: u64) {
        self.decoder.expect_len(len);
    }

    fn feed(&mut self, chunk: &[u8]) -> bool {
        if self.error.is_some() || self.stopped {
            return false;
        }
        let ok = self.decoder.feed(chunk);
        self.hand_on();
        ok && !self.stopped
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::users::User;
    use serde_json::Value;

    fn decode_in_chunks(body: &[u8], size: usize) -> std::result::Result<Vec<Value>, String> {
        let mut d = ArrayDecoder::<Value>::new();
        for chunk in body.chunks(size.max(1)) {
            if !d.feed(chunk) {
                break;
            }
        }
        d.finish()
    }

    const TRICKY: &str = r#" [ {"a": "x,]}\"\\", "b": [1, [2, {"c": "]"}]], "ü": "\u00fc"},
        {"empty": {}, "list": []} ,{"n": -1.5e3, "t": true, "z": null}, "s,tr]", 7, [] ] "#;

    #[test]
    fn any_split_gives_what_from_slice_gives() {
        let whole: Vec<Value> = serde_json::from_str(TRICKY).unwrap();
        for size in 1..=TRICKY.len() {
            assert_eq!(decode_in_chunks(TRICKY.as_bytes(), size).unwrap(), whole, "chunks of {size}");
        }
        // Top-level values that a split can cut into a shorter valid value (`123` → `12`).
        let scalars = r#"[12345,-6.5e10,true,false,null,"abc",98765]"#;
        let whole: Vec<Value> = serde_json::from_str(scalars).unwrap();
        for size in 1..=scalars.len() {
            assert_eq!(decode_in_chunks(scalars.as_bytes(), size).unwrap(), whole, "chunks of {size}");
        }
    }

    #[test]
    fn documented_shapes_empty_object_and_empty_array() {
        assert_eq!(decode_in_chunks(b"", 4).unwrap(), Vec::<Value>::new());
        assert_eq!(decode_in_chunks(b"  \n", 1).unwrap(), Vec::<Value>::new());
        assert_eq!(decode_in_chunks(b"[]", 1).unwrap(), Vec::<Value>::new());
        assert_eq!(decode_in_chunks(b" [ \n ] ", 1).unwrap(), Vec::<Value>::new());
        for size in 1..8 {
            assert_eq!(
                decode_in_chunks(br#" {"id": 1} "#, size).unwrap(),
                vec![serde_json::json!({"id": 1})]
            );
        }
    }

    #[test]
    fn malformed_bodies_are_errors_like_from_slice() {
        for bad in [
            "[1,]",
            "[,1]",
            "[1 2]",
            "[{}{}]",
            "[1] x",
            "[1]]",
            "[1",
            "[{\"a\": 1}",
            "[\"unterminated]",
            "<html>oops",
            "{\"a\": }",
            "[{\"a\": 1},, {}]",
            // After a value decoded in place, anything but blanks before the separator.
            "[{} x]",
            "[{\"a\": 1} {\"b\": 2}, 3]",
            "[\"s\"\"t\"]",
            "[[1] [2]]",
            // Values cut short, at every split (some end in errors that are not EOF).
            "[-]",
            "[1.]",
            "[1e]",
            "[tru]",
            "[\"\\u00\"]",
            "[ü]",
            "[1, ü]",
        ] {
            assert!(serde_json::from_str::<Vec<Value>>(bad).is_err(), "{bad} is invalid JSON");
            for size in 1..=bad.len() {
                assert!(decode_in_chunks(bad.as_bytes(), size).is_err(), "{bad:?} in chunks of {size}");
            }
        }
    }

    #[test]
    fn invalid_utf8_is_an_error_at_any_split_and_valid_text_decodes() {
        let bad: &[u8] = b"[{\"a\": \"ok\"}, {\"b\": \"\xff\"}, {\"c\": 1}]";
        let good = "[{\"a\": \"h\u{e9}llo \u{1f600}\"}, {\"b\": \"\u{4e2d}\u{6587}\"}, 3]";
        let whole: Vec<Value> = serde_json::from_str(good).unwrap();
        for size in 1..=bad.len() {
            assert!(decode_in_chunks(bad, size).is_err(), "chunks of {size}");
        }
        for size in 1..=good.len() {
            assert_eq!(decode_in_chunks(good.as_bytes(), size).unwrap(), whole, "chunks of {size}");
        }
    }

    #[test]
    fn each_hands_on_elements_as_they_complete_and_never_twice() {
        let mut got = Vec::new();
        let mut d = EachDecoder::new(|v: Value| {
            got.push(v);
            true
        });
        d.reset();
        assert!(d.feed(b"[{\"a\": 1}, {\"b\""));
        assert!(d.feed(b": 2}, 3"));
        // A second attempt at the body after elements were handed on is refused:
        // handing them on again would duplicate them.
        d.reset();
        assert!(!d.feed(b"[{\"a\": 1}, {\"b\": 2}, 3]"));
        let err = d.finish().unwrap_err();
        assert!(err.contains("after 2 items were handed on"), "{err}");
        assert_eq!(got, vec![serde_json::json!({"a": 1}), serde_json::json!({"b": 2})]);

        // Before anything was handed on, a second attempt starts over cleanly.
        let mut got = Vec::new();
        let mut d = EachDecoder::new(|v: u32| {
            got.push(v);
            true
        });
        assert!(d.feed(b"[1"));
        d.reset();
        assert!(d.feed(b"[1, 2, 3]"));
        assert_eq!(d.finish(), Ok(3));
        assert_eq!(got, vec![1, 2, 3]);
    }

    #[test]
    fn element_errors_name_the_item_and_reset_starts_over() {
        let mut d = ArrayDecoder::<u32>::new();
        assert!(!d.feed(b"[1, 2, \"three\"]"));
        assert!(d.finish().unwrap_err().starts_with("item 2:"));

        let mut d = ArrayDecoder::<u32>::new();
        assert!(d.feed(b"[1, 2"));
        d.reset(); // a retried attempt starts from scratch
        assert!(d.feed(b"[3]"));
        assert_eq!(d.finish().unwrap(), vec![3]);
    }

    #[test]
    fn completed_elements_are_dropped_as_they_arrive() {
        let mut d = ArrayDecoder::<Value>::new();
        let element = br#"{"loginName": "a.long.enough.login.name", "skillIds": [1, 2, 3]}"#;
        assert!(d.feed(b"["));
        for _ in 0..1000 {
            assert!(d.feed(element));
            assert!(d.feed(b","));
            assert!(d.pending.len() <= element.len() + 1, "{} bytes pending", d.pending.len());
        }
        assert!(d.feed(element));
        assert!(d.feed(b"]"));
        assert_eq!(d.finish().unwrap().len(), 1001);
    }

    /// Users in every shape the lenient reader takes: ids as strings, `null`
    /// lists, nested links, unknown fields (one with an exact big number), keys
    /// with escapes (not borrowable from the input) and blanks around everything.
    const USERS: &str = r#"[ {"id": 1, "loginName": "a,]}\"x", "skillIds": [3, "4", null], "memberOf": {"agentGroupId": "7", "assignmentDate": "2024-01-01 00:00:00"}},
      {"id": "2", "login\u004eame": "b", "isEnabled": "true", "profileIds": null, "custom": {"deep": [1, {"x": "]"}]}, "big": 123456789012345678901234567890},
      {"managerOf": [{"agentGroupId": 1}, {"agentGroupId": "2", "z": 1.50}], "lobIds": [], "maxAsyncChats": null, "pid": 5} ,
      {} ]  "#;

    fn users_in_chunks(
        body: &[u8],
        size: usize,
        hint: Option<u64>,
    ) -> std::result::Result<Vec<User>, String> {
        let mut d = ArrayDecoder::<User>::new();
        if let Some(h) = hint {
            d.expect_len(h);
        }
        for chunk in body.chunks(size.max(1)) {
            if !d.feed(chunk) {
                break;
            }
        }
        d.finish()
    }

    #[test]
    fn users_any_split_and_any_hint_give_what_from_slice_gives() {
        let whole: Vec<User> = serde_json::from_str(USERS).unwrap();
        let wire = |users: &[User]| crate::api::lenient::to_wire_vec(users).unwrap();
        for hint in [None, Some(0), Some(1), Some(USERS.len() as u64), Some(u64::MAX)] {
            for size in 1..=USERS.len() {
                let got = users_in_chunks(USERS.as_bytes(), size, hint).unwrap();
                assert_eq!(got, whole, "chunks of {size}, hint {hint:?}");
                // Kept exact texts too (not part of `==`): the same request body.
                assert_eq!(wire(&got), wire(&whole), "chunks of {size}, hint {hint:?}");
            }
        }
    }

    #[test]
    fn two_uneven_chunks_split_anywhere() {
        let whole: Vec<Value> = serde_json::from_str(TRICKY).unwrap();
        let body = TRICKY.as_bytes();
        for a in 0..=body.len() {
            for b in a..=body.len() {
                let mut d = ArrayDecoder::<Value>::new();
                assert!(d.feed(&body[..a]) && d.feed(&body[a..b]) && d.feed(&body[b..]), "{a}/{b}");
                assert_eq!(d.finish().unwrap(), whole, "split at {a} and {b}");
            }
        }
    }

    #[test]
    fn elements_inside_one_chunk_are_decoded_in_place() {
        let mut d = ArrayDecoder::<Value>::new();
        assert!(d.feed(TRICKY.as_bytes()));
        assert_eq!(d.pending.capacity(), 0, "no element was copied");
        assert_eq!(d.finish().unwrap().len(), 6);

        // Only the element cut by the chunk boundary is copied.
        let mut d = ArrayDecoder::<Value>::new();
        assert!(d.feed(br#"[{"a": 1}, {"b": "#));
        assert_eq!(d.pending, br#" {"b": "#);
        assert!(d.feed(br#"2}, {"c": 3}]"#));
        assert!(d.pending.is_empty());
        assert_eq!(d.finish().unwrap().len(), 3);
    }

    #[test]
    fn the_length_hint_sizes_the_list_once() {
        let element = r#"{"loginName": "some.login", "skillIds": [1, 2]}"#;
        let body = format!("[{}]", vec![element; 1000].join(","));
        let mut d = ArrayDecoder::<User>::new();
        d.expect_len(body.len() as u64);
        for chunk in body.as_bytes().chunks(100) {
            assert!(d.feed(chunk));
            if d.items.len() >= SAMPLE {
                assert!(
                    d.items.capacity() >= 1000,
                    "reserved {} after {}",
                    d.items.capacity(),
                    d.items.len()
                );
            }
        }
        let users = d.finish().unwrap();
        assert_eq!(users.len(), 1000);
        assert_eq!(users.capacity(), 1000, "no spare room kept");
    }
}
