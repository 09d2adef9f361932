//! Reading a staff file (CSV, JSON or YAML) or records into checked rows. Every error
//! names the file, line and column; nothing is half-read. CSV files and records report
//! every bad cell at once (up to [`MAX_ERRORS`]); JSON and YAML stop at the first.

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};
use std::fmt;
use std::path::Path;

use lpconfig::Secret;
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};

use crate::columns::{convert, Column, Raw, Value};
use crate::names::Names;

/// At most this many input errors are collected before reading stops.
pub const MAX_ERRORS: usize = 100;

/// The name records handed in directly go by in errors (`rows:3:0: ...`, 3 = the third record).
pub const RECORDS: &str = "rows";

/// A bad input file: `path:line:column: message`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct InputError {
    /// The file.
    pub path: String,
    /// 1-based line (0 when unknown).
    pub line: usize,
    /// 1-based column (0 when unknown).
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: {}", self.path, self.line, self.column, self.message)
    }
}

/// One person of the file.
#[derive(Debug, Clone, Default)]
pub struct Row {
    /// 0-based position among the rows.
    pub index: usize,
    /// Line where the row starts (0 when unknown).
    pub line: usize,
    /// The user's id: when given, the key (the row may rename the login).
    pub id: Option<i64>,
    /// Login name (required).
    pub login_name: String,
    /// Full name.
    pub full_name: Option<String>,
    /// Nickname.
    pub nickname: Option<String>,
    /// E-mail.
    pub email: Option<String>,
    /// Role or profile names.
    pub roles: Option<Vec<String>>,
    /// Group name or path.
    pub group: Option<String>,
    /// Skill names.
    pub skills: Option<Vec<String>>,
    /// Max chats.
    pub max_chats: Option<i64>,
    /// Enabled flag.
    pub enabled: Option<bool>,
    /// Initial password (new users only).
    pub password: Option<Secret>,
    /// Picture URL.
    pub picture_url: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Mobile number.
    pub mobile_number: Option<String>,
    /// Employee id.
    pub employee_id: Option<String>,
    /// Group paths the user manages.
    pub manager_of: Option<Vec<String>>,
    /// Line-of-business names.
    pub lobs: Option<Vec<String>>,
    /// Max open messaging conversations.
    pub max_async_chats: Option<i64>,
}

/// The file's formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// Comma-separated with a header line.
    Csv,
    /// A JSON array of objects.
    Json,
    /// A YAML sequence of mappings.
    Yaml,
    /// Records handed in directly (string-keyed maps).
    Records,
}

/// A whole staff file.
#[derive(Debug, Clone)]
pub struct StaffFile {
    /// The path as given.
    pub path: String,
    /// Its format.
    pub format: Format,
    /// The columns that appear in the file (a column left out is not managed).
    pub columns: BTreeSet<Column>,
    /// CSV only: the 1-based position of each column.
    pub positions: HashMap<Column, usize>,
    /// The rows, in file order.
    pub rows: Vec<Row>,
    /// The optional groups section.
    pub groups: Option<crate::groups_input::GroupSection>,
}

impl StaffFile {
    /// `path:line:column` of a row's cell (column 0 when the format does not say).
    pub fn at(&self, row: &Row, column: Column) -> (usize, usize) {
        (row.line, self.positions.get(&column).copied().unwrap_or(0))
    }

    /// An error about a row's cell.
    pub fn error(&self, row: &Row, column: Column, message: impl Into<String>) -> InputError {
        let (line, col) = self.at(row, column);
        InputError { path: self.path.clone(), line, column: col, message: message.into() }
    }

    /// `staff.csv:12` (or `staff.yaml row 3` when the line is unknown).
    pub fn where_is(&self, row: &Row) -> String {
        if row.line > 0 {
            format!("{}:{}", self.path, row.line)
        } else {
            format!("{} row {}", self.path, row.index + 1)
        }
    }
}

/// The format a file name implies.
pub fn format_of(path: &Path) -> Option<Format> {
    match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
        "csv" => Some(Format::Csv),
        "json" => Some(Format::Json),
        "yaml" | "yml" => Some(Format::Yaml),
        _ => None,
    }
}

/// Reads and checks a file. With `names`, role and skill names are checked against the account.
pub fn read(path: &Path, names: Option<&Names>) -> Result<StaffFile, Vec<InputError>> {
    let (shown, format, text) = load(path).map_err(|e| vec![e])?;
    parse(&shown, format, &text, names)
}

