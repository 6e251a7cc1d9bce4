//! `best_efforts.png`: "how fast can I go, for how long, now?" This
//! season's mean-maximal pace curve (the last 12 weeks) against the same
//! weeks a year before and the all-time best, on a log duration axis from
//! 10 s to 3 h, faster up; personal records marked where they sit.

use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};
use plotters::prelude::*;
use serde::Serialize;

use super::style::{self, Area, Drawn};
use crate::tables::efforts::CurveRow;
use crate::tables::readback::Readback;
use crate::units::{Units, clock};

/// Ticks of the duration axis (seconds).
const TICKS_S: [f64; 10] = [10.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1200.0, 1800.0, 3600.0, 10_800.0];

#[derive(Debug, Clone, Serialize)]
pub struct Series {
    /// "min/km" or "min/mi".
    pub unit: String,
    /// Drawn in order: a year before, this season, the all-time best
    /// (thin, on top, so it shows where this season holds the record).
    pub curves: Vec<Curve>,
    /// Records: label ("5 km 19:22"), time s, pace s per displayed unit.
    pub records: Vec<(String, f64, f64)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Role {
    LastSeason,
    ThisSeason,
    AllTime,
}

#[derive(Debug, Clone, Serialize)]
pub struct Curve {
    pub role: Role,
    pub label: String,
    /// (duration s, pace s per displayed unit).
    pub points: Vec<(f64, f64)>,
}

pub fn series(input: &Readback, units: Units) -> Result<Series, String> {
    let Some(e) = input.summary.efforts.as_ref().filter(|e| !e.pace_curve_all_time.is_empty()) else {
        return Err(
            "No run with a distance channel (GPS, a foot pod or the watch's distance) to find best efforts in".into()
        );
    };
    let points =
        |c: &[CurveRow]| c.iter().map(|p| (f64::from(p.duration_s), units.pace_s(p.pace_s_per_km))).collect::<Vec<_>>();
    let mut curves = Vec::new();
    for (role, label, season) in [
        (Role::LastSeason, "a year before", &e.pace_curve_last_season),
        (Role::ThisSeason, "last 12 weeks", &e.pace_curve_this_season),
    ] {
        if let Some(s) = season {
            curves.push(Curve { role, label: format!("{label} ({} to {})", s.from, s.to), points: points(&s.curve) });
        }
    }
    curves.push(Curve { role: Role::AllTime, label: "all-time best".into(), points: points(&e.pace_curve_all_time) });
    let records = e
        .records
        .iter()
        .filter(|r| (TICKS_S[0]..=TICKS_S[TICKS_S.len() - 1]).contains(&r.time_s))
        .map(|r| {
            let label = format!("{} {}", crate::metrics::predictions::distance_name(r.distance_m), clock(r.time_s));
            (label, r.time_s, units.pace_s(r.time_s / (r.distance_m / 1000.0)))
        })
        .collect();
    Ok(Series { unit: format!("min/{}", units.distance_unit()), curves, records })
}

/// Durations on a log scale: equal room for 10 s-1 min and 1-6 min.
#[derive(Debug, Clone)]
struct DurationAxis;

impl Ranged for DurationAxis {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        let (from, to) = (TICKS_S[0].ln() - 0.1, TICKS_S[TICKS_S.len() - 1].ln() + 0.1);
        let f = (value.max(1.0).ln() - from) / (to - from);
        #[allow(clippy::cast_possible_truncation)] // pixel coordinates
        let px = (f64::from(limit.1 - limit.0) * f).round() as i32;
        limit.0 + px
    }

    fn key_points<H: KeyPointHint>(&self, hint: H) -> Vec<f64> {
        if hint.weight().allow_light_points() { Vec::new() } else { TICKS_S.to_vec() }
    }

    fn range(&self) -> std::ops::Range<f64> {
        TICKS_S[0] * 0.9..TICKS_S[TICKS_S.len() - 1] * 1.1
    }
}

/// "10 s", "5 min", "1 h".
fn duration_label(s: f64) -> String {
    match s {
        s if s < 60.0 => format!("{s:.0} s"),
        s if s < 3600.0 => format!("{:.0} min", s / 60.0),
        s => format!("{:.0} h", s / 3600.0),
    }
}

/// Colour and line width of each curve.
fn look(role: Role) -> (RGBColor, u32) {
    match role {
        Role::LastSeason => (style::Z2, 3),
        Role::ThisSeason => (style::RUN, 4),
        Role::AllTime => (style::TREND, 1),
    }
}

