//! One look for every chart: the embedded font (no system font, so charts
//! render the same in CI, on a server and on a laptop), the palette in which
//! the gray zone is gray, sizes, and the date axis runners read.

use std::sync::Once;

use chrono::{Datelike, Duration, NaiveDate};
use plotters::chart::MeshStyle;
use plotters::coord::Shift;
use plotters::coord::cartesian::Cartesian2d;
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged, ValueFormatter};
use plotters::prelude::*;
use plotters::style::FontStyle;

use super::ink;
use super::text::{FONT, FONT_BOLD};

pub type Area<'a> = DrawingArea<super::text::TextBackend<'a>, Shift>;
pub type Drawn = Result<(), Box<dyn std::error::Error>>;

const FAMILY: &str = "runlens-sans";

pub const WIDTH: u32 = 1200;
pub const HEIGHT: u32 = 600;

pub const BACKGROUND: RGBColor = RGBColor(255, 255, 255);
pub const INK: RGBColor = RGBColor(33, 37, 41);
pub const MUTED: RGBColor = RGBColor(108, 117, 125);
pub const GRID: RGBColor = RGBColor(222, 226, 230);
/// Below LT1: easy.
pub const Z1: RGBColor = RGBColor(46, 139, 87);
/// Between LT1 and LTHR: the gray zone, drawn gray.
pub const Z2: RGBColor = RGBColor(150, 150, 150);
/// Above LTHR: hard.
pub const Z3: RGBColor = RGBColor(200, 55, 70);
/// Runs and their values.
pub const RUN: RGBColor = RGBColor(31, 119, 180);
pub const TREND: RGBColor = RGBColor(13, 59, 102);
/// Gray-zone easy runs: gray with a dark rim, so they stand out on white.
pub const GRAY_RUN: RGBColor = RGBColor(120, 120, 120);
/// Rut windows and layoffs.
pub const WARN_FILL: RGBColor = RGBColor(253, 216, 167);
pub const LAYOFF: RGBColor = RGBColor(240, 128, 128);
/// Distinct colours for routes on the map (most run first).
pub const ROUTES: [RGBColor; 10] = [
    RGBColor(31, 119, 180),
    RGBColor(214, 39, 40),
    RGBColor(44, 160, 44),
    RGBColor(148, 103, 189),
    RGBColor(255, 127, 14),
    RGBColor(23, 190, 207),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(188, 189, 34),
    RGBColor(127, 127, 127),
];

/// Register the embedded font with plotters, once per process: text is drawn
/// by `text::TextBackend`, but plotters still resolves the family by name.
pub fn init_fonts() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // The bytes are compiled in and parse: a failure here is a build
        // problem that every chart test would catch.
        let _ = plotters::style::register_font(FAMILY, FontStyle::Normal, FONT);
        let _ = plotters::style::register_font(FAMILY, FontStyle::Bold, FONT_BOLD);
    });
}

pub fn text(size: u32) -> TextStyle<'static> {
    (FAMILY, f64::from(size)).into_font().color(&INK)
}

pub fn muted(size: u32) -> TextStyle<'static> {
    (FAMILY, f64::from(size)).into_font().color(&MUTED)
}

pub fn bold(size: u32) -> TextStyle<'static> {
    (FAMILY, f64::from(size), FontStyle::Bold).into_font().color(&INK)
}

pub fn title() -> TextStyle<'static> {
    bold(24)
}

/// The grid every chart uses: light lines on month or tick marks only.
pub fn mesh<'a, 'b, 'x, X, Y>(
    chart: &'b mut ChartContext<'a, super::text::TextBackend<'x>, Cartesian2d<X, Y>>,
) -> MeshStyle<'a, 'b, X, Y, super::text::TextBackend<'x>>
where
    X: Ranged + ValueFormatter<X::ValueType>,
    Y: Ranged + ValueFormatter<Y::ValueType>,
{
    let mut mesh = chart.configure_mesh();
    mesh.light_line_style(BACKGROUND)
        .bold_line_style(GRID)
        .axis_style(MUTED)
        .label_style(text(14))
        .axis_desc_style(text(16));
    mesh
}

