//! `progression.png`: "Am I ahead of last year?" Distance run since
//! 1 January, one line per year against the day of the year (1 March at the
//! same place in leap years), this year bold, last year beside it, earlier
//! years faint; below, when quarters have a level, pace at the target heart
//! rate per quarter of each year. Drawn from progression.csv and the
//! `year_over_year` section of summary.json.

use chrono::NaiveDate;
use plotters::prelude::*;
use serde::Serialize;

use super::style::{self, Area, Drawn};
use crate::metrics::progression::{YearDay, compare};
use crate::tables::readback::Readback;
use crate::units::{Units, clock};

const LAST_YEAR: RGBColor = RGBColor(255, 127, 14);
const EARLIER: RGBColor = RGBColor(190, 190, 190);

#[derive(Debug, Clone, Serialize)]
pub struct Series {
    pub title: String,
    pub unit: String,
    /// (year, points of (day of year, distance so far in the display unit)), oldest first.
    pub years: Vec<(i32, Vec<(u32, f64)>)>,
    /// Quarterly pace at the target HR: (year, points of (mid-quarter day, pace in the display unit)).
    pub seasons: Vec<(i32, Vec<(u32, f64)>)>,
    pub pace_unit: String,
    pub target_hr_bpm: Option<f64>,
}

pub fn series(input: &Readback, units: Units) -> Result<Series, String> {
    if input.progression.is_empty() {
        return Err("No year totals (progression.csv is missing: run `runlens analyze` again)".into());
    }
    let mut years: Vec<(i32, Vec<(u32, f64)>)> = Vec::new();
    for d in &input.progression {
        if years.last().is_none_or(|y| y.0 != d.year()) {
            years.push((d.year(), Vec::new()));
        }
        if let Some(y) = years.last_mut() {
            y.1.push((d.calendar_day(), units.distance(d.distance_m)));
        }
    }
    let yoy = input.summary.year_over_year.clone().unwrap_or_default();
    let mut seasons: Vec<(i32, Vec<(u32, f64)>)> = Vec::new();
    for s in &yoy.seasons {
        if seasons.last().is_none_or(|y| y.0 != s.year) {
            seasons.push((s.year, Vec::new()));
        }
        if let Some(y) = seasons.last_mut() {
            y.1.push((mid_quarter_day(s.quarter), units.pace_s(s.pace_s_per_km)));
        }
    }
    let unit = units.distance_unit().to_owned();
    Ok(Series {
        title: title(&input.progression, units, &unit),
        unit,
        years,
        seasons,
        pace_unit: format!("min/{}", units.distance_unit()),
        target_hr_bpm: yoy.target_hr_bpm,
    })
}

/// The answer in the title: ahead or behind last year at the same date.
fn title(days: &[YearDay], units: Units, unit: &str) -> String {
    let Some(c) = compare(days) else { return "Distance since 1 January".into() };
    let (year, date) = (c.as_of.format("%Y"), c.as_of.format("%-d %b"));
    match c.ahead_m() {
        Some(m) if units.distance(m.abs()) < 0.5 => format!("{year}: level with last year on {date}"),
        Some(m) => {
            let way = if m >= 0.0 { "ahead of" } else { "behind" };
            format!("{year}: {:.0} {unit} {way} last year on {date}", units.distance(m.abs()))
        }
        None => {
            let so_far = units.distance(c.this_year.totals.distance_m);
            let why =
                if c.last_year_whole.is_some() { "no full record of last year" } else { "no record of last year" };
            format!("{year}: {so_far:.0} {unit} by {date} ({why} to compare)")
        }
    }
}

fn mid_quarter_day(quarter: u32) -> u32 {
    [46, 137, 229, 321][(quarter.clamp(1, 4) - 1) as usize]
}

/// The x of a day of the 366-day calendar: that day of 2024 (a leap year)
/// on the shared date axis, so ticks fall on month starts.
fn day_x(calendar_day: u32) -> f64 {
    let d = NaiveDate::from_yo_opt(2024, calendar_day.clamp(1, 366)).unwrap_or_default();
    style::day_x(d)
}

