//! The heart-rate recovery finding: said only when the recovery after hard
//! efforts fell clearly (beyond its uncertainty and by 3 bpm or more), with
//! how sure, as a fatigue cue.

use crate::metrics::Metrics;
use crate::metrics::recovery::Source;

pub fn finding(m: &Metrics) -> Option<String> {
    let t = m.recovery.filter(crate::metrics::recovery::RecoveryTrend::falling)?;
    let what = match t.source {
        Source::Samples => "60 s after your hard efforts your heart rate fell by",
        Source::Watch => "your watch's recovery heart rate was",
    };
    Some(format!(
        "Your heart-rate recovery has slowed: since {} {what} {:.0} bpm ({} runs) against {:.0} bpm in the weeks before ({} runs), {:.0} bpm less (\u{b1} {:.0} bpm, {} confidence). A slower recovery is a fatigue cue: consider a few easy days.",
        t.recent.from.format("%-d %b"),
        t.recent.drop_bpm,
        t.recent.readings,
        t.before.drop_bpm,
        t.before.readings,
        -t.change_bpm,
        t.uncertainty_bpm,
        t.confidence(),
    ))
}
