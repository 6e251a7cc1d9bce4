//! Which activities the metrics see: duplicate recordings merged
//! (`dedupe`), the configured period kept, and the configured sports marked
//! as runs. The one place `counts_as_run` is decided.

pub mod dedupe;

use chrono::NaiveDate;

use crate::features::Analyzed;
use crate::parse::Sport;

/// The period and sports to keep, from the validated settings.
#[derive(Debug, Clone, Copy)]
pub struct Selection<'a> {
    /// Local days, inclusive.
    pub since: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
    pub run_sports: &'a [Sport],
}

/// Keep the period and mark the configured sports as runs. Returns the kept
/// activities and how many fell outside the period.
pub fn select(items: Vec<Analyzed>, selection: &Selection<'_>) -> (Vec<Analyzed>, usize) {
    let before = items.len();
    let mut kept: Vec<Analyzed> = items
        .into_iter()
        .filter(|a| {
            let day = a.local_day();
            selection.since.is_none_or(|s| day >= s) && selection.until.is_none_or(|u| day <= u)
        })
        .collect();
    mark_runs(&mut kept, selection.run_sports);
    let outside = before - kept.len();
    (kept, outside)
}

/// First and last local day of `items`, for the message of a period that
/// holds none of them.
pub fn day_span(items: &[Analyzed]) -> Option<(NaiveDate, NaiveDate)> {
    let days = items.iter().map(Analyzed::local_day);
    Some((days.clone().min()?, days.max()?))
}

/// Mark the activities of `run_sports` as runs, the others not.
pub fn mark_runs(items: &mut [Analyzed], run_sports: &[Sport]) {
    for a in items {
        a.counts_as_run = run_sports.contains(&a.activity.meta.sport);
    }
}
