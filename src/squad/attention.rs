//! Who needs attention first: a fixed, documented set of rules (DESIGN.md,
//! "Squad attention score"), each worth points when it fires and saying why
//! in words. The score is their sum; ties go by name, so the order never
//! depends on the order athletes were read in.

use super::row::{Row, Status};

/// A failed analysis: the coach cannot see anything for this athlete.
pub const FAILED_POINTS: f64 = 100.0;
/// No activity could be analyzed (empty folder, only unreadable files).
pub const NO_RUNS_POINTS: f64 = 90.0;
/// Gray easy runs count from this share of at least `MIN_EASY_RUNS`.
pub const GRAY_SHARE_FROM: f64 = 0.25;
pub const MIN_EASY_RUNS: u32 = 3;
/// Points per unit of gray share (60 % -> 24).
pub const GRAY_POINTS: f64 = 40.0;
/// Points per % slower at the same heart rate, beyond the uncertainty.
pub const SLOWER_POINTS_PER_PCT: f64 = 5.0;
/// Acute:chronic load ratio that counts, and points per 0.1 above 1.3.
pub const ACWR_FROM: f64 = 1.5;
pub const ACWR_POINTS_PER_TENTH: f64 = 4.0;
pub const STEEP_COMEBACK_POINTS: f64 = 20.0;
/// A steep comeback counts while its layoff ended at most this many days
/// before the athlete's last activity.
pub const COMEBACK_RECENT_DAYS: i64 = 84;
/// Days without activity (before the squad's latest day) that count, and
/// points per week.
pub const INACTIVE_FROM_DAYS: i64 = 14;
pub const INACTIVE_POINTS_PER_WEEK: f64 = 5.0;
pub const RUT_POINTS: f64 = 8.0;
/// Unreadable files count from this share of the files seen.
pub const UNREADABLE_FROM: f64 = 0.1;
pub const UNREADABLE_POINTS: f64 = 10.0;
/// Runs with heart rate below this share make the HR metrics thin.
pub const HR_SHARE_FROM: f64 = 0.5;
pub const HR_POINTS: f64 = 5.0;
/// No rule is worth more than this, except failures.
pub const MAX_RULE_POINTS: f64 = 30.0;

/// Score every row, fill in the days since each athlete's last activity
/// (against the squad's latest day, never the clock), and sort: highest
/// score first, then by name. Ranks start at 1.
pub fn rank(rows: &mut [Row]) {
    let squad_last = rows.iter().filter_map(|r| r.last_activity).max();
    for row in rows.iter_mut() {
        row.days_since_last = row.last_activity.zip(squad_last).map(|(own, all)| (all - own).num_days());
        let mut fired = rules(row);
        // Biggest first; equal points keep the rules' order.
        fired.sort_by(|a, b| b.0.total_cmp(&a.0));
        // Folded from +0.0: an empty f64 sum is -0.0, which would print as "-0.0".
        row.score = (fired.iter().fold(0.0, |sum, f| sum + f.0) * 10.0).round() / 10.0;
        row.reasons = fired.into_iter().map(|f| f.1).collect();
    }
    rows.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.name.cmp(&b.name)));
    for (i, row) in rows.iter_mut().enumerate() {
        row.rank = i + 1;
    }
}

/// The reason column: every rule that fired, or that none did.
pub fn reason(row: &Row) -> String {
    if row.reasons.is_empty() { "nothing stands out".to_owned() } else { row.reasons.join("; ") }
}

fn pct(share: f64) -> String {
    format!("{:.0} %", share * 100.0)
}

