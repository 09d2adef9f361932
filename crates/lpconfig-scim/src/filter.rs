//! SCIM filters (RFC 7644 §3.4.2.2): parsing and evaluation over a resource's JSON.
//!
//! Supported: `eq ne co sw ew gt ge lt le pr`, `and`, `or`, `not (...)`, parentheses
//! and value paths (`emails[type eq "work"]`). String comparison ignores case
//! (every attribute the bridge exposes is `caseExact: false` except `id`).

use serde_json::Value;

use crate::error::{ScimError, ScimResult};
use crate::schema;

/// An attribute path: optional schema URN, attribute, optional sub-attribute.
#[derive(Debug, Clone, PartialEq)]
pub struct AttrPath {
    /// Extension schema URN (`None` for the core schema).
    pub urn: Option<String>,
    /// Attribute name as written.
    pub attr: String,
    /// Sub-attribute (`name.givenName` → `givenName`).
    pub sub: Option<String>,
}

impl AttrPath {
    /// Parses `userName`, `name.givenName`, `urn:...:User:employeeNumber`.
    pub fn parse(text: &str) -> ScimResult<Self> {
        let t = text.trim();
        let (urn, rest) = match t.rfind(':') {
            Some(i) if t.to_ascii_lowercase().starts_with("urn:") => (Some(&t[..i]), &t[i + 1..]),
            _ => (None, t),
        };
        let urn = urn.filter(|u| !schema::is_core(u)).map(str::to_owned);
        let (attr, sub) = match rest.split_once('.') {
            Some((a, s)) => (a.to_owned(), Some(s.to_owned())),
            None => (rest.to_owned(), None),
        };
        let ok =
            |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$');
        if !ok(&attr) || !sub.as_deref().is_none_or(ok) {
            return Err(ScimError::bad("invalidPath", format!("not an attribute path: {text:?}")));
        }
        Ok(Self { urn, attr, sub })
    }

    /// `name.givenName` (or `urn:...:employeeNumber`), for messages and lookups.
    pub fn dotted(&self) -> String {
        let base = match &self.sub {
            Some(s) => format!("{}.{s}", self.attr),
            None => self.attr.clone(),
        };
        match &self.urn {
            Some(u) => format!("{u}:{base}"),
            None => base,
        }
    }

    /// The top-level container of the attribute in `resource` (the extension object or the resource).
    pub fn container<'a>(&self, resource: &'a Value) -> Option<&'a Value> {
        match &self.urn {
            Some(u) => get_ci(resource, u),
            None => Some(resource),
        }
    }
}

/// Case-insensitive member lookup.
pub fn get_ci<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
    v.as_object()?.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, v)| v)
}

/// Comparison operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// equal
    Eq,
    /// not equal
    Ne,
    /// contains
    Co,
    /// starts with
    Sw,
    /// ends with
    Ew,
    /// greater than
    Gt,
    /// greater or equal
    Ge,
    /// less than
    Lt,
    /// less or equal
    Le,
}

/// A parsed filter.
#[derive(Debug, Clone, PartialEq)]
pub enum Filter {
    /// `attr op value`
    Compare(AttrPath, Op, Value),
    /// `attr pr`
    Present(AttrPath),
    /// `a and b`
    And(Box<Filter>, Box<Filter>),
    /// `a or b`
    Or(Box<Filter>, Box<Filter>),
    /// `not (a)`
    Not(Box<Filter>),
    /// `emails[type eq "work"]` (optionally `.value op x` is folded into the inner filter's scope)
    ValuePath(AttrPath, Box<Filter>),
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Word(String),
    Str(String),
    LParen,
    RParen,
    LBracket,
    RBracket,
}

