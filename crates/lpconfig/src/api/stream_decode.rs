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

/// A [`BodySink`] that decodes a JSON array of `T` element by element.
#[derive(Debug)]
pub struct ArrayDecoder<T> {
    phase: Phase,
    /// Bytes not yet decoded: at most the element in progress plus one chunk.
    pending: Vec<u8>,
    /// Where scanning resumes in `pending`.
    scan: usize,
    /// Nesting depth inside the current element (0 between elements).
    depth: usize,
    in_string: bool,
    escaped: bool,
    /// Whether the array has had an element or a comma (a `]` right after `[` is fine).
    started: bool,
    items: Vec<T>,
    error: Option<String>,
}

impl<T> Default for ArrayDecoder<T> {
    fn default() -> Self {
        Self {
            phase: Phase::Start,
            pending: Vec::new(),
            scan: 0,
            depth: 0,
            in_string: false,
            escaped: false,
            started: false,
            items: Vec::new(),
            error: None,
        }
    }
}

impl<T: DeserializeOwned> ArrayDecoder<T> {
    /// A decoder for one body.
    pub fn new() -> Self {
        Self::default()
    }

    /// The decoded items, or why the body is not a JSON array (or object) of `T`.
    pub fn finish(mut self) -> std::result::Result<Vec<T>, String> {
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        match self.phase {
            Phase::Start => Ok(Vec::new()),
            Phase::Closed => Ok(self.items),
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

    /// Decodes every element complete in `pending`, then drops their bytes.
    fn drain_elements(&mut self) -> bool {
        let mut consumed = 0;
        let mut i = self.scan;
        while i < self.pending.len() {
            let b = self.pending[i];
            if self.phase == Phase::Closed {
                if !b.is_ascii_whitespace() {
                    return self.fail(format!("trailing characters after the list: {:?}", b as char));
                }
                i += 1;
                continue;
            }
            if self.in_string {
                if self.escaped {
                    self.escaped = false;
                } else {
                    // Strings hold most of a list's bytes: jump to the next quote or backslash.
                    match memchr::memchr2(b'"', b'\\', &self.pending[i..]) {
                        None => {
                            i = self.pending.len();
                            continue;
                        }
                        Some(at) => {
                            i += at;
                            if self.pending[i] == b'\\' {
                                self.escaped = true;
                            } else {
                                self.in_string = false;
                            }
                        }
                    }
                }
            } else {
                match b {
                    b'"' => self.in_string = true,
                    b'{' | b'[' => self.depth += 1,
                    b'}' | b']' if self.depth > 0 => self.depth -= 1,
                    b',' | b']' if self.depth == 0 => {
                        // Depth 0: the element (from `consumed` up to here) is complete.
                        let element = &self.pending[consumed..i];
                        let blank = element.iter().all(u8::is_ascii_whitespace);
                        if !(b == b']' && blank && !self.started) {
                            match serde_json::from_slice::<T>(element) {
                                Ok(item) => self.items.push(item),
                                Err(e) => {
                                    let n = self.items.len();
                                    return self.fail(format!("item {n}: {e}"));
                                }
                            }
                        }
                        self.started = true;
                        consumed = i + 1;
                        if b == b']' {
                            self.phase = Phase::Closed;
                        }
                    }
                    _ => {}
                }
            }
            i += 1;
        }
        if self.phase == Phase::Closed {
            self.pending.clear();
            self.scan = 0;
        } else {
            self.pending.drain(..consumed);
            self.scan = i - consumed;
        }
        true
    }
}

impl<T: DeserializeOwned + Send> BodySink for ArrayDecoder<T> {
    fn reset(&mut self) {
        *self = Self::default();
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
        self.pending.extend_from_slice(chunk);
        if self.phase == Phase::Single {
            return true;
        }
        self.drain_elements()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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
        ] {
            assert!(serde_json::from_str::<Vec<Value>>(bad).is_err(), "{bad} is invalid JSON");
            for size in 1..=bad.len() {
                assert!(decode_in_chunks(bad.as_bytes(), size).is_err(), "{bad:?} in chunks of {size}");
            }
        }
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
}
