//! The engine's errors.

use crate::input::InputError;

/// Why planning or applying did not happen.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// The desired rows have problems (every one found, up to a limit); nothing was
    /// contacted or applied.
    #[error("{}", input_message(.0))]
    Input(Vec<InputError>),
    /// The API failed.
    #[error(transparent)]
    Api(#[from] lpconfig::Error),
    /// The account changed since the plan was made: make a new plan.
    #[error(
        "the account changed since the plan was made ({collection} revision {planned} when planned, {now} now); \
         nothing applied: make a new plan"
    )]
    Stale {
        /// `users` or `agent groups`.
        collection: &'static str,
        /// The revision the plan was made against.
        planned: String,
        /// The revision now.
        now: String,
    },
    /// An option the engine cannot honour yet.
    #[error("not supported yet: {0}")]
    Unsupported(String),
    /// A saved plan that cannot be read.
    #[error("cannot read the plan: {0}")]
    PlanFormat(String),
}

fn input_message(errors: &[InputError]) -> String {
    match errors {
        [one] => format!("{one}; nothing applied"),
        many => format!("{} problems in the input; nothing applied (first: {})", many.len(), many[0]),
    }
}
