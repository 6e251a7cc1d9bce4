//! Histories every chart must draw well: a few weeks, ten years, a runner
//! on three continents, and a dense one where legends have nowhere easy to
//! go. Built directly as the tables read back, so each chart's scales and
//! legend placement are tested without running the pipeline.

#![allow(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    clippy::cast_precision_loss,
    clippy::many_single_char_names
)] // test histories and pixel counts: small non-negative values

use chrono::{Duration, NaiveDate};

use super::ink;
use super::testing::decode;
use super::{Kind, render, render_with};
use crate::geo::M_PER_DEG;
use crate::tables::daily::DayRow;
use crate::tables::readback::{Activity, Cell, PaceAtHr, Period, Readback, Route, Span, SummaryFile, Week};
use crate::units::Units;

/// The ~50 m cells along `track` (every 25 m), each run `runs` times
/// from `first_run` on, as `route_cells.csv` would hold them.
pub fn cells_along(track: &[(f64, f64)], runs: u32, first_run: NaiveDate) -> Vec<Cell> {
    let step = 50.0 / M_PER_DEG;
    let mut keys = std::collections::BTreeSet::new();
    for w in track.windows(2) {
        let cos = w[0].0.to_radians().cos();
        let len_m = crate::geo::haversine_m(w[0].0, w[0].1, w[1].0, w[1].1);
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // a few hundred steps
        let n = (len_m / 25.0).ceil().max(1.0) as usize;
        for k in 0..=n {
            let f = k as f64 / n as f64;
            let (lat, lon) = (w[0].0 + (w[1].0 - w[0].0) * f, w[0].1 + (w[1].1 - w[0].1) * f);
            #[allow(clippy::cast_possible_truncation)] // grid indices near the test places
            keys.insert(((lat / step).floor() as i64, (lon * cos / step).floor() as i64, cos.to_bits()));
        }
    }
    keys.into_iter()
        .map(|(i, j, cos)| Cell {
            lat: (i as f64 + 0.5) * step,
            lon: (j as f64 + 0.5) * step / f64::from_bits(cos),
            runs,
            first_run,
        })
        .collect()
}

/// Cells of several courses together: runs add up where they overlap.
pub fn merge_cells(groups: Vec<Vec<Cell>>) -> Vec<Cell> {
    let mut all: Vec<Cell> = Vec::new();
    let mut at: std::collections::HashMap<(i64, i64), usize> = std::collections::HashMap::new();
    #[allow(clippy::cast_possible_truncation)] // micro-degrees fit i64
    let key = |c: &Cell| ((c.lat * 1e6).round() as i64, (c.lon * 1e6).round() as i64);
    for c in groups.into_iter().flatten() {
        if let Some(&i) = at.get(&key(&c)) {
            all[i].runs += c.runs;
            all[i].first_run = all[i].first_run.min(c.first_run);
        } else {
            at.insert(key(&c), all.len());
            all.push(c);
        }
    }
    all
}

/// A deterministic spread of values in [0, 1).
fn spread(n: u64) -> f64 {
    let x = n.wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(17).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    (x >> 11) as f64 / (1u64 << 53) as f64
}

const KINDS: [&str; 6] = ["easy", "tempo", "easy", "long", "easy", "intervals"];