/// The legend box every chart uses: at `position` when no data is drawn
/// there, else in the first place of the plot where it covers none (drawn
/// data is tracked by `ink`), so a legend never hides a point.
pub fn legend<'a, CT: plotters::coord::CoordTranslate>(
    chart: &mut ChartContext<'a, super::text::TextBackend<'a>, CT>,
    position: SeriesLabelPosition,
) -> Drawn {
    fn draw_at<'a, CT: plotters::coord::CoordTranslate>(
        chart: &mut ChartContext<'a, super::text::TextBackend<'a>, CT>,
        at: SeriesLabelPosition,
    ) -> Drawn {
        chart
            .configure_series_labels()
            .position(at)
            .background_style(BACKGROUND.mix(0.9))
            .border_style(GRID)
            .label_font(text(14))
            .draw()?;
        Ok(())
    }
    let Some(bbox) = ink::measure(|| draw_at(chart, SeriesLabelPosition::Coordinate(0, 0)))? else {
        return Ok(());
    };
    let (xs, ys) = chart.plotting_area().get_pixel_range();
    // Where Coordinate(0, 0) put the box's corner, and its size.
    let (offset, size) = ((bbox[0] - xs.start, bbox[1] - ys.start), (bbox[2] - bbox[0], bbox[3] - bbox[1]));
    let inset = 6;
    let (left, right) = (xs.start + inset, xs.end - inset - size.0);
    let (top, bottom) = (ys.start + inset, ys.end - inset - size.1);
    let (mid_x, mid_y) = (i32::midpoint(left, right), i32::midpoint(top, bottom));
    let corner = |p: SeriesLabelPosition| match p {
        SeriesLabelPosition::UpperLeft => (left, top),
        SeriesLabelPosition::UpperMiddle => (mid_x, top),
        SeriesLabelPosition::UpperRight => (right, top),
        SeriesLabelPosition::MiddleLeft => (left, mid_y),
        SeriesLabelPosition::MiddleMiddle => (mid_x, mid_y),
        SeriesLabelPosition::MiddleRight => (right, mid_y),
        SeriesLabelPosition::LowerLeft => (left, bottom),
        SeriesLabelPosition::LowerMiddle => (mid_x, bottom),
        SeriesLabelPosition::LowerRight => (right, bottom),
        SeriesLabelPosition::Coordinate(x, y) => (xs.start + x, ys.start + y),
    };
    let mut preferred = vec![corner(position)];
    preferred.extend([(left, top), (right, top), (left, bottom), (right, bottom), (mid_x, top), (mid_x, bottom)]);
    let within = [left, top, xs.end - inset, ys.end - inset];
    let Some((at, free)) = ink::free_spot(&preferred, within, size) else { return Ok(()) };
    // Data everywhere: beside the plot instead (the chart is drawn again,
    // narrower, when no strip was kept for it yet). plotters keeps a legend
    // inside its plot, so it is laid out there and moved as it is drawn.
    let strip = if free { None } else { ink::beside(size, ys.start) };
    let (beside, (x, y)) = strip.map_or((false, at), |p| (true, p));
    if !ink::legend_at([x, y, x + size.0, y + size.1]) {
        return Ok(());
    }
    if beside {
        ink::shifted((x - bbox[0], y - bbox[1]), || draw_at(chart, SeriesLabelPosition::Coordinate(0, 0)))
    } else {
        draw_at(chart, SeriesLabelPosition::Coordinate(x - xs.start - offset.0, y - ys.start - offset.1))
    }
}

/// Days since 1970-01-01: the x value of a date on a time axis.
pub fn day_x(d: NaiveDate) -> f64 {
    (d - NaiveDate::default()).num_days() as f64
}

pub fn x_day(x: f64) -> NaiveDate {
    #[allow(clippy::cast_possible_truncation)] // axis values are day counts well inside i64
    let days = x.round() as i64;
    NaiveDate::default() + Duration::days(days)
}

/// A time axis in days since 1970 (`day_x`), ticked on month or year starts
/// so labels read "Mar 2026" or "2026", never an arbitrary day.
#[derive(Debug, Clone)]
pub struct DateAxis {
    from: f64,
    to: f64,
    ticks: Vec<f64>,
}

impl Ranged for DateAxis {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        let f = (value - self.from) / (self.to - self.from);
        #[allow(clippy::cast_possible_truncation)] // pixel coordinates
        let px = (f64::from(limit.1 - limit.0) * f).round() as i32;
        limit.0 + px
    }

    fn key_points<H: KeyPointHint>(&self, hint: H) -> Vec<f64> {
        // Month or year starts only: no light grid between them.
        if hint.weight().allow_light_points() { Vec::new() } else { self.ticks.clone() }
    }

    fn range(&self) -> std::ops::Range<f64> {
        self.from..self.to
    }
}