pub fn draw(s: &Series, area: &Area<'_>) -> Drawn {
    let paces = s.curves.iter().flat_map(|c| c.points.iter().map(|p| p.1)).chain(s.records.iter().map(|r| r.2));
    let (lo, hi) = paces.fold((f64::MAX, f64::MIN), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let (lo, hi) = style::padded(lo, hi, 0.1);
    let mut chart = ChartBuilder::on(area)
        .caption("Best efforts: pace you held for each duration", style::title())
        .margin(20)
        .x_label_area_size(40)
        .y_label_area_size(80)
        // Negative pace on y: faster (smaller) values plot higher.
        .build_cartesian_2d(DurationAxis, -hi..-lo)?;
    style::mesh(&mut chart)
        .x_label_formatter(&|x| duration_label(*x))
        .y_label_formatter(&|y| clock(-y))
        .x_desc("duration (log scale)")
        .y_desc(format!("pace ({}), faster is up", s.unit))
        .draw()?;
    for c in &s.curves {
        let (color, width) = look(c.role);
        chart
            .draw_series(LineSeries::new(c.points.iter().map(|&(t, p)| (t, -p)), color.stroke_width(width)))?
            .label(c.label.clone())
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(width)));
    }
    if !s.records.is_empty() {
        chart
            .draw_series(s.records.iter().map(|(_, t, p)| TriangleMarker::new((*t, -*p), 7, style::Z3.filled())))?
            .label("personal record")
            .legend(|(x, y)| TriangleMarker::new((x + 10, y), 6, style::Z3.filled()));
        chart.draw_series(s.records.iter().map(|(label, t, p)| {
            // Beside the marker, above the curve it sits on.
            Text::new(label.clone(), (*t * 1.08, -*p + (hi - lo) * 0.05), style::text(13).color(&style::Z3))
        }))?;
    }
    style::legend(&mut chart, SeriesLabelPosition::LowerRight)
}

#[cfg(test)]
#[allow(clippy::missing_panics_doc)] // test support
pub mod fixture {
    //! An `efforts` section of summary.json for chart tests.

    use chrono::{Duration, NaiveDate};

    use crate::tables::efforts::{CurveRow, EffortsSummary, RecordRow, SeasonRow};

    /// Curves of a runner about 5 % faster this season than a year before
    /// (the all-time best a little faster still), records at 1 km and 5 km.
    pub fn summary(last_day: NaiveDate) -> EffortsSummary {
        let curve = |scale: f64| {
            crate::features::efforts::CURVE_DURATIONS_S
                .iter()
                .map(|&d| CurveRow {
                    duration_s: d,
                    pace_s_per_km: scale * (180.0 + 25.0 * f64::from(d).ln()),
                    activity_id: "a".into(),
                })
                .collect::<Vec<_>>()
        };
        let season = |to: NaiveDate, scale: f64| SeasonRow {
            label: String::new(),
            from: to - Duration::days(83),
            to,
            curve: curve(scale),
        };
        let record = |distance_m: f64, time_s: f64| RecordRow {
            distance_m,
            time_s,
            gap_time_s: time_s,
            activity_id: "a".into(),
            date: last_day,
            name: None,
        };
        EffortsSummary {
            records: vec![record(1000.0, 0.97 * 180.0 * 1.0 + 0.97 * 25.0 * 5.6), record(5000.0, 1280.0)],
            pace_curve_all_time: curve(0.97),
            pace_curve_this_season: Some(season(last_day, 1.0)),
            pace_curve_last_season: Some(season(last_day - Duration::days(364), 1.05)),
            ..EffortsSummary::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::{Kind, render, testing};

    #[test]
    fn curves_convert_units_and_records_sit_at_their_time() {
        let input = testing::input();
        let metric = series(&input, Units::Metric).unwrap();
        let imperial = series(&input, Units::Imperial).unwrap();
        assert_eq!(metric.curves.len(), 3);
        assert_eq!(
            metric.curves.iter().map(|c| c.role).collect::<Vec<_>>(),
            [Role::LastSeason, Role::ThisSeason, Role::AllTime]
        );
        assert!((imperial.curves[2].points[0].1 / metric.curves[2].points[0].1 - 1.609_344).abs() < 1e-9);
        let five = metric.records.iter().find(|r| r.0 == "5 km 21:20").unwrap();
        assert!((five.1 - 1280.0).abs() < 1e-9 && (five.2 - 256.0).abs() < 1e-9);
        assert_eq!(imperial.unit, "min/mi");
    }

    #[test]
    fn without_distances_the_chart_says_why() {
        let mut input = testing::input();
        input.summary.efforts = None;
        let png = render(Kind::BestEfforts, &input, Units::Metric).unwrap();
        assert!(png.no_data.unwrap().contains("distance channel"));
        assert_eq!(duration_label(600.0), "10 min");
    }
}