fn lex(text: &str) -> ScimResult<Vec<Tok>> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(&c) = chars.peek() {
        match c {
            ' ' | '\t' | '\n' | '\r' => {
                chars.next();
            }
            '(' | ')' | '[' | ']' => {
                chars.next();
                out.push(match c {
                    '(' => Tok::LParen,
                    ')' => Tok::RParen,
                    '[' => Tok::LBracket,
                    _ => Tok::RBracket,
                });
            }
            '"' => {
                chars.next();
                let mut s = String::new();
                let mut closed = false;
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => match chars.next() {
                            Some('n') => s.push('\n'),
                            Some('t') => s.push('\t'),
                            Some(o) => s.push(o),
                            None => break,
                        },
                        '"' => {
                            closed = true;
                            break;
                        }
                        o => s.push(o),
                    }
                }
                if !closed {
                    return Err(ScimError::bad("invalidFilter", "unterminated string in filter"));
                }
                out.push(Tok::Str(s));
            }
            _ => {
                let mut w = String::new();
                while let Some(&c) = chars.peek() {
                    if c.is_whitespace() || "()[]\"".contains(c) {
                        break;
                    }
                    w.push(c);
                    chars.next();
                }
                out.push(Tok::Word(w));
            }
        }
    }
    Ok(out)
}

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
}

fn bad(msg: impl Into<String>) -> ScimError {
    ScimError::bad("invalidFilter", msg)
}

