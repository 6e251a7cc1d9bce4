//! A run that analyzes nothing writes nothing (the previous output stays as
//! it was), so its one message has to say what was found and what to change.

use chrono::NaiveDate;

use super::plural;
use crate::discover::Skipped;
use crate::tables::summary::RunCounts;

/// What the run saw, for the message of a run with nothing to analyze.
pub struct Nothing<'a> {
    pub counts: &'a RunCounts,
    pub since: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
    /// First and last local day of the activities the period left out.
    pub span: Option<(NaiveDate, NaiveDate)>,
    /// Inputs that could not be read, sorted.
    pub unreadable: &'a [Skipped],
    /// Whether the per-file warnings were printed above the message.
    pub warned: bool,
}

impl Nothing<'_> {
    pub fn describe(&self) -> String {
        let c = self.counts;
        if c.outside_period > 0 {
            return self.period();
        }
        if c.files_seen == 0 {
            return format!(
                "no FIT, GPX or TCX files were found ({} ignored); point runlens at an export zip or a folder of activity files",
                plural(c.ignored, "other file", "other files")
            );
        }
        let files = plural(c.files_seen, "file was", "files were");
        let Some(first) = self.unreadable.first() else {
            return format!("{files} read, but none held an activity");
        };
        let rest = self.unreadable.len() - 1;
        let more = match (rest, self.warned) {
            (0, _) => String::new(),
            (n, true) => format!("; {} listed above", plural(n, "other", "others")),
            (n, false) => format!("; {} (run without --quiet to see each)", plural(n, "other", "others")),
        };
        format!("{files} skipped ({}: {}{more})", first.source, first.reason)
    }

    /// "no activity between 2030-01-01 and ...; yours run from ... to ...".
    fn period(&self) -> String {
        let period = match (self.since, self.until) {
            (Some(s), Some(u)) => format!("between {s} and {u}"),
            (Some(s), None) => format!("on or after {s}"),
            (None, Some(u)) => format!("on or before {u}"),
            (None, None) => "in the period".into(),
        };
        let n = plural(self.counts.outside_period, "activity", "activities");
        let span = self.span.map_or(String::new(), |(first, last)| format!(" (from {first} to {last})"));
        format!(
            "none of the {n} found{span} falls {period} (local days); change --since/--until (or since/until in runlens.toml)"
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_period_with_nothing_in_it_names_the_period_and_the_activities_dates() {
        let counts = RunCounts { files_seen: 3, outside_period: 3, ..RunCounts::default() };
        let n = Nothing {
            counts: &counts,
            since: Some(day("2030-01-01")),
            until: None,
            span: Some((day("2026-01-05"), day("2026-03-01"))),
            unreadable: &[],
            warned: true,
        };
        assert_eq!(
            n.describe(),
            "none of the 3 activities found (from 2026-01-05 to 2026-03-01) falls on or after 2030-01-01 (local days); change --since/--until (or since/until in runlens.toml)"
        );
    }

    #[test]
    fn skipped_files_are_quoted_when_the_warnings_were_not_shown() {
        let counts = RunCounts { files_seen: 2, unreadable: 2, ..RunCounts::default() };
        let unreadable = [Skipped::new("a.gpx", "broken XML"), Skipped::new("b.fit", "the file is empty")];
        let n =
            Nothing { counts: &counts, since: None, until: None, span: None, unreadable: &unreadable, warned: false };
        assert_eq!(n.describe(), "2 files were skipped (a.gpx: broken XML; 1 other (run without --quiet to see each))");
    }
}