/// A file's name as shown, its format and its text (BOM removed).
pub fn load(path: &Path) -> Result<(String, Format, String), InputError> {
    let shown = path.display().to_string();
    let fail = |line, column, message: String| InputError { path: shown.clone(), line, column, message };
    let format = format_of(path)
        .ok_or_else(|| fail(0, 0, "unknown file type: use a .csv, .json, .yaml or .yml file".into()))?;
    let bytes = std::fs::read(path).map_err(|e| fail(0, 0, format!("cannot read: {e}")))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let (line, col) = line_col_bytes(e.as_bytes(), e.utf8_error().valid_up_to());
        fail(line, col, "not UTF-8 text".into())
    })?;
    let text = match text.strip_prefix('\u{feff}') {
        Some(t) => t.to_owned(),
        None => text,
    };
    Ok((shown, format, text))
}

/// Reads and checks the text of a file named `shown`.
pub fn parse(
    shown: &str,
    format: Format,
    text: &str,
    names: Option<&Names>,
) -> Result<StaffFile, Vec<InputError>> {
    let fail =
        |(line, column, message): Located| InputError { path: shown.to_owned(), line, column, message };
    let ctx =
        Ctx { names, seen: RefCell::default(), seen_ids: RefCell::default(), columns: RefCell::default() };
    let one = |e: Located| vec![fail(e)];
    let (rows, positions) = match format {
        Format::Csv => read_csv(text, &ctx).map_err(|es| es.into_iter().map(fail).collect::<Vec<_>>())?,
        Format::Json => (read_json(text, &ctx).map_err(one)?, HashMap::new()),
        Format::Yaml => (read_yaml(text, &ctx).map_err(one)?, HashMap::new()),
        Format::Records => {
            return Err(vec![fail((0, 0, "records are read with input::records".into()))]);
        }
    };
    let columns = ctx.columns.into_inner();
    Ok(StaffFile { path: shown.to_owned(), format, columns, positions, rows, groups: None })
}

/// Checks the role, skill and line-of-business names of rows already read against the
/// account, as reading with `names` would (same errors, same positions for CSV files and
/// records), without parsing again.
pub fn check_names(file: &StaffFile, names: &Names) -> Vec<InputError> {
    let mut errors = Vec::new();
    for row in &file.rows {
        for (column, list) in
            [(Column::Roles, &row.roles), (Column::Skills, &row.skills), (Column::Lobs, &row.lobs)]
        {
            for item in list.iter().flatten() {
                if let Err(m) = crate::columns::check_name(column, item, names) {
                    errors.push(file.error(row, column, m));
                    break;
                }
            }
        }
        if errors.len() >= MAX_ERRORS {
            break;
        }
    }
    errors
}