/// `weeks` weeks of `per_week` runs from `first_monday`, shares and paces
/// spread over their whole range, on loops around the places given.
#[allow(clippy::too_many_lines)] // one test history, spelled out table by table
pub fn history(first_monday: NaiveDate, weeks: u32, per_week: u32, places: &[(f64, f64)]) -> Readback {
    let mut activities = Vec::new();
    let mut out_weeks = Vec::new();
    for w in 0..weeks {
        let start = first_monday + Duration::weeks(i64::from(w));
        let mut week = Week {
            start,
            runs: 0,
            distance_m: 0.0,
            moving_time_s: 0.0,
            z1_s: 0.0,
            z2_s: 0.0,
            z3_s: 0.0,
            easy_runs: 0,
            gray_easy_runs: 0,
            distinct_routes: Some(1 + (spread(u64::from(w)) * 8.0) as u32),
            top3_share: Some(0.3 + 0.7 * spread(u64::from(w) + 7)),
            rut: false,
            pace_at_hr_s_per_km: Some(380.0 - 20.0 * f64::from(w) / f64::from(weeks)),
            pace_at_hr_band_s_per_km: Some(6.0),
            streak_weeks: w + 1,
            load: None,
        };
        week.rut = week.top3_share.unwrap_or(0.0) > 0.85;
        for d in 0..per_week {
            let n = activities.len() as u64;
            let kind = KINDS[(n % KINDS.len() as u64) as usize];
            let easy = matches!(kind, "easy" | "long");
            let share = spread(n) * 0.6;
            let km = 5.0 + 20.0 * spread(n + 1);
            let moving = km * 360.0;
            week.runs += 1;
            week.distance_m += km * 1000.0;
            week.moving_time_s += moving;
            week.z2_s += moving * share;
            week.z1_s += moving * (1.0 - share) * if easy { 1.0 } else { 0.5 };
            week.z3_s += if easy { 0.0 } else { moving * (1.0 - share) * 0.5 };
            week.easy_runs += u32::from(easy);
            week.gray_easy_runs += u32::from(easy && share > 0.2);
            activities.push(Activity {
                local_start: (start + Duration::days(i64::from(d % 7))).and_hms_opt(7, 0, 0).unwrap(),
                moving_time_s: moving,
                distance_m: Some(km * 1000.0),
                session_type: Some(kind.to_owned()),
                pace_at_hr_s_per_km: easy.then(|| 300.0 + 120.0 * spread(n + 2)),
                low_confidence: n.is_multiple_of(7),
                z2_share: Some(share),
                gray_zone: easy.then_some(share > 0.2),
            });
        }
        out_weeks.push(week);
    }
    let last = first_monday + Duration::weeks(i64::from(weeks)) - Duration::days(1);
    let mut routes = Vec::new();
    let mut cells = Vec::new();
    for (p, &(lat, lon)) in places.iter().enumerate() {
        for k in 0..6u32 {
            let size = 0.005 + 0.004 * f64::from(k);
            let (la, lo) = (lat + 0.003 * f64::from(k), lon - 0.002 * f64::from(k));
            let track = vec![(la, lo), (la + size, lo), (la + size, lo + size * 1.5), (la, lo + size * 1.5), (la, lo)];
            let runs = if p == 0 { 40 / (k + 1) } else { 2 };
            let first = first_monday + Duration::days(i64::from(k) * 3);
            cells.push(cells_along(&track, runs, first));
            routes.push(Route {
                id: format!("R{}", routes.len() + 1),
                runs,
                distance_m: 4.0 * size * 111_000.0,
                first_run: Some(first),
                last_run: Some(last),
                track,
                name: (k == 0).then(|| format!("Loop {p}")),
            });
        }
    }
    routes.sort_by_key(|r| std::cmp::Reverse(r.runs));
    let rut_windows =
        out_weeks.iter().filter(|w| w.rut).map(|w| Span { start: w.start, end: w.start + Duration::days(6) }).collect();
    let period = |from: NaiveDate, pace| Period { from, to: from + Duration::days(27), runs: 8, pace_s_per_km: pace };
    let summary = SummaryFile {
        target_hr_bpm: Some(140.0),
        weekly_target: 3,
        pace_at_hr: PaceAtHr {
            first_4_weeks: Some(period(first_monday, 380.0)),
            last_4_weeks: Some(period(last - Duration::days(27), 362.0)),
            change_pct: Some(4.7),
            change_uncertainty_pct: Some(1.5),
            no_comparison: None,
        },
        rut_windows,
        efforts: Some(super::best_efforts::fixture::summary(last)),
        ..SummaryFile::default()
    };
    let days = days(first_monday, weeks);
    let mut input = Readback {
        activities,
        weeks: out_weeks,
        routes,
        cells: merge_cells(cells),
        days,
        summary,
        ..Readback::default()
    };
    input.progression = super::progression::fixture(&input);
    input
}

/// Every day of the history, with a load that varies from day to day.
fn days(first_monday: NaiveDate, weeks: u32) -> Vec<DayRow> {
    super::load::fixture::days_of(first_monday, weeks * 7, |i| 20.0 + 80.0 * spread(u64::from(i) + 3))
}

