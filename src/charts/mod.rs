//! PNG charts of the metrics, one file per chart. Each chart module splits
//! into `series` (the numbers it plots, tested on their own) and `draw`
//! (plotters on an in-memory bitmap); this module renders them in parallel
//! and writes each PNG atomically into `charts/`.

pub mod best_efforts;
pub mod consistency;
pub mod easy_runs;
pub(crate) mod heat;
#[cfg(test)]
mod histories;
pub mod ink;
pub mod intensity;
pub mod load;
pub mod pace_at_hr;
pub mod progression;
pub mod route_map;
pub mod routes;
pub mod style;
mod text;
pub mod volume;

use std::fmt;
use std::path::{Path, PathBuf};

use plotters::prelude::*;
use rayon::prelude::*;

use style::{Area, Drawn};

use crate::error::Error;
use crate::tables::readback::Readback;
use crate::units::Units;

pub const CHARTS_DIR: &str = "charts";

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    PaceAtHr,
    Intensity,
    EasyRuns,
    Routes,
    RouteMap,
    Consistency,
    Volume,
    Load,
    Progression,
    BestEfforts,
}

impl Kind {
    /// In the order the report shows them.
    pub const ALL: [Kind; 10] = [
        Kind::PaceAtHr,
        Kind::EasyRuns,
        Kind::Intensity,
        Kind::Volume,
        Kind::Load,
        Kind::Consistency,
        Kind::Routes,
        Kind::RouteMap,
        Kind::Progression,
        Kind::BestEfforts,
    ];