/// "Mar": the month of a tick.
fn month_label(x: f64) -> String {
    style::x_day(x).format("%b").to_string()
}

fn date_axis((from, to): (u32, u32)) -> style::DateAxis {
    let day = |d: u32| NaiveDate::from_yo_opt(2024, d.clamp(1, 366)).unwrap_or_default();
    style::date_axis(day(from), day(to))
}

fn color(year: i32, this_year: i32) -> (RGBColor, u32) {
    if year == this_year {
        (style::RUN, 3)
    } else if year + 1 == this_year {
        (LAST_YEAR, 2)
    } else {
        (EARLIER, 1)
    }
}

pub fn draw(s: &Series, area: &Area<'_>) -> Drawn {
    let body = area.titled(&s.title, style::title())?;
    if s.seasons.is_empty() {
        return distance_panel(s, &body);
    }
    let (upper, lower) = body.split_vertically(body.dim_in_pixel().1 * 3 / 5);
    distance_panel(s, &upper)?;
    season_panel(s, &lower)
}

/// The days of the year any year has data on.
fn x_range(points: impl Iterator<Item = u32>) -> (u32, u32) {
    let (lo, hi) = points.fold((u32::MAX, 0), |(lo, hi), d| (lo.min(d), hi.max(d)));
    (lo.min(hi), hi)
}

fn distance_panel(s: &Series, area: &Area<'_>) -> Drawn {
    let this_year = s.years.last().map_or(0, |y| y.0);
    let days = x_range(s.years.iter().flat_map(|y| y.1.iter().map(|p| p.0)));
    let top = s.years.iter().flat_map(|y| y.1.iter().map(|p| p.1)).fold(1.0, f64::max) * 1.08;
    let mut chart = ChartBuilder::on(area)
        .margin(14)
        .x_label_area_size(36)
        .y_label_area_size(70)
        .build_cartesian_2d(date_axis(days), 0.0..top)?;
    style::mesh(&mut chart)
        .x_label_formatter(&|x| month_label(*x))
        .y_label_formatter(&|y| style::tick_label(*y))
        .y_desc(format!("{} since 1 January", s.unit))
        .draw()?;
    let mut earlier_labelled = false;
    // Older years first, so this year is drawn on top.
    for (year, points) in &s.years {
        let (c, width) = color(*year, this_year);
        let line = points.iter().map(|&(d, v)| (day_x(d), v));
        let drawn = chart.draw_series(LineSeries::new(line, c.stroke_width(width)))?;
        let total = points.last().map_or(0.0, |p| p.1);
        let label = if *year == this_year || year + 1 == this_year {
            Some(format!("{year}: {total:.0} {}", s.unit))
        } else if !earlier_labelled {
            earlier_labelled = true;
            Some("earlier years".to_owned())
        } else {
            None
        };
        if let Some(label) = label {
            drawn.label(label).legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], c.stroke_width(width)));
        }
    }
    style::legend(&mut chart, SeriesLabelPosition::UpperLeft)
}