fn monday(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

const MUNICH: (f64, f64) = (48.137, 11.575);

pub fn few_weeks() -> Readback {
    history(monday(2026, 3, 2), 3, 4, &[MUNICH])
}

pub fn ten_years() -> Readback {
    history(monday(2016, 1, 4), 522, 6, &[MUNICH])
}

pub fn traveller() -> Readback {
    history(monday(2024, 1, 1), 104, 5, &[MUNICH, (40.78, -73.97), (-33.86, 151.21)])
}

/// Two years, a run nearly every day: every corner of every plot has data.
pub fn dense() -> Readback {
    history(monday(2024, 1, 1), 104, 7, &[MUNICH])
}

/// Pixels of data colour in `r` of a decoded image.
fn data_pixels((w, _, px): &(u32, u32, Vec<u8>), r: ink::Rect) -> usize {
    let mut n = 0;
    for y in r[1].max(0)..=r[3] {
        for x in r[0].max(0)..=r[2] {
            let i = (y as usize * *w as usize + x as usize) * 3;
            n += usize::from(px.get(i + 2).is_some_and(|_| ink::is_data((px[i], px[i + 1], px[i + 2]), 1.0)));
        }
    }
    n
}

/// Reported on a 2-year history: the `easy_runs` legend sat over the first
/// weeks' points (a dozen gray dots hid under it).
#[test]
fn no_legend_covers_drawn_data_on_a_dense_history() {
    let input = dense();
    let mut hiding = Vec::new();
    for kind in Kind::ALL {
        let with = render(kind, &input, Units::Metric).unwrap();
        let without = decode(&render_with(kind, &input, Units::Metric, false).unwrap().bytes);
        for r in &with.legends {
            // Achieved: 0 for every chart (the legend goes beside a full plot).
            let hidden = data_pixels(&without, *r);
            println!("{kind}: legend {r:?} would hide {hidden} data pixels");
            if hidden > 0 {
                hiding.push((kind, hidden));
            }
        }
        let expected = !matches!(kind, Kind::Consistency);
        assert_eq!(!with.legends.is_empty(), expected, "{kind} has its legend");
    }
    assert!(hiding.is_empty(), "legends over data: {hiding:?}");
}

/// Pixels of the series' own colours (not text, axes or grid), and the
/// share of the image's width and height they span.
fn series_extent(bytes: &[u8]) -> (usize, f64, f64) {
    let (w, h, px) = decode(bytes);
    let text = |c: (u8, u8, u8)| {
        [(33u8, 37u8, 41u8), (108, 117, 125)]
            .iter()
            .any(|t| c.0.abs_diff(t.0) < 40 && c.1.abs_diff(t.1) < 40 && c.2.abs_diff(t.2) < 40)
    };
    let (mut n, mut x0, mut x1, mut y0, mut y1) = (0, u32::MAX, 0, u32::MAX, 0);
    for y in 0..h {
        for x in 0..w {
            let i = (y * w + x) as usize * 3;
            let c = (px[i], px[i + 1], px[i + 2]);
            if ink::is_data(c, 1.0) && !text(c) {
                n += 1;
                (x0, x1, y0, y1) = (x0.min(x), x1.max(x), y0.min(y), y1.max(y));
            }
        }
    }
    let span = |a: u32, b: u32, of: u32| if n == 0 { 0.0 } else { f64::from(b - a) / f64::from(of) };
    (n, span(x0, x1, w), span(y0, y1, h))
}

#[test]
fn every_chart_keeps_sane_scales_for_a_few_weeks_ten_years_and_a_traveller() {
    for (name, input) in [("3 weeks", few_weeks()), ("10 years", ten_years()), ("traveller", traveller())] {
        for kind in Kind::ALL {
            let png = render(kind, &input, Units::Metric).unwrap();
            assert_eq!(png.no_data, None, "{name}: {kind}");
            let (n, wide, tall) = series_extent(&png.bytes);
            println!("{name}: {kind}: {n} series pixels spanning {wide:.2} x {tall:.2} of the image");
            assert!(n > 500, "{name}: {kind} is nearly blank ({n} pixels)");
            // A calendar puts a few weeks where they fall in their year.
            let min_wide = if kind == Kind::Consistency && name == "3 weeks" { 0.02 } else { 0.4 };
            assert!(wide > min_wide && tall > 0.2, "{name}: {kind} squeezed into {wide:.2} x {tall:.2}");
        }
    }
}

/// With `RUNLENS_DUMP=DIR`, every chart of every history is written there to look at.
#[test]
fn dump_for_review() {
    let Ok(dir) = std::env::var("RUNLENS_DUMP") else { return };
    for (name, input) in [("few", few_weeks()), ("ten", ten_years()), ("traveller", traveller()), ("dense", dense())] {
        for kind in Kind::ALL {
            std::fs::write(format!("{dir}/{name}_{kind}.png"), render(kind, &input, Units::Metric).unwrap().bytes)
                .unwrap();
        }
    }
}
