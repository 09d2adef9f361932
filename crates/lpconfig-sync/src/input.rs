//! Reading a staff file (CSV, JSON or YAML) or records into checked rows. Every error
//! names the file, line and column; nothing is half-read. Every bad cell, unknown column
//! and missing login name is reported at once (up to [`MAX_ERRORS`]), in every format; a
//! JSON or YAML syntax error stops reading where it is.

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};
use std::fmt;
use std::path::Path;

use rustc_hash::FxHashMap;

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
    let ctx = Ctx::new(names);
    let all = |es: Vec<Located>| es.into_iter().map(fail).collect::<Vec<_>>();
    let (rows, positions) = match format {
        Format::Csv => read_csv(text, &ctx).map_err(all)?,
        Format::Json => (read_json(text, &ctx).map_err(all)?, HashMap::new()),
        Format::Yaml => (read_yaml(text, &ctx).map_err(all)?, HashMap::new()),
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
pub fn records<V: std::borrow::Borrow<serde_json::Value>>(
    items: impl IntoIterator<Item = V>,
    names: Option<&Names>,
) -> Result<StaffFile, Vec<InputError>> {
    let ctx = Ctx::new(names);
    let items = items.into_iter();
    let mut rows = Vec::with_capacity(items.size_hint().0);
    let mut errors = Vec::new();
    for (index, item) in items.enumerate() {
        match (RowSeed { ctx: &ctx, index }).deserialize(item.borrow()) {
            Ok(mut row) => {
                row.line = index + 1;
                rows.push(row);
            }
            Err(e) => errors.push(InputError {
                path: RECORDS.into(),
                line: index + 1,
                column: 0,
                message: e.to_string(),
            }),
        }
        errors.extend(ctx.deferred.take().into_iter().map(|d| InputError {
            path: RECORDS.into(),
            line: d.index + 1,
            column: 0,
            message: d.message,
        }));
        if errors.len() >= MAX_ERRORS {
            errors.truncate(MAX_ERRORS);
            break;
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

/// A problem of a row found while the format's parser runs on: placed afterwards, at
/// its field (`key`) when it has one, else at the row.
struct Deferred {
    /// 0-based row.
    index: usize,
    /// The key as written in the file.
    key: Option<String>,
    message: String,
}

/// Where a login name or id first appeared: a file line or a 1-based record (formatted
/// only for an error, so that reading 100,000 rows keeps no text per row).
#[derive(Debug, Clone, Copy)]
enum Here {
    Line(usize),
    Row(usize),
}

impl fmt::Display for Here {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Here::Line(n) => write!(f, "line {n}"),
            Here::Row(n) => write!(f, "row {n}"),
        }
    }
}

struct Ctx<'a> {
    names: Option<&'a Names>,
    /// Problems of rows and cells, in file order (JSON and YAML parsers cannot resume
    /// after an error, so cells never fail the parse: they are collected here).
    deferred: RefCell<Vec<Deferred>>,
    /// Folded login name → line (or 1-based row) where it first appeared.
    seen: RefCell<FxHashMap<String, Here>>,
    /// Id → where it first appeared.
    seen_ids: RefCell<FxHashMap<i64, Here>>,
    columns: RefCell<BTreeSet<Column>>,
}

impl<'a> Ctx<'a> {
    fn new(names: Option<&'a Names>) -> Self {
        Self {
            names,
            deferred: RefCell::default(),
            seen: RefCell::default(),
            seen_ids: RefCell::default(),
            columns: RefCell::default(),
        }
    }

    fn defer(&self, index: usize, key: Option<&str>, message: String) {
        let mut deferred = self.deferred.borrow_mut();
        if deferred.len() < MAX_ERRORS {
            deferred.push(Deferred { index, key: key.map(str::to_owned), message });
        }
    }

    /// Records an id; the error names where it first appeared.
    fn claim_id(&self, id: i64, here: Here) -> Result<(), String> {
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
    fn claim(&self, login: &str, here: Here) -> Result<(), String> {
        let key = crate::fold::lower(login);
        let mut seen = self.seen.borrow_mut();
        match seen.get(key.as_ref()) {
            Some(first) => {
                Err(format!("duplicate login name {login:?} (first at {first}; login names ignore case)"))
            }
            None => {
                seen.insert(key.into_owned(), here);
                Ok(())
            }
        }
    }
}

fn set(row: &mut Row, column: Column, value: Value) {
    let text = |v: Value| match v {
        Value::Text(t) => Some(t),
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
        Column::LoginName => row.login_name = text(value).unwrap_or_default(),
        Column::FullName => row.full_name = text(value),
        Column::Nickname => row.nickname = text(value),
        Column::Email => row.email = text(value),
        Column::Group => row.group = text(value),
        Column::Password => row.password = text(value).map(Secret::new),
        Column::PictureUrl => row.picture_url = text(value),
        Column::Description => row.description = text(value),
        Column::MobileNumber => row.mobile_number = text(value),
        Column::EmployeeId => row.employee_id = text(value),
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
        if let Err(m) = ctx.claim(&row.login_name, Here::Line(line)) {
            errors.push((line, login_col, m));
            continue;
        }
        if let Some(id) = row.id {
            if let Err(m) = ctx.claim_id(id, Here::Line(line)) {
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

fn read_json(text: &str, ctx: &Ctx) -> Result<Vec<Row>, Vec<Located>> {
    let mut de = serde_json::Deserializer::from_str(text);
    let mut rows = RowsSeed { ctx }
        .deserialize(&mut de)
        .and_then(|rows| de.end().map(|_| rows))
        .map_err(|e| vec![(e.line(), e.column(), strip_position(&e.to_string()))])?;
    // Each element's span in the text: row lines for reports, fields for errors.
    let mut spans = Vec::new();
    if let Ok(raw) = serde_json::from_str::<Vec<&serde_json::value::RawValue>>(text) {
        for (row, r) in rows.iter_mut().zip(raw) {
            let start = r.get().as_ptr() as usize - text.as_ptr() as usize;
            row.line = line_col_bytes(text.as_bytes(), start).0;
            spans.push((start, start + r.get().len()));
        }
    }
    placed(text, ctx, &rows, &spans, true).map(|()| rows)
}

fn read_yaml(text: &str, ctx: &Ctx) -> Result<Vec<Row>, Vec<Located>> {
    let de = yaml_serde::Deserializer::from_str(text);
    let mut rows = RowsSeed { ctx }.deserialize(de).map_err(|e| {
        let (l, c) = e.location().map_or((0, 0), |l| (l.line(), l.column()));
        vec![(l, c, strip_position(&e.to_string()))]
    })?;
    let starts = yaml_item_lines(text);
    let mut spans = Vec::new();
    if starts.len() == rows.len() {
        let line_starts: Vec<usize> =
            std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
        let offsets: Vec<usize> =
            starts.iter().map(|l| line_starts.get(l - 1).copied().unwrap_or(0)).collect();
        for (i, (row, line)) in rows.iter_mut().zip(&starts).enumerate() {
            row.line = *line;
            spans.push((offsets[i], offsets.get(i + 1).copied().unwrap_or(text.len())));
        }
    }
    placed(text, ctx, &rows, &spans, false).map(|()| rows)
}

/// The collected problems of a JSON or YAML text, each at its field's value (or its
/// row when the field cannot be found), in file order.
fn placed(
    text: &str,
    ctx: &Ctx,
    rows: &[Row],
    spans: &[(usize, usize)],
    json: bool,
) -> Result<(), Vec<Located>> {
    let deferred = ctx.deferred.take();
    if deferred.is_empty() {
        return Ok(());
    }
    let mut out: Vec<Located> = deferred
        .into_iter()
        .map(|d| {
            let row_line = rows.get(d.index).map_or(0, |r| r.line);
            let at = d
                .key
                .as_deref()
                .zip(spans.get(d.index))
                .and_then(|(key, &(start, end))| value_offset(text, start, end, key, json))
                .map(|offset| line_col_bytes(text.as_bytes(), offset));
            let message =
                if row_line == 0 { format!("row {}: {}", d.index + 1, d.message) } else { d.message };
            let (line, column) = at.unwrap_or((row_line, 0));
            (line, column, message)
        })
        .collect();
    out.sort_by_key(|(line, column, _)| (*line, *column));
    Err(out)
}

/// Where the value of `key` starts within `text[start..end]`: the key (quoted in JSON;
/// bare or quoted at the start of a YAML line) followed by `:`, then blanks.
fn value_offset(text: &str, start: usize, end: usize, key: &str, json: bool) -> Option<usize> {
    let item = text.get(start..end)?;
    let bytes = item.as_bytes();
    for (at, _) in item.match_indices(key) {
        let mut i = at + key.len();
        let before = &item[..at];
        let quote = before.chars().last().filter(|c| *c == '"' || *c == '\'');
        if let Some(q) = quote {
            if bytes.get(i) != Some(&(q as u8)) {
                continue;
            }
            i += 1;
        } else if json {
            continue;
        }
        if !json {
            // YAML: the key opens its line (after indentation and an optional "- ").
            let line = &before[before.rfind('\n').map_or(0, |n| n + 1)..];
            let line = line.strip_suffix(['"', '\'']).unwrap_or(line);
            if !line.trim_start().trim_start_matches('-').trim().is_empty() {
                continue;
            }
        }
        while bytes.get(i).is_some_and(|b| *b == b' ' || *b == b'\t') {
            i += 1;
        }
        if bytes.get(i) != Some(&b':') {
            continue;
        }
        i += 1;
        while bytes.get(i).is_some_and(|b| b.is_ascii_whitespace()) {
            i += 1;
        }
        return Some(start + i.min(item.len()));
    }
    None
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
    // Cells never fail the parse (the parsers cannot resume after an error): their
    // problems are deferred to the context and reported together after the parse.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let ctx = self.ctx;
        let mut row = Row { index: self.index, ..Default::default() };
        // Columns this record gave, as bits (`Column as u32`): no set allocated per row.
        let mut given = 0u32;
        let mut login_failed = false;
        while let Some(key) = map.next_key::<String>()? {
            let Some(col) = Column::from_header(&key) else {
                let known = crate::columns::ALL.map(Column::name);
                let hint = crate::suggest::hint(&key, known);
                ctx.defer(
                    self.index,
                    Some(&key),
                    format!("unknown column {key:?}{hint}; known: {}", known.join(", ")),
                );
                map.next_value::<de::IgnoredAny>()?;
                continue;
            };
            let bit = 1u32 << (col as u32);
            if given & bit != 0 {
                ctx.defer(self.index, Some(&key), format!("{} given twice", col.name()));
                map.next_value::<de::IgnoredAny>()?;
                continue;
            }
            given |= bit;
            match map.next_value_seed(CellSeed { ctx, column: col, index: self.index })? {
                Ok(value) => set(&mut row, col, value),
                Err(message) => {
                    login_failed |= col == Column::LoginName;
                    ctx.defer(self.index, Some(&key), message);
                }
            }
        }
        if row.login_name.is_empty() && !login_failed {
            ctx.defer(self.index, None, "missing login name".into());
        }
        ctx.columns
            .borrow_mut()
            .extend(crate::columns::ALL.into_iter().filter(|c| given & (1u32 << (*c as u32)) != 0));
        Ok(row)
    }
}

struct CellSeed<'c, 'a> {
    ctx: &'c Ctx<'a>,
    column: Column,
    index: usize,
}

/// A cell's value, or what is wrong with it.
type Cell = Result<Value, String>;

impl<'de> DeserializeSeed<'de> for CellSeed<'_, '_> {
    type Value = Cell;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl CellSeed<'_, '_> {
    fn finish<E: de::Error>(self, raw: Raw) -> Result<Cell, E> {
        Ok(self.check(raw))
    }

    fn check(self, raw: Raw) -> Cell {
        let value = convert(self.column, raw, self.ctx.names)?;
        if let (Column::LoginName, Value::Text(login)) = (self.column, &value) {
            self.ctx.claim(login, Here::Row(self.index + 1))?;
        }
        if let (Column::Id, Value::Int(id)) = (self.column, &value) {
            self.ctx.claim_id(*id, Here::Row(self.index + 1))?;
        }
        Ok(value)
    }
}

impl<'de> Visitor<'de> for CellSeed<'_, '_> {
    type Value = Cell;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "a value for {}", self.column.name())
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Cell, E> {
        self.finish(Raw::Text(v.to_owned()))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Cell, E> {
        self.finish(Raw::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Cell, E> {
        self.finish(Raw::Int(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Cell, E> {
        match i64::try_from(v) {
            Ok(v) => self.finish(Raw::Int(v)),
            Err(_) => Ok(Err(format!("{} {v} is out of range", self.column.name()))),
        }
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Cell, E> {
        if v.fract() == 0.0 && v.abs() < 1e15 {
            self.finish(Raw::Int(v as i64))
        } else {
            self.finish(Raw::Text(v.to_string()))
        }
    }
    fn visit_unit<E: de::Error>(self) -> Result<Cell, E> {
        self.finish(Raw::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Cell, E> {
        self.finish(Raw::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Cell, A::Error> {
        let mut items = Vec::new();
        let mut bad = None;
        // Read to the end either way, so that parsing goes on after a bad list.
        while let Some(item) = seq.next_element::<serde_json::Value>()? {
            match item {
                serde_json::Value::String(s) => items.push(s),
                serde_json::Value::Number(n) => items.push(n.to_string()),
                other => {
                    bad.get_or_insert_with(|| format!("{} lists names, not {other}", self.column.name()));
                }
            }
        }
        match bad {
            Some(message) => Ok(Err(message)),
            None => self.finish(Raw::List(items)),
        }
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Cell, A::Error> {
        while map.next_entry::<de::IgnoredAny, de::IgnoredAny>()?.is_some() {}
        Ok(Err(format!("{} must be a value, not an object", self.column.name())))
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
    fn json_reports_every_problem_at_its_field() {
        let f = file(
            ".json",
            "[\n {\"login_name\": \"a\", \"max_chats\": \"lots\"},\n {\"login_name\": \"b\",\n  \"colour\": \"blue\"},\n {\"email\": \"c@x\"},\n {\"login_name\": \"A\", \"skills\": {\"x\": 1}, \"enabled\": \"maybe\"}\n]\n",
        );
        let errors = read(f.path(), None).unwrap_err();
        let got: Vec<(usize, usize, &str)> =
            errors.iter().map(|e| (e.line, e.column, e.message.as_str())).collect();
        assert_eq!(got.len(), 6, "{got:?}");
        assert_eq!((got[0].0, got[0].1), (2, 35), "{got:?}");
        assert!(got[0].2.starts_with("max_chats \"lots\""), "{got:?}");
        assert_eq!((got[1].0, got[1].1), (4, 13), "{got:?}");
        assert!(got[1].2.starts_with("unknown column \"colour\""), "{got:?}");
        assert_eq!((got[2].0, got[2].2), (5, "missing login name"));
        assert_eq!((got[3].0, got[3].1), (6, 17));
        assert!(got[3].2.contains("duplicate login name \"A\""), "{got:?}");
        assert_eq!((got[4].1, got[4].2), (32, "skills must be a value, not an object"));
        assert_eq!((got[5].1, got[5].2), (53, "enabled \"maybe\" is not true/false"));
        assert!(errors.iter().all(|e| e.path.ends_with(".json")));
    }

    #[test]
    fn yaml_reports_every_problem_at_its_field() {
        let f = file(
            ".yaml",
            "- login_name: a\n  max_chats: lots\n- login_name: b\n  colour: blue\n- email: c@x\n- login_name: d\n  max_async_chats: -1\n",
        );
        let errors = read(f.path(), None).unwrap_err();
        let got: Vec<(usize, usize)> = errors.iter().map(|e| (e.line, e.column)).collect();
        assert_eq!(got, [(2, 14), (4, 11), (5, 0), (7, 20)], "{errors:?}");
        assert!(errors[0].message.contains("max_chats"), "{errors:?}");
        assert!(errors[1].message.contains("colour"), "{errors:?}");
        assert_eq!(errors[2].message, "missing login name");
        assert!(errors[3].message.contains("max_async_chats"), "{errors:?}");
    }

    #[test]
    fn records_report_every_problem_of_a_record() {
        let items = [serde_json::json!({"login_name": "a", "max_chats": "lots", "colour": "red"})];
        let errors = records(&items, None).unwrap_err();
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(errors.iter().all(|e| (e.path.as_str(), e.line) == ("rows", 1)));
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