/// The axis from `first` to `last`, padded a little on both sides.
pub fn date_axis(first: NaiveDate, last: NaiveDate) -> DateAxis {
    let last = last.max(first + Duration::days(6));
    let pad = ((last - first).num_days() / 40).max(3);
    let (from, to) = (first - Duration::days(pad), last + Duration::days(pad));
    DateAxis { from: day_x(from), to: day_x(to), ticks: date_ticks(from, to).into_iter().map(day_x).collect() }
}

/// Month starts (every 1, 2, 3 or 6 months) or January firsts, at most ~12.
pub fn date_ticks(from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
    let months = (to.year() - from.year()) * 12 + to.month0().cast_signed() - from.month0().cast_signed() + 1;
    let step = [1, 2, 3, 6, 12, 24, 60, 120].into_iter().find(|s| months / s <= 12).unwrap_or(240);
    let mut ticks = Vec::new();
    let (mut year, mut month) = (from.year(), from.month0().cast_signed());
    while let Some(d) = NaiveDate::from_ymd_opt(year, u32::try_from(month + 1).unwrap_or(1), 1) {
        if d > to {
            break;
        }
        let aligned = if step >= 12 { month == 0 && year % (step / 12) == 0 } else { month % step == 0 };
        if d >= from && aligned {
            ticks.push(d);
        }
        month += 1;
        if month == 12 {
            (year, month) = (year + 1, 0);
        }
    }
    ticks
}

/// "Mar 2026" for month ticks, "2026" for January on long axes.
pub fn date_label(x: f64, span_days: f64) -> String {
    let d = x_day(x);
    if span_days > 3.0 * 365.0 { d.format("%Y").to_string() } else { d.format("%b %Y").to_string() }
}

/// The message a chart shows instead of data, centred in its plot.
pub fn no_data(area: &Area<'_>, heading: &str, why: &str) -> Drawn {
    area.fill(&BACKGROUND)?;
    let (w, h) = area.dim_in_pixel();
    let centre = |y: i32| (i32::try_from(w / 2).unwrap_or(0), y);
    area.draw(&Text::new(
        heading.to_owned(),
        centre(30),
        title().pos(plotters::style::text_anchor::Pos::new(
            plotters::style::text_anchor::HPos::Center,
            plotters::style::text_anchor::VPos::Top,
        )),
    ))?;
    area.draw(&Rectangle::new(
        [(40, 80), (i32::try_from(w).unwrap_or(0) - 40, i32::try_from(h).unwrap_or(0) - 40)],
        GRID,
    ))?;
    area.draw(&Text::new(
        why.to_owned(),
        centre(i32::try_from(h / 2).unwrap_or(0)),
        text(18).pos(plotters::style::text_anchor::Pos::new(
            plotters::style::text_anchor::HPos::Center,
            plotters::style::text_anchor::VPos::Center,
        )),
    ))?;
    Ok(())
}

/// "1.5", "2": axis numbers without a needless ".0" (ticks may fall on halves).
pub fn tick_label(v: f64) -> String {
    let s = format!("{v:.1}");
    s.strip_suffix(".0").unwrap_or(&s).to_owned()
}

/// "1.5 h", "2 h".
pub fn hours_label(h: f64) -> String {
    format!("{} h", tick_label(h))
}

/// Extend `(lo, hi)` by `frac` of its span on both sides (and never empty).
pub fn padded(lo: f64, hi: f64, frac: f64) -> (f64, f64) {
    let span = (hi - lo).abs().max(1e-9);
    let pad = if hi > lo { span * frac } else { lo.abs().max(1.0) * 0.1 };
    (lo - pad, hi + pad)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn ticks_fall_on_month_or_year_starts() {
        assert_eq!(date_ticks(d(2026, 1, 10), d(2026, 4, 20)), vec![d(2026, 2, 1), d(2026, 3, 1), d(2026, 4, 1)]);
        let long = date_ticks(d(2016, 3, 1), d(2026, 3, 1));
        assert!(long.iter().all(|t| t.month() == 1 && t.day() == 1), "{long:?}");
        assert!((5..=12).contains(&long.len()), "{long:?}");
        let two_years = date_ticks(d(2024, 1, 1), d(2025, 12, 31));
        assert!(two_years.len() <= 12 && two_years.iter().all(|t| t.day() == 1));
    }

    #[test]
    fn days_round_trip() {
        let day = d(2026, 11, 22);
        assert_eq!(x_day(day_x(day)), day);
        assert_eq!(date_label(day_x(day), 100.0), "Nov 2026");
        assert_eq!(date_label(day_x(day), 5000.0), "2026");
    }
}