/// Reads records handed in directly: each a map from column name (any spelling a file
/// header accepts) to a string, number, boolean, list or null. Errors name the record
/// by its 1-based number as the line (`rows:3:0: ...`); all are reported at once.
pub fn records(items: &[serde_json::Value], names: Option<&Names>) -> Result<StaffFile, Vec<InputError>> {
    let ctx =
        Ctx { names, seen: RefCell::default(), seen_ids: RefCell::default(), columns: RefCell::default() };
    let mut rows = Vec::with_capacity(items.len());
    let mut errors = Vec::new();
    for (index, item) in items.iter().enumerate() {
        match (RowSeed { ctx: &ctx, index }).deserialize(item) {
            Ok(mut row) => {
                row.line = index + 1;
                rows.push(row);
            }
            Err(e) => {
                errors.push(InputError {
                    path: RECORDS.into(),
                    line: index + 1,
                    column: 0,
                    message: e.to_string(),
                });
                if errors.len() >= MAX_ERRORS {
                    break;
                }
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    for (i, r) in rows.iter_mut().enumerate() {
        r.index = i;
    }
    let columns = ctx.columns.into_inner();
    Ok(StaffFile {
        path: RECORDS.into(),
        format: Format::Records,
        columns,
        positions: HashMap::new(),
        rows,
        groups: None,
    })
}

type Located = (usize, usize, String);

struct Ctx<'a> {
    names: Option<&'a Names>,
    /// Folded login name → line (or 1-based row) where it first appeared.
    seen: RefCell<HashMap<String, String>>,
    /// Id → where it first appeared.
    seen_ids: RefCell<HashMap<i64, String>>,
    columns: RefCell<BTreeSet<Column>>,
}

impl Ctx<'_> {
    /// Records an id; the error names where it first appeared.
    fn claim_id(&self, id: i64, here: String) -> Result<(), String> {
        let mut seen = self.seen_ids.borrow_mut();
        match seen.get(&id) {
            Some(first) => Err(format!("duplicate id {id} (first at {first})")),
            None => {
                seen.insert(id, here);
                Ok(())
            }
        }
    }

    /// Records a login name; the error names where it first appeared.
    fn claim(&self, login: &str, here: String) -> Result<(), String> {
        let key = login.to_lowercase();
        let mut seen = self.seen.borrow_mut();
        match seen.get(&key) {
            Some(first) => {
                Err(format!("duplicate login name {login:?} (first at {first}; login names ignore case)"))
            }
            None => {
                seen.insert(key, here);
                Ok(())
            }
        }
    }
}

fn set(row: &mut Row, column: Column, value: Value) {
    let text = |v: &Value| match v {
        Value::Text(t) => Some(t.clone()),
        _ => None,
    };
    let list = |v: Value| match v {
        Value::List(l) => Some(l),
        _ => None,
    };
    let int = |v: &Value| match v {
        Value::Int(i) => Some(*i),
        _ => None,
    };
    match column {
        Column::Id => row.id = int(&value),
        Column::LoginName => row.login_name = text(&value).unwrap_or_default(),
        Column::FullName => row.full_name = text(&value),
        Column::Nickname => row.nickname = text(&value),
        Column::Email => row.email = text(&value),
        Column::Group => row.group = text(&value),
        Column::Password => row.password = text(&value).map(Secret::new),
        Column::PictureUrl => row.picture_url = text(&value),
        Column::Description => row.description = text(&value),
        Column::MobileNumber => row.mobile_number = text(&value),
        Column::EmployeeId => row.employee_id = text(&value),
        Column::Roles => row.roles = list(value),
        Column::Skills => row.skills = list(value),
        Column::Lobs => row.lobs = list(value),
        Column::ManagerOf => row.manager_of = list(value),
        Column::MaxChats => row.max_chats = int(&value),
        Column::MaxAsyncChats => row.max_async_chats = int(&value),
        Column::Enabled => {
            row.enabled = match value {
                Value::Bool(b) => Some(b),
                _ => None,
            }
        }
    }
}

/// Rows and each column's 1-based position.
type CsvRows = (Vec<Row>, HashMap<Column, usize>);

fn read_csv(text: &str, ctx: &Ctx) -> Result<CsvRows, Vec<Located>> {
    let mut rdr = csv::ReaderBuilder::new().flexible(false).from_reader(text.as_bytes());
    let csv_err = |e: csv::Error| {
        let line = e.position().map_or(0, |p| p.line() as usize);
        let msg = match e.kind() {
            csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
                format!("malformed CSV: this line has {len} fields, the header has {expected_len}")
            }
            _ => format!("malformed CSV: {e}"),
        };
        (line, 0, msg)
    };
    let headers = rdr.headers().map_err(|e| vec![csv_err(e)])?.clone();
    let mut order = Vec::with_capacity(headers.len());
    let mut positions = HashMap::new();
    let mut errors: Vec<Located> = Vec::new();
    for (i, h) in headers.iter().enumerate() {
        let Some(col) = Column::from_header(h) else {
            let known = crate::columns::ALL.map(Column::name);
            errors.push((
                1,
                i + 1,
                format!(
                    "unknown column {h:?}{}; known: {}",
                    crate::suggest::hint(&h.to_lowercase().replace([' ', '-'], "_"), known),
                    known.join(", ")
                ),
            ));
            continue;
        };
        if positions.insert(col, i + 1).is_some() {
            errors.push((1, i + 1, format!("column {h:?} appears twice (as {})", col.name())));
        }
        order.push(col);
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if !positions.contains_key(&Column::LoginName) {
        return Err(vec![(1, 0, "no login_name column".into())]);
    }
    ctx.columns.borrow_mut().extend(order.iter().copied());
    let mut rows = Vec::new();
    for record in rdr.records() {
        if errors.len() >= MAX_ERRORS {
            break;
        }
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                errors.push(csv_err(e));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line() as usize);
        let mut row = Row { index: rows.len(), line, ..Default::default() };
        let mut ok = true;
        for (i, cell) in record.iter().enumerate() {
            let col = order[i];
            match convert(col, Raw::Text(cell.to_owned()), ctx.names) {
                Ok(value) => set(&mut row, col, value),
                Err(m) => {
                    errors.push((line, i + 1, m));
                    ok = false;
                }
            }
        }
        let login_col = positions.get(&Column::LoginName).copied().unwrap_or(0);
        if row.login_name.is_empty() {
            errors.push((line, login_col, "missing login name".into()));
            continue;
        }
        if let Err(m) = ctx.claim(&row.login_name, format!("line {line}")) {
            errors.push((line, login_col, m));
            continue;
        }
        if let Some(id) = row.id {
            if let Err(m) = ctx.claim_id(id, format!("line {line}")) {
                errors.push((line, positions.get(&Column::Id).copied().unwrap_or(0), m));
                continue;
            }
        }
        if ok {
            rows.push(row);
        }
    }
    if errors.is_empty() {
        Ok((rows, positions))
    } else {
        errors.truncate(MAX_ERRORS);
        Err(errors)
    }
}