fn season_panel(s: &Series, area: &Area<'_>) -> Drawn {
    let this_year = s.years.last().map_or(0, |y| y.0);
    let paces = s.seasons.iter().flat_map(|y| y.1.iter().map(|p| p.1));
    let (lo, hi) = paces.fold((f64::MAX, f64::MIN), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let (lo, hi) = style::padded(lo, hi.max(lo + 1.0), 0.15);
    let mut chart = ChartBuilder::on(area)
        .margin(14)
        .x_label_area_size(36)
        .y_label_area_size(70)
        // Negative pace on y: faster (smaller) values plot higher.
        .build_cartesian_2d(date_axis((1, 366)), -hi..-lo)?;
    let target = s.target_hr_bpm.map_or(String::new(), |t| format!(" at {t:.0} bpm"));
    style::mesh(&mut chart)
        .x_label_formatter(&|x| month_label(*x))
        .y_label_formatter(&|y| clock(-y))
        .y_desc(format!("pace{target} ({})", s.pace_unit))
        .draw()?;
    for (year, points) in &s.seasons {
        let (c, width) = color(*year, this_year);
        let line: Vec<(f64, f64)> = points.iter().map(|&(d, p)| (day_x(d), -p)).collect();
        chart.draw_series(LineSeries::new(line.clone(), c.stroke_width(width)))?;
        chart.draw_series(line.into_iter().map(|p| Circle::new(p, 4, c.filled())))?;
    }
    Ok(())
}

/// progression.csv rows for a chart test history: runs' distance and time,
/// loads from its days, as `metrics::progression` adds them up.
#[cfg(test)]
pub fn fixture(input: &Readback) -> Vec<YearDay> {
    use crate::metrics::progression::{Entry, running_totals};
    let runs = input.runs().map(|a| Entry {
        day: a.day(),
        run: true,
        distance_m: a.distance_m.unwrap_or(0.0),
        moving_time_s: a.moving_time_s,
        load: 0.0,
    });
    let loads =
        input.days.iter().map(|d| Entry { day: d.date, run: false, distance_m: 0.0, moving_time_s: 0.0, load: d.load });
    let entries: Vec<Entry> = runs.chain(loads).collect();
    entries.iter().map(|e| e.day).max().map_or_else(Vec::new, |last| running_totals(&entries, last))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::{Kind, render, testing};

    #[test]
    fn one_line_per_year_in_display_units_and_the_answer_in_the_title() {
        let input = testing::input();
        let s = series(&input, Units::Imperial).unwrap();
        assert_eq!(s.unit, "mi");
        assert_eq!(s.years.len(), 1);
        let total_km: f64 = input.runs().filter_map(|a| a.distance_m).sum::<f64>() / 1000.0;
        let last = s.years[0].1.last().unwrap().1;
        assert!((last - total_km / 1.609_344).abs() < 1e-6, "{last} mi vs {total_km} km");
        assert!(s.title.contains("no record of last year"), "{}", s.title);
    }

    #[test]
    fn this_year_is_drawn_bold_in_the_run_colour() {
        let png = render(Kind::Progression, &testing::input(), Units::Metric).unwrap();
        assert_eq!(png.no_data, None);
        assert!(testing::count_color(&png.bytes, (0.05, 0.1, 0.98, 0.95), (31, 119, 180), 0) > 300);
    }

    #[test]
    fn quarterly_pace_gets_its_own_panel_below() {
        use crate::tables::progression::{Season, YearOverYear};
        let mut input = crate::charts::histories::traveller();
        let season = |year, quarter: u32, pace| Season {
            year,
            quarter,
            label: String::new(),
            runs: 12,
            pace_s_per_km: pace,
            band_s_per_km: 4.0,
        };
        input.summary.year_over_year = Some(YearOverYear {
            target_hr_bpm: Some(150.0),
            seasons: vec![
                season(2024, 1, 330.0),
                season(2024, 2, 325.0),
                season(2025, 1, 318.0),
                season(2025, 2, 316.0),
            ],
            ..YearOverYear::default()
        });
        let s = series(&input, Units::Metric).unwrap();
        assert_eq!(s.seasons.len(), 2);
        assert_eq!(s.seasons[1].1, vec![(46, 318.0), (137, 316.0)]);
        let png = render(Kind::Progression, &input, Units::Metric).unwrap();
        assert!(testing::count_color(&png.bytes, (0.05, 0.65, 0.98, 0.95), (31, 119, 180), 0) > 50, "this year below");
    }

    #[test]
    fn a_folder_without_progression_csv_says_why() {
        let mut input = testing::input();
        input.progression.clear();
        let why = series(&input, Units::Metric).unwrap_err();
        assert!(why.contains("progression.csv"), "{why}");
    }
}
