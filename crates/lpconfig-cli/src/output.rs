//! Printing records as a table, JSON, JSON lines or CSV.

use std::borrow::Borrow;
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{ContentArrangement, Table};
use serde_json::{Map, Value};

use crate::cli::OutputFormat;
use crate::escape;
use crate::failure::{CliResult, Failure};

mod piped;
mod record;

pub use piped::{piped, Feed, Received};

/// Rows for the table and CSV formats.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct View {
    /// Column headers.
    pub headers: Vec<String>,
    /// Cells, one `Vec` per row.
    pub rows: Vec<Vec<String>>,
}

/// `--raw`: CSV cells exactly as stored. Set once, before any output.
static RAW_CSV: AtomicBool = AtomicBool::new(false);

/// Turns the CSV formula guard off (`--raw`) or on.
pub fn set_raw_csv(raw: bool) {
    RAW_CSV.store(raw, Ordering::Relaxed);
}

/// Write-only fields the core serializes as `null`; never worth printing.
const WRITE_ONLY: [&str; 3] = ["passwordSh", "oldPassword", "confirmPassword"];

/// An entity as JSON for output: write-only fields dropped, projected on `select`.
pub fn to_record<T: serde::Serialize>(entity: &T, select: Option<&[String]>) -> CliResult<Value> {
    let mut v = serde_json::to_value(entity).map_err(|e| Failure::api(format!("cannot encode: {e}")))?;
    if let Value::Object(map) = &mut v {
        for k in WRITE_ONLY {
            map.remove(k);
        }
        if let Some(keys) = select {
            let kept: Map<String, Value> =
                keys.iter().filter_map(|k| map.get(k).map(|v| (k.clone(), v.clone()))).collect();
            *map = kept;
        }
    }
    Ok(v)
}

/// Top-level field names of a `select` expression: `id,memberOf(agentGroupId)` → `id`, `memberOf`.
pub fn select_keys(select: &str) -> Vec<String> {
    let mut keys = Vec::new();
    let mut depth = 0usize;
    let mut cur = String::new();
    for c in select.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                let k = cur.trim().to_owned();
                if !k.is_empty() {
                    keys.push(k);
                }
                cur.clear();
                continue;
            }
            _ if depth == 0 => cur.push(c),
            _ => {}
        }
    }
    let k = cur.trim().to_owned();
    if !k.is_empty() {
        keys.push(k);
    }
    keys
}

/// A JSON value as a cell: scalars plain, lists joined with `;`, objects as JSON.
pub fn cell(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::Array(items) => items.iter().map(cell).collect::<Vec<_>>().join(";"),
        Value::Object(_) => v.to_string(),
    }
}

/// A view with the given keys as columns, straight from the records.
pub fn raw_view(records: &[Value], keys: &[String]) -> View {
    View { headers: keys.to_vec(), rows: records.iter().map(|r| raw_row(r, keys)).collect() }
}

/// One row of [`raw_view`]: the record's cells under `keys`.
pub fn raw_row(record: &Value, keys: &[String]) -> Vec<String> {
    keys.iter().map(|k| record.get(k).map(cell).unwrap_or_default()).collect()
}

/// Writes text to stdout; a closed pipe (`| head`) is not an error.
pub fn write_stdout(text: &str) -> CliResult {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Failure::usage(format!("cannot write to stdout: {e}")))
        }
        _ => Ok(()),
    }
}

fn table_text(view: &View) -> String {
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED).set_content_arrangement(ContentArrangement::Dynamic);
    // Server data may hold terminal control sequences: show them, never obey them.
    let safe = |cells: &[String]| cells.iter().map(|c| escape::controls(c).into_owned()).collect::<Vec<_>>();
    t.set_header(safe(&view.headers));
    for r in &view.rows {
        t.add_row(safe(r));
    }
    format!("{t}\n")
}

