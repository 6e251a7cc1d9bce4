//! `runlens inspect FILE`: what runlens reads from one file, channel by
//! channel, for when a number in the tables looks wrong.

use std::io::{self, Write};
use std::path::Path;

use chrono::{DateTime, FixedOffset};

use crate::discover;
use crate::error::{Error, ParseError};
use crate::parse::{self, Activity, Channel, Summary};

pub fn inspect(path: &Path, out: &mut dyn Write) -> Result<(), Error> {
    let found = discover::discover(&[path.to_path_buf()]);
    if let Some(s) = found.skipped.first() {
        return Err(Error::Unreadable { path: path.to_path_buf(), reason: s.reason.clone() });
    }
    let write_err = |source| Error::Write { path: "stdout".into(), source };
    let mut last_error = None;
    let mut shown = 0;
    for source in &found.sources {
        match source.read().and_then(|b| parse::parse_bytes(&source.label, &b)) {
            Ok(activities) => {
                for a in activities {
                    print_activity(&a.into_time_order(), out).map_err(write_err)?;
                    shown += 1;
                }
            }
            Err(e) => {
                writeln!(out, "{}: skipped: {e}\n", source.label).map_err(write_err)?;
                last_error = Some(e);
            }
        }
    }
    match (shown, last_error) {
        (0, Some(source)) => Err(Error::Inspect { path: path.to_path_buf(), source }),
        (0, None) => Err(Error::Inspect { path: path.to_path_buf(), source: ParseError::UnknownFormat }),
        _ => Ok(()),
    }
}

fn print_activity(a: &Activity, out: &mut dyn Write) -> io::Result<()> {
    // The file alone: its own offset or its position's zone (an analysis
    // may also fill one in from other files or --utc-offset).
    let mut local = a.meta.clone();
    crate::features::timezone::from_position(&mut local, &a.samples);
    let m = &a.meta;
    let s = Summary::of(a);
    let start = DateTime::from_timestamp_millis(m.start_ms).unwrap_or_default();
    writeln!(out, "{}", m.source)?;
    writeln!(out, "  format       {}", m.format.map_or("?", |f| f.as_str()))?;
    writeln!(out, "  sport        {} (file says {:?})", m.sport, m.sport_raw)?;
    writeln!(out, "  start        {}", start.format("%Y-%m-%dT%H:%M:%SZ"))?;
    if let Some(offset) = local.utc_offset_s.and_then(FixedOffset::east_opt) {
        let at = start.with_timezone(&offset).format("%Y-%m-%d %H:%M:%S %:z");
        writeln!(out, "  local start  {at} ({})", local.utc_offset_source.as_str())?;
    }
    writeln!(out, "  duration     {:.0} s (moving {:.0} s)", s.duration_s, s.moving_time_s)?;
    let fmt = |v: Option<f64>, unit: &str| v.map_or_else(|| "-".to_owned(), |v| format!("{v:.1} {unit}"));
    writeln!(out, "  distance     {}", fmt(s.distance_m, "m"))?;
    writeln!(out, "  heart rate   avg {} / max {}", fmt(s.avg_hr_bpm, "bpm"), fmt(s.max_hr_bpm, "bpm"))?;
    if let Some(device) = &m.device {
        writeln!(out, "  device       {device}")?;
    }
    if let Some(name) = &m.name {
        writeln!(out, "  name         {name}")?;
    }
    if let Some(note) = &m.integrity {
        writeln!(out, "  integrity    {note}")?;
    }
    writeln!(out, "  samples      {} ({} dropped without a usable time)", s.samples, m.dropped_points)?;
    if m.out_of_order_points > 0 {
        writeln!(
            out,
            "  out of order {} samples were earlier than the one before them (sorted)",
            m.out_of_order_points
        )?;
    }
    for channel in Channel::ALL {
        let n = a.samples.count(channel);
        let pct = if s.samples == 0 { 0.0 } else { 100.0 * n as f64 / s.samples as f64 };
        writeln!(out, "    {:<12} {n:>7} ({pct:5.1} %)", channel.name())?;
    }
    let excluded = crate::clean::clean(a).quality;
    writeln!(
        out,
        "  excluded     {} s paused, {} s standing, {} HR artifacts, {} GPS jumps",
        excluded.paused_s, excluded.stopped_s, excluded.hr_artifacts, excluded.gps_jumps
    )?;
    if m.laps > 0 {
        writeln!(out, "  laps         {}", m.laps)?;
    }
    if !m.pauses.is_empty() {
        writeln!(out, "  pauses       {}", m.pauses.len())?;
    }
    let t = m.thresholds;
    if t.max_hr_bpm.or(t.lthr_bpm).or(t.resting_hr_bpm).is_some() {
        writeln!(
            out,
            "  watch HR     max {} / threshold {} / resting {}",
            fmt(t.max_hr_bpm, "bpm"),
            fmt(t.lthr_bpm, "bpm"),
            fmt(t.resting_hr_bpm, "bpm")
        )?;
    }
    writeln!(out)
}
