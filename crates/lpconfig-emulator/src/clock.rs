//! Wall-clock helpers: epoch milliseconds, the API's `YYYY-MM-DD HH:MM:SS`
//! timestamps (users-api.md §4.4) and the Java-style ones the Login Service
//! prints in its error bodies (`Sep 22, 2016 4:10:15 PM`). All in UTC.

use std::time::{SystemTime, UNIX_EPOCH};

use time::macros::format_description;
use time::OffsetDateTime;

/// Milliseconds since 1970-01-01 UTC.
pub fn now_millis() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0)
}

/// Seconds since 1970-01-01 UTC (the unit of `oauth_timestamp`).
pub fn now_secs() -> i64 {
    (now_millis() / 1000) as i64
}

fn utc(epoch_secs: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(epoch_secs).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// `YYYY-MM-DD HH:MM:SS`, the format of `dateUpdated` and friends.
pub fn api_datetime(epoch_secs: i64) -> String {
    let fmt = format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
    utc(epoch_secs).format(&fmt).expect("a fixed format always applies")
}

/// `MMM d, yyyy h:mm:ss a`, the format of the documented CSRF error's `time`.
pub fn java_medium_datetime(epoch_secs: i64) -> String {
    let fmt = format_description!(
        "[month repr:short] [day padding:none], [year] [hour repr:12 padding:none]:[minute]:[second] [period]"
    );
    utc(epoch_secs).format(&fmt).expect("a fixed format always applies")
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

    #[test]
    fn api_format() {
        assert_eq!(api_datetime(0), "1970-01-01 00:00:00");
        assert_eq!(api_datetime(1_474_560_615), "2016-09-22 16:10:15");
        assert_eq!(api_datetime(951_825_600), "2000-02-29 12:00:00");
    }
}