fn csv_text(view: &View) -> CliResult<String> {
    csv_text_with(view, RAW_CSV.load(Ordering::Relaxed))
}

fn csv_text_with(view: &View, raw: bool) -> CliResult<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let err = |e: csv::Error| Failure::usage(format!("cannot write CSV: {e}"));
    w.write_record(&view.headers).map_err(err)?;
    for r in &view.rows {
        if raw {
            w.write_record(r).map_err(err)?;
        } else {
            w.write_record(r.iter().map(|c| escape::csv_cell(c).into_owned())).map_err(err)?;
        }
    }
    let bytes = w.into_inner().map_err(|e| Failure::usage(format!("cannot write CSV: {e}")))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Prints a list.
pub fn emit_list(format: OutputFormat, records: &[Value], view: impl FnOnce() -> View) -> CliResult {
    let text = match format {
        OutputFormat::Json => format!("{}\n", pretty(&Value::Array(records.to_vec()))),
        OutputFormat::Jsonl => records.iter().map(|r| format!("{r}\n")).collect(),
        OutputFormat::Table => {
            let v = view();
            let n = v.rows.len();
            format!("{}{n} {}\n", table_text(&v), if n == 1 { "row" } else { "rows" })
        }
        OutputFormat::Csv => csv_text(&view())?,
    };
    write_stdout(&text)
}