/// Splits "msg at line 3 column 5" into the message (the position is taken from the error itself).
fn strip_position(text: &str) -> String {
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_owned(),
        None => text.to_owned(),
    }
}

fn read_json(text: &str, ctx: &Ctx) -> Result<Vec<Row>, Located> {
    let mut de = serde_json::Deserializer::from_str(text);
    let mut rows = RowsSeed { ctx }
        .deserialize(&mut de)
        .and_then(|rows| de.end().map(|_| rows))
        .map_err(|e| (e.line(), e.column(), strip_position(&e.to_string())))?;
    // Row lines, for reports: each element's offset in the text.
    if let Ok(raw) = serde_json::from_str::<Vec<&serde_json::value::RawValue>>(text) {
        for (row, r) in rows.iter_mut().zip(raw) {
            let offset = r.get().as_ptr() as usize - text.as_ptr() as usize;
            row.line = line_col_bytes(text.as_bytes(), offset).0;
        }
    }
    Ok(rows)
}

fn read_yaml(text: &str, ctx: &Ctx) -> Result<Vec<Row>, Located> {
    let de = yaml_serde::Deserializer::from_str(text);
    let mut rows = RowsSeed { ctx }.deserialize(de).map_err(|e| {
        let (l, c) = e.location().map_or((0, 0), |l| (l.line(), l.column()));
        (l, c, strip_position(&e.to_string()))
    })?;
    let starts = yaml_item_lines(text);
    if starts.len() == rows.len() {
        for (row, line) in rows.iter_mut().zip(starts) {
            row.line = line;
        }
    }
    Ok(rows)
}

/// Lines of the top-level block sequence's items (`- ` at the outermost indentation).
/// Used only to name rows in reports; when it does not match the rows, rows go by number.
fn yaml_item_lines(text: &str) -> Vec<usize> {
    let items: Vec<(usize, usize)> = text
        .lines()
        .enumerate()
        .filter_map(|(i, l)| {
            let indent = l.len() - l.trim_start().len();
            let rest = l.trim_start();
            (rest == "-" || rest.starts_with("- ")).then_some((i + 1, indent))
        })
        .collect();
    let min = items.iter().map(|(_, ind)| *ind).min().unwrap_or(0);
    items.into_iter().filter(|(_, ind)| *ind == min).map(|(l, _)| l).collect()
}

fn line_col_bytes(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = &bytes[..offset.min(bytes.len())];
    let line = before.iter().filter(|b| **b == b'\n').count() + 1;
    let col = before.iter().rev().take_while(|b| **b != b'\n').count() + 1;
    (line, col)
}

// ---- serde seeds: the formats' own parsers give positions to our errors ----

struct RowsSeed<'c, 'a> {
    ctx: &'c Ctx<'a>,
}

impl<'de> DeserializeSeed<'de> for RowsSeed<'_, '_> {
    type Value = Vec<Row>;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for RowsSeed<'_, '_> {
    type Value = Vec<Row>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of people (one object per user)")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut rows = Vec::new();
        while let Some(row) = seq.next_element_seed(RowSeed { ctx: self.ctx, index: rows.len() })? {
            rows.push(row);
        }
        Ok(rows)
    }
}

struct RowSeed<'c, 'a> {
    ctx: &'c Ctx<'a>,
    index: usize,
}

