//! The progress bar of an apply: fed by the engine's progress callback, ticking on
//! its own between callbacks, with rate and ETA.

use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use lpconfig_sync::{Phase, Progress, ProgressFn};

/// A bar on stderr (hidden when stderr is not a terminal).
pub struct Bar(ProgressBar);

fn phase_text(p: Phase) -> &'static str {
    match p {
        Phase::Checking => "checking the account",
        Phase::CreateCatalogEntries => "creating skills and lines of business",
        Phase::CreateGroups => "creating groups",
        Phase::UpdateGroups => "updating groups",
        Phase::MoveGroups => "moving groups",
        Phase::CreateUsers => "creating users",
        Phase::UpdateUsers => "updating users",
        Phase::DeleteUsers => "deleting users",
        Phase::Done => "done",
    }
}

impl Bar {
    /// A bar of `total` changes.
    pub fn new(total: usize, visible: bool) -> Self {
        if !visible {
            return Self(ProgressBar::hidden());
        }
        let b = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
        if let Ok(style) = ProgressStyle::with_template(
            "{spinner} [{bar:30}] {pos}/{len} {msg} ({per_sec}, ETA {eta}, {elapsed})",
        ) {
            b.set_style(style.progress_chars("=> "));
        }
        // Keeps the spinner and elapsed time moving while a batch is on the wire.
        b.enable_steady_tick(Duration::from_millis(100));
        Self(b)
    }

    /// The engine callback that moves the bar.
    pub fn callback(&self) -> ProgressFn {
        let bar = self.0.clone();
        std::sync::Arc::new(move |p: &Progress| {
            bar.set_position(p.done as u64);
            bar.set_message(phase_text(p.phase));
        })
    }

    /// Removes the bar.
    pub fn finish(&self) {
        self.0.finish_and_clear();
    }
}