impl Parser {
    fn peek_word(&self) -> Option<String> {
        match self.toks.get(self.pos) {
            Some(Tok::Word(w)) => Some(w.to_ascii_lowercase()),
            _ => None,
        }
    }
    fn next(&mut self) -> Option<Tok> {
        let t = self.toks.get(self.pos).cloned();
        self.pos += 1;
        t
    }
    fn or(&mut self) -> ScimResult<Filter> {
        let mut left = self.and()?;
        while self.peek_word().as_deref() == Some("or") {
            self.pos += 1;
            left = Filter::Or(Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }
    fn and(&mut self) -> ScimResult<Filter> {
        let mut left = self.unary()?;
        while self.peek_word().as_deref() == Some("and") {
            self.pos += 1;
            left = Filter::And(Box::new(left), Box::new(self.unary()?));
        }
        Ok(left)
    }
    fn unary(&mut self) -> ScimResult<Filter> {
        if self.peek_word().as_deref() == Some("not") {
            self.pos += 1;
            if self.next() != Some(Tok::LParen) {
                return Err(bad("`not` must be followed by ( ... )"));
            }
            let inner = self.or()?;
            if self.next() != Some(Tok::RParen) {
                return Err(bad("missing ) after not ( ..."));
            }
            return Ok(Filter::Not(Box::new(inner)));
        }
        match self.next() {
            Some(Tok::LParen) => {
                let inner = self.or()?;
                if self.next() != Some(Tok::RParen) {
                    return Err(bad("missing )"));
                }
                Ok(inner)
            }
            Some(Tok::Word(w)) => {
                let path = AttrPath::parse(&w).map_err(|e| bad(e.detail))?;
                if self.toks.get(self.pos) == Some(&Tok::LBracket) {
                    self.pos += 1;
                    let inner = self.or()?;
                    if self.next() != Some(Tok::RBracket) {
                        return Err(bad("missing ]"));
                    }
                    return Ok(Filter::ValuePath(path, Box::new(inner)));
                }
                self.comparison(path)
            }
            Some(t) => Err(bad(format!("unexpected {t:?} in filter"))),
            None => Err(bad("filter ends too early")),
        }
    }
    fn comparison(&mut self, path: AttrPath) -> ScimResult<Filter> {
        let op = match self.next() {
            Some(Tok::Word(w)) => w.to_ascii_lowercase(),
            _ => return Err(bad(format!("expected an operator after {}", path.dotted()))),
        };
        let op = match op.as_str() {
            "pr" => return Ok(Filter::Present(path)),
            "eq" => Op::Eq,
            "ne" => Op::Ne,
            "co" => Op::Co,
            "sw" => Op::Sw,
            "ew" => Op::Ew,
            "gt" => Op::Gt,
            "ge" => Op::Ge,
            "lt" => Op::Lt,
            "le" => Op::Le,
            o => return Err(bad(format!("unknown operator {o:?}"))),
        };
        let value = match self.next() {
            Some(Tok::Str(s)) => Value::String(s),
            Some(Tok::Word(w)) => match w.to_ascii_lowercase().as_str() {
                "true" => Value::Bool(true),
                "false" => Value::Bool(false),
                "null" => Value::Null,
                _ => serde_json::from_str::<serde_json::Number>(&w)
                    .map(Value::Number)
                    .map_err(|_| bad(format!("not a value: {w:?} (strings need double quotes)")))?,
            },
            _ => return Err(bad(format!("expected a value after {}", path.dotted()))),
        };
        Ok(Filter::Compare(path, op, value))
    }
}

impl Filter {
    /// Parses a filter; `invalidFilter` on any syntax error.
    ///
    /// ```
    /// use lpconfig_scim::filter::Filter;
    /// let f = Filter::parse(r#"userName eq "kim" and not (active eq false)"#).unwrap();
    /// assert!(f.matches(&serde_json::json!({"userName": "KIM", "active": true})));
    /// assert!(Filter::parse("userName eq").is_err());
    /// ```
    pub fn parse(text: &str) -> ScimResult<Self> {
        let toks = lex(text)?;
        if toks.is_empty() {
            return Err(bad("empty filter"));
        }
        let mut p = Parser { toks, pos: 0 };
        let f = p.or()?;
        if p.pos < p.toks.len() {
            return Err(bad(format!("unexpected text after the filter: {:?}", p.toks[p.pos])));
        }
        Ok(f)
    }

    /// Every attribute path the filter names (for validation against the schema).
    pub fn paths(&self) -> Vec<String> {
        let mut out = Vec::new();
        self.collect(None, &mut out);
        out
    }

    fn collect(&self, prefix: Option<&AttrPath>, out: &mut Vec<String>) {
        let name = |p: &AttrPath| match prefix {
            Some(pre) => format!("{}.{}", pre.dotted(), p.attr),
            None => p.dotted(),
        };
        match self {
            Self::Compare(p, _, _) | Self::Present(p) => out.push(name(p)),
            Self::And(a, b) | Self::Or(a, b) => {
                a.collect(prefix, out);
                b.collect(prefix, out);
            }
            Self::Not(a) => a.collect(prefix, out),
            Self::ValuePath(p, inner) => inner.collect(Some(p), out),
        }
    }

    /// Whether a resource (or, inside a value path, one element) matches.
    pub fn matches(&self, v: &Value) -> bool {
        match self {
            Self::And(a, b) => a.matches(v) && b.matches(v),
            Self::Or(a, b) => a.matches(v) || b.matches(v),
            Self::Not(a) => !a.matches(v),
            Self::Present(p) => values(v, p).iter().any(|x| match x {
                Value::Null => false,
                Value::String(s) => !s.is_empty(),
                Value::Array(a) => !a.is_empty(),
                _ => true,
            }),
            Self::Compare(p, op, want) => {
                let found = values(v, p);
                if *op == Op::Ne {
                    return !found.iter().any(|x| compare(x, Op::Eq, want));
                }
                found.iter().any(|x| compare(x, *op, want))
            }
            Self::ValuePath(p, inner) => {
                let Some(c) = p.container(v).and_then(|c| get_ci(c, &p.attr)) else { return false };
                match c {
                    Value::Array(items) => items.iter().any(|i| inner.matches(i)),
                    other => inner.matches(other),
                }
            }
        }
    }
}

/// The values at a path, flattening multi-valued attributes.
fn values<'a>(v: &'a Value, p: &AttrPath) -> Vec<&'a Value> {
    let Some(top) = p.container(v).and_then(|c| get_ci(c, &p.attr)) else { return Vec::new() };
    let items: Vec<&Value> = match top {
        Value::Array(a) => a.iter().collect(),
        o => vec![o],
    };
    match &p.sub {
        None => items
            .into_iter()
            // `emails eq "x"` means the `value` sub-attribute of a complex multi-valued one.
            .map(|i| if i.is_object() { get_ci(i, "value").unwrap_or(i) } else { i })
            .collect(),
        Some(s) => items.into_iter().filter_map(|i| get_ci(i, s)).collect(),
    }
}

