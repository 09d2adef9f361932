//! Server-set timestamps: `YYYY-MM-DD HH:MM:SS` in UTC (users-api.md §4.4).

use std::time::{SystemTime, UNIX_EPOCH};

/// Where the store takes "now" from; tests pin it to check `assignmentDate` rules.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Clock {
    /// The system clock.
    #[default]
    System,
    /// Always this already formatted timestamp.
    Fixed(String),
}

impl Clock {
    /// The current timestamp in the API's format.
    pub fn now(&self) -> String {
        match self {
            Clock::System => {
                let secs =
                    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0);
                format_epoch_secs(secs)
            }
            Clock::Fixed(s) => s.clone(),
        }
    }
}

/// Epoch seconds to `YYYY-MM-DD HH:MM:SS` (UTC).
pub fn format_epoch_secs(epoch_secs: i64) -> String {
    let days = epoch_secs.div_euclid(86_400);
    let secs = epoch_secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}", secs / 3600, secs % 3600 / 60, secs % 60)
}

/// Howard Hinnant's `civil_from_days` (proleptic Gregorian).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_utc() {
        assert_eq!(format_epoch_secs(0), "1970-01-01 00:00:00");
        assert_eq!(format_epoch_secs(1_474_560_615), "2016-09-22 16:10:15");
        assert_eq!(format_epoch_secs(951_825_600), "2000-02-29 12:00:00");
    }
}