impl<'de> DeserializeSeed<'de> for RowSeed<'_, '_> {
    type Value = Row;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for RowSeed<'_, '_> {
    type Value = Row;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a person: an object with login_name, full_name, ...")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut row = Row { index: self.index, ..Default::default() };
        let mut given = BTreeSet::new();
        while let Some(col) = map.next_key_seed(KeySeed)? {
            if !given.insert(col) {
                return Err(de::Error::custom(format!("{} given twice", col.name())));
            }
            let value = map.next_value_seed(CellSeed { ctx: self.ctx, column: col, index: self.index })?;
            set(&mut row, col, value);
        }
        if row.login_name.is_empty() {
            return Err(de::Error::custom("missing login name"));
        }
        self.ctx.columns.borrow_mut().extend(given);
        Ok(row)
    }
}

struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Column;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Column;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a column name")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Column, E> {
        Column::from_header(v).ok_or_else(|| {
            E::custom(format!(
                "unknown column {v:?}{}; known: {}",
                crate::suggest::hint(v, crate::columns::ALL.map(Column::name)),
                crate::columns::ALL.map(Column::name).join(", ")
            ))
        })
    }
}

struct CellSeed<'c, 'a> {
    ctx: &'c Ctx<'a>,
    column: Column,
    index: usize,
}