    /// File stem, and the name `runlens chart` takes.
    pub fn name(self) -> &'static str {
        match self {
            Kind::PaceAtHr => "pace_at_hr",
            Kind::Intensity => "intensity",
            Kind::EasyRuns => "easy_runs",
            Kind::Routes => "routes",
            Kind::RouteMap => "route_map",
            Kind::Consistency => "consistency",
            Kind::Volume => "volume",
            Kind::Load => "load",
            Kind::Progression => "progression",
            Kind::BestEfforts => "best_efforts",
        }
    }

    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == name)
    }

    pub fn file_name(self) -> String {
        format!("{}.png", self.name())
    }

    /// What the chart answers, as the report heads it.
    pub fn heading(self) -> &'static str {
        match self {
            Kind::PaceAtHr => "Are you getting fitter? Pace at a fixed heart rate",
            Kind::Intensity => "How hard do you train? Weekly time in zones",
            Kind::EasyRuns => "Are your easy days easy?",
            Kind::Routes => "Are you in a rut? Route variety",
            Kind::RouteMap => "Where you run",
            Kind::Consistency => "How consistent are you? Training time per day",
            Kind::Volume => "Weekly volume and streak",
            Kind::Load => "Am I ramping too fast? Fitness, fatigue and form",
            Kind::Progression => "Am I ahead of last year? Distance since 1 January",
            Kind::BestEfforts => "How fast can I go now? Best efforts and records",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One chart written to disk.
#[derive(Debug, Clone, PartialEq)]
pub struct Rendered {
    pub kind: Kind,
    pub path: PathBuf,
    /// Why the chart shows a message instead of data, when it does.
    pub no_data: Option<String>,
}

/// A chart as PNG bytes, and why it has no data when it has none.
pub struct Png {
    pub bytes: Vec<u8>,
    pub width: u32,
    pub height: u32,
    pub no_data: Option<String>,
    /// Where legends were put (pixel rectangles), to check they hide nothing.
    pub legends: Vec<ink::Rect>,
}

/// Render `kinds` in parallel into `out_dir/charts/`, in the given order,
/// telling `written` of each file once it is finished.
pub fn write_charts(
    out_dir: &Path,
    kinds: &[Kind],
    input: &Readback,
    units: Units,
    written: &(dyn Fn(&Path) + Sync),
) -> Result<Vec<Rendered>, Error> {
    let dir = out_dir.join(CHARTS_DIR);
    std::fs::create_dir_all(&dir).map_err(|source| Error::Write { path: dir.clone(), source })?;
    kinds
        .par_iter()
        // One chart a task, so a thread that is done takes the next chart
        // instead of waiting for a run of charts handed to the other.
        .with_max_len(1)
        .map(|&kind| {
            let path = dir.join(kind.file_name());
            let png = render(kind, input, units).map_err(|reason| Error::Chart { path: path.clone(), reason })?;
            crate::tables::write_atomic(&path, |w| std::io::Write::write_all(w, &png.bytes))?;
            written(&path);
            Ok(Rendered { kind, path, no_data: png.no_data })
        })
        .collect()
}

/// Draw one chart and encode it as PNG.
pub fn render(kind: Kind, input: &Readback, units: Units) -> Result<Png, String> {
    render_with(kind, input, units, true)
}

/// Draw one chart, with or without its legends (without: to see what a
/// legend would cover).
pub fn render_with(kind: Kind, input: &Readback, units: Units, legends: bool) -> Result<Png, String> {
    style::init_fonts();
    let (width, height) = size(kind, input, units);
    let mut rgb = vec![0u8; width as usize * height as usize * 3];
    let (mut no_data, mut done) = draw_into(&mut rgb, (width, height), kind, input, units, legends, None)?;
    // A legend found no free place in its plot: draw the chart again,
    // narrower, with a strip beside it for the legend.
    if let Some(strip) = done.wanted.and_then(|w| u32::try_from(w).ok()).filter(|&w| w < width / 3) {
        (no_data, done) = draw_into(&mut rgb, (width, height), kind, input, units, legends, Some(strip))?;
    }
    let bytes = encode_png(&rgb, width, height).map_err(|e| format!("encoding {kind}: {e}"))?;
    Ok(Png { bytes, width, height, no_data, legends: done.legends })
}

/// One drawing of a chart, with `strip` pixels on the right kept for legends.
fn draw_into(
    rgb: &mut [u8],
    (width, height): (u32, u32),
    kind: Kind,
    input: &Readback,
    units: Units,
    legends: bool,
    strip: Option<u32>,
) -> Result<(Option<String>, ink::Finished), String> {
    let reserve = strip.map(|s| {
        let (w, h) = (i32::try_from(width).unwrap_or(0), i32::try_from(height).unwrap_or(0));
        [w - i32::try_from(s).unwrap_or(0), 0, w - 1, h - 1]
    });
    ink::begin(width, height, legends, reserve);
    let root = text::TextBackend(BitMapBackend::with_buffer(rgb, (width, height))).into_drawing_area();
    root.fill(&style::BACKGROUND).map_err(|e| e.to_string())?;
    let area = match strip {
        Some(s) => root.split_horizontally(width - s).0,
        None => root.clone(),
    };
    let no_data = draw(kind, input, units, &area).map_err(|e| format!("drawing {kind}: {e}"))?;
    root.present().map_err(|e| e.to_string())?;
    Ok((no_data, ink::finish()))
}

fn size(kind: Kind, input: &Readback, units: Units) -> (u32, u32) {
    match kind {
        Kind::RouteMap => route_map::size(input, units),
        Kind::Consistency => consistency::size(input),
        _ => (style::WIDTH, style::HEIGHT),
    }
}

fn draw(
    kind: Kind,
    input: &Readback,
    units: Units,
    area: &Area<'_>,
) -> Result<Option<String>, Box<dyn std::error::Error>> {
    match kind {
        Kind::PaceAtHr => plot(area, kind, pace_at_hr::series(input, units), |s| pace_at_hr::draw(s, area)),
        Kind::Intensity => plot(area, kind, intensity::series(input), |s| intensity::draw(s, area)),
        Kind::EasyRuns => plot(area, kind, easy_runs::series(input), |s| easy_runs::draw(s, area)),
        Kind::Routes => plot(area, kind, routes::series(input), |s| routes::draw(s, area)),
        Kind::RouteMap => plot(area, kind, route_map::series(input, units), |s| route_map::draw(s, area)),
        Kind::Consistency => plot(area, kind, consistency::series(input), |s| consistency::draw(s, area)),
        Kind::Volume => plot(area, kind, volume::series(input, units), |s| volume::draw(s, area)),
        Kind::Load => plot(area, kind, load::series(input), |s| load::draw(s, area)),
        Kind::Progression => plot(area, kind, progression::series(input, units), |s| progression::draw(s, area)),
        Kind::BestEfforts => plot(area, kind, best_efforts::series(input, units), |s| best_efforts::draw(s, area)),
    }
}

/// Why `kind` would show a message instead of data, without drawing it.
pub fn no_data(kind: Kind, input: &Readback, units: Units) -> Option<String> {
    match kind {
        Kind::PaceAtHr => pace_at_hr::series(input, units).err(),
        Kind::Intensity => intensity::series(input).err(),
        Kind::EasyRuns => easy_runs::series(input).err(),
        Kind::Routes => routes::series(input).err(),
        Kind::RouteMap => route_map::series(input, units).err(),
        Kind::Consistency => consistency::series(input).err(),
        Kind::Volume => volume::series(input, units).err(),
        Kind::Load => load::series(input).err(),
        Kind::Progression => progression::series(input, units).err(),
        Kind::BestEfforts => best_efforts::series(input, units).err(),
    }
}

/// Draw the series, or the reason there is none inside the image.
fn plot<S>(
    area: &Area<'_>,
    kind: Kind,
    series: Result<S, String>,
    draw: impl FnOnce(&S) -> Drawn,
) -> Result<Option<String>, Box<dyn std::error::Error>> {
    match series {
        Ok(s) => draw(&s).map(|()| None),
        Err(why) => style::no_data(area, kind.heading(), &why).map(|()| Some(why)),
    }
}

fn encode_png(rgb: &[u8], width: u32, height: u32) -> Result<Vec<u8>, png::EncodingError> {
    let mut out = Vec::with_capacity(rgb.len() / 8);
    {
        let mut encoder = png::Encoder::new(&mut out, width, height);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        // Charts are flat colours: fast compression is within a few percent
        // of the best and several times quicker.
        encoder.set_compression(png::Compression::Fast);
        let mut writer = encoder.write_header()?;
        writer.write_image_data(rgb)?;
    }
    Ok(out)
}

#[cfg(test)]
#[allow(clippy::missing_panics_doc)] // test support: a panic is a failed test
pub mod testing {
    //! A small known history to chart, and decoding charts back into pixels.

    use chrono::{Duration, NaiveDate};

    use super::histories::{cells_along, merge_cells};
    use crate::tables::readback::{Activity, PaceAtHr, Period, Readback, Route, Span, SummaryFile, Week};

    /// Twelve weeks of four runs (easy, tempo, easy, long), getting 2 s/km
    /// faster at the target HR each week; every third easy run is gray,
    /// every fifth value low-confidence; weeks 8-11 are a rut.
    #[allow(clippy::too_many_lines)] // one known history, spelled out table by table
    pub fn input() -> Readback {
        let monday = NaiveDate::from_ymd_opt(2026, 1, 5).unwrap();
        let mut activities = Vec::new();
        let mut weeks = Vec::new();
        for w in 0..12u32 {
            let start = monday + Duration::weeks(i64::from(w));
            let mut week = Week {
                start,
                runs: 4,
                distance_m: 0.0,
                moving_time_s: 0.0,
                z1_s: 0.0,
                z2_s: 0.0,
                z3_s: 0.0,
                easy_runs: 0,
                gray_easy_runs: 0,
                distinct_routes: Some(if w >= 8 { 2 } else { 5 }),
                top3_share: Some(if w >= 8 { 0.9 } else { 0.5 }),
                rut: w >= 8,
                pace_at_hr_s_per_km: (w >= 3).then(|| 360.0 - 2.0 * f64::from(w)),
                pace_at_hr_band_s_per_km: (w >= 3).then_some(4.0),
                streak_weeks: w + 1,
                load: Some(300.0 + 10.0 * f64::from(w)),
            };
            for (day, kind, km) in [(0u32, "easy", 8.0), (2, "tempo", 10.0), (4, "easy", 8.0), (6, "long", 16.0)] {
                let n = activities.len();
                let easy = kind != "tempo";
                let gray = easy && n % 3 == 0;
                let moving = km * 360.0;
                week.distance_m += km * 1000.0;
                week.moving_time_s += moving;
                week.z1_s += if easy { moving * if gray { 0.6 } else { 0.95 } } else { moving * 0.3 };
                week.z2_s += if easy { moving * if gray { 0.4 } else { 0.05 } } else { moving * 0.3 };
                week.z3_s += if easy { 0.0 } else { moving * 0.4 };
                week.easy_runs += u32::from(easy);
                week.gray_easy_runs += u32::from(gray);
                activities.push(Activity {
                    local_start: (start + Duration::days(i64::from(day))).and_hms_opt(7, 0, 0).unwrap(),
                    moving_time_s: moving,
                    distance_m: Some(km * 1000.0),
                    session_type: Some(kind.to_owned()),
                    pace_at_hr_s_per_km: easy.then(|| 360.0 - 2.0 * f64::from(w) + f64::from(day)),
                    low_confidence: n % 5 == 0,
                    z2_share: Some(if gray {
                        0.4
                    } else if easy {
                        0.05
                    } else {
                        0.3
                    }),
                    gray_zone: easy.then_some(gray),
                });
            }
            weeks.push(week);
        }
        let route = |id: &str, runs: u32, distance_m: f64, track: Vec<(f64, f64)>| Route {
            id: id.into(),
            runs,
            distance_m,
            first_run: Some(monday),
            last_run: Some(monday + Duration::days(80)),
            track,
            name: (id == "R1").then(|| "Lake loop".to_owned()),
        };
        let square = |lat: f64, size: f64| {
            vec![(lat, 11.0), (lat + size, 11.0), (lat + size, 11.0 + size), (lat, 11.0 + size), (lat, 11.0)]
        };
        let routes = vec![
            route("R1", 20, 8000.0, square(48.0, 0.02)),
            route("R2", 12, 16_000.0, square(48.01, 0.04)),
            route("R3", 2, 10_000.0, square(47.99, 0.03)),
        ];
        let period =
            |from: NaiveDate, pace: f64| Period { from, to: from + Duration::days(27), runs: 8, pace_s_per_km: pace };
        let summary = SummaryFile {
            target_hr_bpm: Some(140.0),
            weekly_target: 3,
            pace_at_hr: PaceAtHr {
                first_4_weeks: Some(period(monday, 357.0)),
                last_4_weeks: Some(period(monday + Duration::weeks(8), 341.0)),
                change_pct: Some(4.5),
                ..PaceAtHr::default()
            },
            rut_windows: vec![Span {
                start: monday + Duration::weeks(8),
                end: monday + Duration::weeks(12) - Duration::days(1),
            }],
            layoffs: vec![],
            load: Some(super::load::fixture::load_summary(monday)),
            efforts: Some(super::best_efforts::fixture::summary(monday + Duration::days(83))),
            ..SummaryFile::default()
        };
        let cells = merge_cells(routes.iter().map(|r| cells_along(&r.track, r.runs, monday)).collect());
        let mut input = Readback {
            activities,
            weeks,
            routes,
            cells,
            days: super::load::fixture::days(monday),
            summary,
            ..Readback::default()
        };
        input.progression = super::progression::fixture(&input);
        input
    }

    /// Width, height and RGB pixels of a PNG.
    pub fn decode(bytes: &[u8]) -> (u32, u32, Vec<u8>) {
        let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        let mut reader = decoder.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut buf).unwrap();
        buf.truncate(info.buffer_size());
        (info.width, info.height, buf)
    }

    /// Pixels in the rectangle (fractions of the image) whose colour is `rgb`
    /// give or take `tolerance` per channel.
    pub fn count_color(bytes: &[u8], region: (f64, f64, f64, f64), rgb: (u8, u8, u8), tolerance: u8) -> usize {
        let (w, h, px) = decode(bytes);
        let (x0, y0, x1, y1) = region;
        let span = |a: f64, b: f64, n: u32| {
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let r = ((a * f64::from(n)) as usize)..((b * f64::from(n)) as usize);
            r
        };
        let near = |a: u8, b: u8| a.abs_diff(b) <= tolerance;
        let mut n = 0;
        for y in span(y0, y1, h) {
            for x in span(x0, x1, w) {
                let i = (y * w as usize + x) * 3;
                if near(px[i], rgb.0) && near(px[i + 1], rgb.1) && near(px[i + 2], rgb.2) {
                    n += 1;
                }
            }
        }
        n
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_a_unique_name() {
        for kind in Kind::ALL {
            assert_eq!(Kind::from_name(kind.name()), Some(kind));
        }
        assert_eq!(Kind::from_name("pie"), None);
    }

    #[test]
    fn empty_input_renders_every_chart_with_its_reason() {
        let input = Readback::default();
        for kind in Kind::ALL {
            let png = render(kind, &input, Units::Metric).unwrap();
            let (w, h, _) = testing::decode(&png.bytes);
            assert_eq!((w, h), (png.width, png.height));
            assert!(png.no_data.is_some(), "{kind} should say why it is empty");
            // The message is written inside the image.
            assert!(testing::count_color(&png.bytes, (0.1, 0.4, 0.9, 0.6), (33, 37, 41), 60) > 50, "{kind}");
        }
    }
}