/// The rules that fire for `row`, with their points.
fn rules(row: &Row) -> Vec<(f64, String)> {
    match &row.status {
        Status::Failed(why) => return vec![(FAILED_POINTS, format!("analysis failed: {why}"))],
        Status::NoRuns(why) => return vec![(NO_RUNS_POINTS, format!("no activity could be analyzed: {why}"))],
        Status::Ok => {}
    }
    let capped = |p: f64| p.min(MAX_RULE_POINTS);
    let mut fired = Vec::new();
    if let (Some(share), Some(easy), Some(gray)) =
        (row.gray_share_4_weeks, row.easy_runs_4_weeks, row.gray_runs_4_weeks)
        && easy >= MIN_EASY_RUNS
        && share >= GRAY_SHARE_FROM
    {
        fired.push((
            capped(GRAY_POINTS * share),
            format!("gray easy runs {} of last 4 weeks ({gray} of {easy})", pct(share)),
        ));
    }
    if let (Some(change), Some(unc)) = (row.pace_change_pct, row.pace_change_uncertainty_pct)
        && change < 0.0
        && -change > unc
    {
        fired.push((
            capped(SLOWER_POINTS_PER_PCT * -change),
            format!("pace at HR {:.1} % slower than in the first 4 weeks (± {unc:.1} %)", -change),
        ));
    }
    if let Some(acwr) = row.acwr.filter(|a| *a >= ACWR_FROM) {
        let points = ACWR_POINTS_PER_TENTH * (acwr - 1.3) * 10.0;
        fired.push((capped(points), format!("acute load {acwr:.2} x chronic (ACWR)")));
    }
    if row.comeback_steep == Some(true)
        && let (Some(start), Some(days), Some(last)) = (row.layoff_start, row.layoff_days, row.last_activity)
        && (last - start).num_days() - days <= COMEBACK_RECENT_DAYS
    {
        fired.push((STEEP_COMEBACK_POINTS, format!("steep comeback after the {days}-day layoff from {start}")));
    }
    if let Some(days) = row.days_since_last.filter(|d| *d >= INACTIVE_FROM_DAYS) {
        let points = INACTIVE_POINTS_PER_WEEK * days as f64 / 7.0;
        fired.push((capped(points), format!("no activity for {days} days before the squad's latest")));
    }
    if row.in_rut {
        fired.push((RUT_POINTS, format!("in a rut: the same routes ({} rut weeks in all)", row.rut_weeks)));
    }
    if row.files_seen > 0 && row.unreadable as f64 >= UNREADABLE_FROM * row.files_seen as f64 && row.unreadable > 0 {
        fired.push((UNREADABLE_POINTS, format!("{} of {} files unreadable", row.unreadable, row.files_seen)));
    }
    if let Some(share) = row.hr_share.filter(|s| *s < HR_SHARE_FROM) {
        fired.push((HR_POINTS, format!("only {} of runs with heart rate", pct(share))));
    }
    fired
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(name: &str) -> Row {
        Row::empty(name, name, Status::Ok)
    }

    #[test]
    fn failures_first_then_the_highest_score_then_by_name() {
        let mut gray = ok("gray");
        (gray.gray_share_4_weeks, gray.easy_runs_4_weeks, gray.gray_runs_4_weeks) = (Some(0.6), Some(10), Some(6));
        let mut slower = ok("slower");
        (slower.pace_change_pct, slower.pace_change_uncertainty_pct) = (Some(-4.0), Some(1.0));
        let mut noisy = ok("noisy");
        (noisy.pace_change_pct, noisy.pace_change_uncertainty_pct) = (Some(-4.0), Some(5.0));
        let failed = Row::empty("failed", "failed", Status::Failed("boom".into()));
        let mut rows = vec![ok("b-fine"), noisy, gray, ok("a-fine"), slower, failed];
        rank(&mut rows);
        let order: Vec<&str> = rows.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(order, ["failed", "gray", "slower", "a-fine", "b-fine", "noisy"]);
        assert_eq!(rows[1].reasons, ["gray easy runs 60 % of last 4 weeks (6 of 10)"]);
        let score = |r: &Row| format!("{:.1}", r.score);
        assert_eq!((score(&rows[1]), score(&rows[2])), ("24.0".into(), "20.0".into()));
        assert_eq!(reason(&rows[5]), "nothing stands out", "within its uncertainty: no rule");
        assert_eq!(rows.iter().map(|r| r.rank).collect::<Vec<_>>(), [1, 2, 3, 4, 5, 6]);
    }

    #[test]
    fn inactivity_counts_from_the_squads_latest_day() {
        let day = |d: u32| chrono::NaiveDate::from_ymd_opt(2026, 3, d);
        let (mut early, mut late) = (ok("early"), ok("late"));
        (early.last_activity, late.last_activity) = (day(1), day(29));
        let mut rows = vec![late, early];
        rank(&mut rows);
        assert_eq!(rows[0].name, "early");
        assert_eq!(rows[0].days_since_last, Some(28));
        assert_eq!(rows[0].reasons, ["no activity for 28 days before the squad's latest"]);
        assert_eq!(format!("{:.1}", rows[0].score), "20.0");
    }
}