impl<'de> DeserializeSeed<'de> for CellSeed<'_, '_> {
    type Value = Value;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl CellSeed<'_, '_> {
    fn finish<E: de::Error>(self, raw: Raw) -> Result<Value, E> {
        let value = convert(self.column, raw, self.ctx.names).map_err(E::custom)?;
        if let (Column::LoginName, Value::Text(login)) = (self.column, &value) {
            self.ctx.claim(login, format!("row {}", self.index + 1)).map_err(E::custom)?;
        }
        if let (Column::Id, Value::Int(id)) = (self.column, &value) {
            self.ctx.claim_id(*id, format!("row {}", self.index + 1)).map_err(E::custom)?;
        }
        Ok(value)
    }
}

impl<'de> Visitor<'de> for CellSeed<'_, '_> {
    type Value = Value;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "a value for {}", self.column.name())
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        self.finish(Raw::Text(v.to_owned()))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        self.finish(Raw::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        self.finish(Raw::Int(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        let v = i64::try_from(v).map_err(|_| E::custom("number out of range"))?;
        self.finish(Raw::Int(v))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        if v.fract() == 0.0 && v.abs() < 1e15 {
            self.finish(Raw::Int(v as i64))
        } else {
            self.finish(Raw::Text(v.to_string()))
        }
    }
    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        self.finish(Raw::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        self.finish(Raw::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<serde_json::Value>()? {
            match item {
                serde_json::Value::String(s) => items.push(s),
                serde_json::Value::Number(n) => items.push(n.to_string()),
                other => {
                    return Err(de::Error::custom(format!("{} lists names, not {other}", self.column.name())))
                }
            }
        }
        self.finish(Raw::List(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, _map: A) -> Result<Value, A::Error> {
        Err(de::Error::custom(format!("{} must be a value, not an object", self.column.name())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn file(ext: &str, text: &str) -> tempfile::NamedTempFile {
        let mut f = tempfile::Builder::new().suffix(ext).tempfile().unwrap();
        f.write_all(text.as_bytes()).unwrap();
        f
    }

    fn err(ext: &str, text: &str) -> InputError {
        let f = file(ext, text);
        read(f.path(), None).unwrap_err().remove(0)
    }

    #[test]
    fn csv_rows_and_positions() {
        let f = file(
            ".csv",
            "Login Name,full_name,email,roles,group,skills,max_chats,enabled\n\
             jane,Jane Doe,jane@x.io,Agent;Agent Manager,Support/Billing,Refunds|Billing,4,yes\n\
             bob,Bob,,,,-,,\n",
        );
        let s = read(f.path(), None).unwrap();
        assert_eq!(s.rows.len(), 2);
        let j = &s.rows[0];
        assert_eq!((j.line, j.login_name.as_str(), j.max_chats, j.enabled), (2, "jane", Some(4), Some(true)));
        assert_eq!(j.roles.as_deref(), Some(&["Agent".to_owned(), "Agent Manager".to_owned()][..]));
        assert_eq!(j.group.as_deref(), Some("Support/Billing"));
        let b = &s.rows[1];
        assert_eq!((b.email.as_deref(), b.skills.as_deref()), (None, Some(&[][..])));
        assert_eq!(s.at(b, Column::Skills), (3, 6));
        assert!(s.columns.contains(&Column::Enabled) && !s.columns.contains(&Column::Nickname));
    }

    #[test]
    fn csv_errors_name_line_and_column() {
        let e = err(".csv", "login_name,shoe_size\na,42\n");
        assert_eq!((e.line, e.column), (1, 2));
        assert!(e.message.contains("unknown column \"shoe_size\""), "{e}");
        let e = err(".csv", "login_name,email\na,a@x\n,b@x\n");
        assert_eq!((e.line, e.column, e.message.as_str()), (3, 1, "missing login name"));
        let e = err(".csv", "login_name,email\na,a@x\nb,b@x\nA,c@x\n");
        assert_eq!((e.line, e.column), (4, 1));
        assert!(e.message.contains("duplicate login name \"A\" (first at line 2"), "{e}");
        let e = err(".csv", "login_name,email\na,a@x\nb,b@x,extra\n");
        assert_eq!(e.line, 3);
        assert!(e.message.starts_with("malformed CSV"), "{e}");
        let e = err(".csv", "login_name,max_chats\na,lots\n");
        assert_eq!((e.line, e.column), (2, 2));
        assert!(e.to_string().contains(".csv:2:2: max_chats \"lots\" is not a whole number"), "{e}");
        let e = err(".csv", "email\na@x\n");
        assert_eq!(e.message, "no login_name column");
    }

    #[test]
    fn yaml_rows_and_errors() {
        let f = file(".yaml", "# staff\n- login_name: jane\n  skills: [Refunds, Billing]\n  enabled: false\n- login_name: bob\n  max_chats: 3\n");
        let s = read(f.path(), None).unwrap();
        assert_eq!(s.rows.iter().map(|r| r.line).collect::<Vec<_>>(), [2, 5]);
        assert_eq!(s.rows[0].skills.as_ref().map(Vec::len), Some(2));
        assert_eq!(s.rows[0].enabled, Some(false));
        assert_eq!(s.rows[1].max_chats, Some(3));

        let e = err(".yaml", "- login_name: jane\n  colour: blue\n");
        assert_eq!(e.line, 2);
        assert!(e.message.contains("unknown column \"colour\""), "{e}");
        let e = err(".yml", "- login_name: jane\n- login_name: JANE\n");
        assert_eq!((e.line, e.column), (2, 15));
        let e = err(".yaml", "- login_name: jane\n- full_name: No Login\n");
        assert_eq!(e.line, 2);
        assert!(e.message.contains("missing login name"), "{e}");
        let e = err(".yaml", "- login_name: [unclosed\n");
        assert!(e.line >= 1, "{e}");
        let e = err(".yaml", "- login_name: a\n  max_chats: -3\n");
        assert_eq!(e.line, 2);
    }

    #[test]
    fn json_rows_and_errors() {
        let f = file(".json", "[\n {\"loginName\": \"jane\", \"maxChats\": 2},\n {\"login_name\": \"bob\", \"skills\": \"A;B\"}\n]\n");
        let s = read(f.path(), None).unwrap();
        assert_eq!(s.rows.iter().map(|r| r.line).collect::<Vec<_>>(), [2, 3]);
        assert_eq!(s.rows[1].skills.as_ref().map(Vec::len), Some(2));
        let e = err(".json", "[{\"login_name\": \"a\"},\n {\"login_name\": \"a\"}]");
        assert_eq!(e.line, 2);
        assert!(e.message.contains("duplicate"), "{e}");
        let e = err(".json", "[{\"login_name\": \"a\",}]");
        assert_eq!(e.line, 1);
    }

    #[test]
    fn unknown_names_with_the_account() {
        use crate::names::tests::{p, s};
        let names = Names::new(vec![], vec![p(1, "Agent", 2)], vec![s(5, "Billing")]);
        let f = file(".csv", "login_name,roles,skills\na,Agent,Billing\nb,Agnet,Billing\n");
        let e = read(f.path(), Some(&names)).unwrap_err().remove(0);
        assert_eq!((e.line, e.column), (3, 2));
        assert!(e.message.contains("unknown role \"Agnet\""), "{e}");
        let f = file(".yaml", "- login_name: a\n  skills:\n    - Billing\n    - Cooking\n");
        let e = read(f.path(), Some(&names)).unwrap_err().remove(0);
        assert!(e.message.contains("unknown skill \"Cooking\""), "{e}");
        assert!(e.line >= 3, "{e}");
    }
}
