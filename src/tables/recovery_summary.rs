//! The `hr_recovery` section of summary.json: how many runs had a reading,
//! the recent level of the drop 60 s after a hard effort against the weeks
//! before, and whether it falls clearly (a fatigue cue); read back for the
//! report and the terminal.

use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::metrics::Metrics;
use crate::metrics::recovery::{self, Stretch};
use crate::stats::round;

fn stretch(s: &Stretch) -> Value {
    json!({
        "from": s.from.to_string(),
        "to": s.to.to_string(),
        "readings": s.readings,
        "drop_60s_bpm": round(s.drop_bpm, 1),
        "drop_60s_se_bpm": round(s.se_bpm, 1),
    })
}

pub fn recovery_json(m: &Metrics) -> Value {
    let t = m.recovery.as_ref();
    json!({
        "rules": format!(
            "the drop 60 s after an effort of {} s or more that ends by slowing below {:.0} % of its speed for at least a minute, ending at {:.0} % or more of the run's highest 30-s heart rate, with heart rate present and artifact-free throughout",
            crate::features::recovery::EFFORT_S,
            100.0 * crate::features::recovery::EASY_SHARE,
            100.0 * crate::features::recovery::HARD_SHARE,
        ),
        "source": t.map(|t| t.source.as_str()),
        "before": t.map(|t| stretch(&t.before)),
        "recent": t.map(|t| stretch(&t.recent)),
        "change_bpm": t.map(|t| round(t.change_bpm, 1)),
        "change_uncertainty_bpm": t.map(|t| round(t.uncertainty_bpm, 1)),
        "falling": t.map(recovery::RecoveryTrend::falling),
        "confidence": t.filter(|t| t.falling()).map(recovery::RecoveryTrend::confidence),
    })
}

/// The `hr_recovery` section read back.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct HrRecovery {
    pub source: Option<String>,
    pub before: Option<RecoveryStretch>,
    pub recent: Option<RecoveryStretch>,
    pub change_bpm: Option<f64>,
    pub change_uncertainty_bpm: Option<f64>,
    pub falling: Option<bool>,
    pub confidence: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct RecoveryStretch {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub readings: usize,
    pub drop_60s_bpm: f64,
}