/// Prints entities as JSON or JSON-lines records ([`to_record`]'s) as they are
/// produced, through one buffered stdout: a large list never exists as records
/// plus one big string, and a record is written straight from the entity, with
/// no `Value` in between (docs/performance.md). The bytes equal [`emit_list`]'s
/// for the same records.
pub fn stream_records<T: serde::Serialize>(
    format: OutputFormat,
    entities: impl IntoIterator<Item = CliResult<impl Borrow<T>>>,
    select: Option<&[String]>,
) -> CliResult {
    let mut out = std::io::BufWriter::with_capacity(64 * 1024, std::io::stdout().lock());
    match write_records(&mut out, format, entities, select) {
        Ok(()) => Ok(()),
        Err(Ok(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(Ok(e)) => Err(Failure::usage(format!("cannot write to stdout: {e}"))),
        Err(Err(failure)) => Err(failure),
    }
}

/// The writer's error (`Ok`) or the producer's (`Err`).
///
/// A producer's error ends the output where it is: no closing `]`, so a list
/// that failed half-way never reads as complete.
fn write_records<T: serde::Serialize>(
    out: &mut impl Write,
    format: OutputFormat,
    entities: impl IntoIterator<Item = CliResult<impl Borrow<T>>>,
    select: Option<&[String]>,
) -> Result<(), Result<std::io::Error, Failure>> {
    let json = format == OutputFormat::Json;
    let mut entries = record::Entries::default();
    let mut first = true;
    for entity in entities {
        let entity = entity.map_err(Err)?;
        let entity: &T = entity.borrow();
        // The direct path, or (an entity that is not a plain map) the `Value` one.
        let fallback = match entries.capture(entity, json) {
            Ok(()) => None,
            Err(_) => Some(to_record(entity, select).map_err(Err)?),
        };
        if json {
            out.write_all(if first { b"[\n" } else { b",\n" }).map_err(Ok)?;
        }
        match &fallback {
            None => entries.write(out, select, json).map_err(Ok)?,
            Some(record) => write_value_record(out, record, json).map_err(Ok)?,
        }
        if !json {
            out.write_all(b"\n").map_err(Ok)?;
        }
        first = false;
    }
    if json {
        out.write_all(if first { b"[]\n" } else { b"\n]\n" }).map_err(Ok)?;
    }
    out.flush().map_err(Ok)
}

/// One record from its `Value`: compact, or an element of a pretty-printed
/// array (its lines indented by two spaces; JSON strings hold no raw newlines,
/// so lines are safe to split).
fn write_value_record(out: &mut impl Write, record: &Value, json: bool) -> std::io::Result<()> {
    if !json {
        return serde_json::to_writer(&mut *out, record).map_err(Into::into);
    }
    for (i, line) in pretty(record).lines().enumerate() {
        if i > 0 {
            out.write_all(b"\n")?;
        }
        out.write_all(b"  ")?;
        out.write_all(line.as_bytes())?;
    }
    Ok(())
}

/// Prints CSV rows as they are produced, through the CSV writer's one buffer on
/// stdout, like [`stream_records`]: a large list never exists as rows plus one
/// big string (docs/performance.md). The bytes equal [`emit_list`]'s CSV for the
/// same headers and rows, formula guard (`--raw`) included.
pub fn stream_csv(headers: &[String], rows: impl IntoIterator<Item = CliResult<Vec<String>>>) -> CliResult {
    let out = std::io::stdout().lock();
    match write_csv(out, headers, rows, RAW_CSV.load(Ordering::Relaxed)) {
        Ok(()) => Ok(()),
        Err(Ok(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(Ok(e)) => Err(Failure::usage(format!("cannot write to stdout: {e}"))),
        Err(Err(failure)) => Err(failure),
    }
}

/// The writer's I/O error (`Ok`) or any other failure (`Err`), as in [`write_records`].
fn write_csv(
    out: impl Write,
    headers: &[String],
    rows: impl IntoIterator<Item = CliResult<Vec<String>>>,
    raw: bool,
) -> Result<(), Result<std::io::Error, Failure>> {
    let err = |e: csv::Error| match e.kind() {
        csv::ErrorKind::Io(_) => match e.into_kind() {
            csv::ErrorKind::Io(io) => Ok(io),
            _ => unreachable!("checked above"),
        },
        _ => Err(Failure::usage(format!("cannot write CSV: {e}"))),
    };
    let mut w = csv::WriterBuilder::new().buffer_capacity(64 * 1024).from_writer(out);
    w.write_record(headers).map_err(err)?;
    for row in rows {
        let row = row.map_err(Err)?;
        if raw {
            w.write_record(&row).map_err(err)?;
        } else {
            for c in &row {
                w.write_field(escape::csv_cell(c).as_bytes()).map_err(err)?;
            }
            // Ends the record (an empty iterator writes no field).
            w.write_record(None::<&[u8]>).map_err(err)?;
        }
    }
    w.flush().map_err(Ok)
}

/// Prints one record (a field/value table in table format).
pub fn emit_one(format: OutputFormat, record: &Value, view: impl FnOnce() -> View) -> CliResult {
    match format {
        OutputFormat::Json => write_stdout(&format!("{}\n", pretty(record))),
        OutputFormat::Jsonl => write_stdout(&format!("{record}\n")),
        OutputFormat::Csv => write_stdout(&csv_text(&view())?),
        OutputFormat::Table => {
            let v = view();
            let rows = v
                .headers
                .iter()
                .enumerate()
                .map(|(i, h)| {
                    vec![h.clone(), v.rows.first().and_then(|r| r.get(i)).cloned().unwrap_or_default()]
                })
                .collect();
            write_stdout(&table_text(&View { headers: vec!["field".into(), "value".into()], rows }))
        }
    }
}

fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_else(|_| v.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn select_keys_ignore_sub_selections() {
        assert_eq!(
            select_keys("id, loginName,memberOf(agentGroupId,x),skillIds"),
            ["id", "loginName", "memberOf", "skillIds"]
        );
    }

    #[test]
    fn cells_are_flat() {
        assert_eq!(cell(&json!([1, 2])), "1;2");
        assert_eq!(cell(&json!(null)), "");
        assert_eq!(cell(&json!({"agentGroupId": 5})), r#"{"agentGroupId":5}"#);
    }

    #[test]
    fn records_drop_write_only_fields_and_project() {
        let r = to_record(&json!({"id": 1, "passwordSh": null, "loginName": "a"}), None).unwrap();
        assert_eq!(r, json!({"id": 1, "loginName": "a"}));
        let r = to_record(&json!({"id": 1, "loginName": "a"}), Some(&["loginName".to_owned()])).unwrap();
        assert_eq!(r, json!({"loginName": "a"}));
    }

    #[test]
    fn csv_neutralises_formulas_unless_raw() {
        let cells = ["=1+1", "@x", "+x", "-x", "-1"].map(String::from).to_vec();
        let v = View {
            headers: vec!["a".into(), "b".into(), "c".into(), "d".into(), "e".into()],
            rows: vec![cells],
        };
        assert_eq!(csv_text_with(&v, false).unwrap(), "a,b,c,d,e\n'=1+1,'@x,'+x,'-x,-1\n");
        assert_eq!(csv_text_with(&v, true).unwrap(), "a,b,c,d,e\n=1+1,@x,+x,-x,-1\n");
    }

    #[test]
    fn tables_escape_control_characters() {
        let v = View {
            headers: vec!["nickname".into()],
            rows: vec![vec!["Jo\u{1b}[2J\u{1b}]0;pwned\u{7}".into()]],
        };
        let text = table_text(&v);
        assert!(!text.contains('\u{1b}') && !text.contains('\u{7}'), "{text:?}");
        assert!(text.contains("Jo\\e[2J\\e]0;pwned\\x07"), "{text}");
    }

    /// What `emit_list` prints for the records of `entities`.
    fn buffered<T: serde::Serialize>(
        entities: &[T],
        format: OutputFormat,
        select: Option<&[String]>,
    ) -> String {
        let records: Vec<Value> = entities.iter().map(|e| to_record(e, select).unwrap()).collect();
        match format {
            OutputFormat::Json => format!("{}\n", pretty(&Value::Array(records))),
            _ => records.iter().map(|r| format!("{r}\n")).collect(),
        }
    }

    fn streamed<T: serde::Serialize>(
        entities: &[T],
        format: OutputFormat,
        select: Option<&[String]>,
    ) -> String {
        let mut out = Vec::new();
        assert!(write_records::<T>(&mut out, format, entities.iter().map(Ok::<_, Failure>), select).is_ok());
        String::from_utf8(out).unwrap()
    }

    fn selects() -> [Option<Vec<String>>; 4] {
        let keys = |k: &[&str]| Some(k.iter().map(|s| s.to_string()).collect());
        [
            None,
            keys(&["loginName", "id"]),
            keys(&["memberOf", "skillIds", "passwordSh", "nope", "id", "id"]),
            keys(&[]),
        ]
    }

    #[test]
    fn streamed_records_are_byte_for_byte_the_buffered_output() {
        let sets = [
            vec![],
            vec![json!({"id": 1})],
            vec![
                json!({"id": 1, "skillIds": [1, 2], "memberOf": {"agentGroupId": -1}, "n": "a\nb"}),
                json!({}),
                json!({"b": [], "a": {}, "c": [[1, {"z": 1, "y": [true, null]}]], "d": 1.5, "e\"q": 1}),
                json!("not an object"),
                json!([1, 2]),
            ],
        ];
        for records in sets {
            for format in [OutputFormat::Json, OutputFormat::Jsonl] {
                for select in selects() {
                    let select = select.as_deref();
                    assert_eq!(
                        streamed(&records, format, select),
                        buffered(&records, format, select),
                        "{format:?} {select:?} of {records:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn streamed_users_are_byte_for_byte_the_buffered_output() {
        use lpconfig::api::users::{GroupLink, User};
        let mut full = User::new("jo", "Jo \"J\" \u{1}", "jo@example.com");
        full.id = Some(7);
        full.skill_ids = vec![3, 1];
        full.member_of = Some(GroupLink::to(-1));
        let mut link = GroupLink::to(5);
        link.assignment_date = Some("2026-01-01 00:00:00".into());
        link.extra.insert("aaa".into(), json!(1));
        full.manager_of = vec![link, GroupLink::default()];
        full.extra.insert("zeta".into(), json!({"b": 1, "a": [1.25, "x"]}));
        full.extra.insert("alpha".into(), json!(null));
        // An unknown field under a known name: the later one wins, as in a map.
        full.extra.insert("id".into(), json!("dup"));
        // Equal keys in a row: the second reuses the first one's order.
        let users =
            vec![full.clone(), full, User::default(), User::new("a", "b", "c"), User::new("d", "", "f")];
        for format in [OutputFormat::Json, OutputFormat::Jsonl] {
            for select in selects() {
                let select = select.as_deref();
                assert_eq!(
                    streamed(&users, format, select),
                    buffered(&users, format, select),
                    "{format:?} {select:?}"
                );
            }
        }
    }

    #[test]
    fn streamed_users_never_show_write_only_fields() {
        use lpconfig::api::users::User;
        let mut u = User::new("jo", "Jo", "jo@example.com");
        u.password = Some("S3cret-pw".to_owned().into());
        let users = [u];
        for format in [OutputFormat::Json, OutputFormat::Jsonl] {
            let all = Some(vec!["passwordSh".to_owned(), "loginName".to_owned()]);
            for select in [None, all] {
                let text = streamed(&users, format, select.as_deref());
                assert!(!text.contains("S3cret") && !text.contains("passwordSh"), "{text}");
                assert!(text.contains("\"jo\""), "{text}");
            }
        }
    }

    #[test]
    fn streamed_csv_is_byte_for_byte_the_buffered_output() {
        let headers: Vec<String> = ["id", "name", "skills"].map(String::from).to_vec();
        let row = |cells: [&str; 3]| cells.map(String::from).to_vec();
        let sets = [
            vec![],
            vec![row(["1", "Jo", ""])],
            vec![
                row(["1", "=cmd|' /C calc'!A0", "a;b"]),
                row(["2", "x,y \"quoted\"\nline", "-1"]),
                row(["", "", ""]),
                row(["3", "@sum", "+x"]),
            ],
        ];
        for rows in sets {
            for raw in [false, true] {
                let expected =
                    csv_text_with(&View { headers: headers.clone(), rows: rows.clone() }, raw).unwrap();
                let mut out = Vec::new();
                assert!(write_csv(&mut out, &headers, rows.iter().cloned().map(Ok), raw).is_ok());
                assert_eq!(String::from_utf8(out).unwrap(), expected, "raw={raw} of {rows:?}");
            }
        }
    }

    #[test]
    fn streamed_csv_stops_at_the_first_failed_row() {
        let headers = vec!["id".to_owned()];
        let rows = vec![Ok(vec!["1".to_owned()]), Err(Failure::api("boom")), Ok(vec!["2".to_owned()])];
        let mut out = Vec::new();
        assert!(matches!(write_csv(&mut out, &headers, rows, false), Err(Err(_))));
    }

    #[test]
    fn streamed_records_that_fail_half_way_are_never_closed() {
        // A list that failed after some records must not read as a complete JSON array.
        let items = vec![
            Ok(serde_json::json!({"id": 1})),
            Err(Failure::api("boom")),
            Ok(serde_json::json!({"id": 2})),
        ];
        let mut out = Vec::new();
        assert!(matches!(write_records::<Value>(&mut out, OutputFormat::Json, items, None), Err(Err(_))));
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("[\n") && text.contains("\"id\": 1"), "{text}");
        assert!(!text.contains(']') && !text.contains("\"id\": 2"), "{text}");
    }

    #[test]
    fn csv_quotes() {
        let v = View { headers: vec!["a".into(), "b".into()], rows: vec![vec!["x,y".into(), "z".into()]] };
        assert_eq!(csv_text(&v).unwrap(), "a,b\n\"x,y\",z\n");
    }
}