fn compare(have: &Value, op: Op, want: &Value) -> bool {
    match (have, want) {
        (Value::String(h), Value::String(w)) => {
            let (h, w) = (h.to_lowercase(), w.to_lowercase());
            match op {
                Op::Eq => h == w,
                Op::Ne => h != w,
                Op::Co => h.contains(&w),
                Op::Sw => h.starts_with(&w),
                Op::Ew => h.ends_with(&w),
                Op::Gt => h > w,
                Op::Ge => h >= w,
                Op::Lt => h < w,
                Op::Le => h <= w,
            }
        }
        (Value::Bool(h), Value::Bool(w)) => match op {
            Op::Eq => h == w,
            Op::Ne => h != w,
            _ => false,
        },
        // Entra ID sends booleans as strings in places.
        (Value::Bool(h), Value::String(w)) => {
            compare(&Value::Bool(*h), op, &Value::Bool(w.eq_ignore_ascii_case("true")))
        }
        (Value::Number(h), Value::Number(w)) => {
            let (h, w) = (h.as_f64().unwrap_or(f64::NAN), w.as_f64().unwrap_or(f64::NAN));
            match op {
                Op::Eq => h == w,
                Op::Ne => h != w,
                Op::Gt => h > w,
                Op::Ge => h >= w,
                Op::Lt => h < w,
                Op::Le => h <= w,
                _ => false,
            }
        }
        (Value::String(h), Value::Number(w)) => op == Op::Eq && h.parse::<f64>().ok() == w.as_f64(),
        (Value::Null, Value::Null) => op == Op::Eq,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn kim() -> Value {
        json!({
            "userName": "kim.lee", "displayName": "Kim Lee", "active": true, "externalId": "00u1",
            "emails": [{"value": "kim@example.com", "type": "work", "primary": true}],
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"employeeNumber": "E7"}
        })
    }

    #[test]
    fn operators_and_logic() {
        let cases = [
            (r#"userName eq "KIM.LEE""#, true),
            (r#"userName co "m.l""#, true),
            (r#"userName sw "kim""#, true),
            (r#"userName ew "lee""#, true),
            (r#"userName sw "lee""#, false),
            (r#"emails.value eq "kim@example.com""#, true),
            (r#"emails[type eq "work" and value co "example"]"#, true),
            (r#"emails[type eq "home"]"#, false),
            ("active eq true", true),
            ("active eq false", false),
            (r#"active eq "True""#, true),
            ("externalId pr", true),
            ("title pr", false),
            (r#"userName eq "x" or displayName eq "kim lee""#, true),
            (r#"userName eq "kim.lee" and externalId eq "nope""#, false),
            (r#"not (userName eq "kim.lee")"#, false),
            (r#"(userName eq "x" or userName eq "kim.lee") and active eq true"#, true),
            (r#"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "e7""#, true),
            (r#"urn:ietf:params:scim:schemas:core:2.0:User:userName eq "kim.lee""#, true),
            (r#"userName ne "kim.lee""#, false),
        ];
        for (f, want) in cases {
            assert_eq!(Filter::parse(f).unwrap().matches(&kim()), want, "{f}");
        }
    }

    #[test]
    fn syntax_errors_are_invalid_filter() {
        for f in [
            "",
            "userName",
            "userName eq",
            "userName xx \"a\"",
            "userName eq kim",
            "(userName pr",
            "not userName pr",
            "userName eq \"a",
            "a pr )",
        ] {
            let e = Filter::parse(f).unwrap_err();
            assert_eq!((e.status, e.scim_type), (400, Some("invalidFilter")), "{f}");
        }
    }
}
