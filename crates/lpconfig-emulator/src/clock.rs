//! Wall-clock helpers: epoch milliseconds and the Java-style timestamps that the
//! Login Service prints in its error bodies (`Sep 22, 2016 4:10:15 PM`).

use std::time::{SystemTime, UNIX_EPOCH};

/// Milliseconds since 1970-01-01 UTC.
pub fn now_millis() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0)
}

/// Seconds since 1970-01-01 UTC (the unit of `oauth_timestamp`).
pub fn now_secs() -> i64 {
    (now_millis() / 1000) as i64
}

/// `MMM d, yyyy h:mm:ss a` in UTC, the format of the documented CSRF error's `time`.
pub fn java_medium_datetime(epoch_secs: i64) -> String {
    const MONTHS: [&str; 12] =
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let days = epoch_secs.div_euclid(86_400);
    let secs = epoch_secs.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    let (h, m, s) = (secs / 3600, secs % 3600 / 60, secs % 60);
    let (h12, ampm) = match h {
        0 => (12, "AM"),
        1..=11 => (h, "AM"),
        12 => (12, "PM"),
        _ => (h - 12, "PM"),
    };
    format!("{} {day}, {year} {h12}:{m:02}:{s:02} {ampm}", MONTHS[(month - 1) as usize])
}

/// Days since the epoch to (year, month 1-12, day 1-31), proleptic Gregorian
/// (Howard Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_example_format() {
        // 2016-09-22T16:10:15Z
        assert_eq!(java_medium_datetime(1_474_560_615), "Sep 22, 2016 4:10:15 PM");
        assert_eq!(java_medium_datetime(0), "Jan 1, 1970 12:00:00 AM");
        assert_eq!(java_medium_datetime(951_825_600), "Feb 29, 2000 12:00:00 PM");
    }
}
