//! Server-set timestamps: `YYYY-MM-DD HH:MM:SS` in UTC (users-api.md §4.4).

use crate::clock;

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
            Clock::System => clock::api_datetime(clock::now_secs()),
            Clock::Fixed(s) => s.clone(),
        }
    }
}
