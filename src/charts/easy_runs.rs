//! `easy_runs.png`: every easy and long run's share of time in Z2 (the gray
//! zone) after the warm-up, against the 20 % line; gray runs stand out.

use chrono::NaiveDate;
use plotters::prelude::*;
use serde::Serialize;

use super::style::{self, Area, Drawn};
use crate::tables::readback::Readback;

/// Above this share of Z2 time an easy run is gray (DESIGN.md).
pub const GRAY_SHARE_PCT: f64 = 20.0;

#[derive(Debug, Clone, Serialize)]
pub struct Series {
    pub runs: Vec<Point>,
    pub gray: usize,
}

#[derive(Debug, Clone, Copy, Serialize)]
pub struct Point {
    pub day: NaiveDate,
    pub z2_pct: f64,
    pub gray: bool,
}

pub fn series(input: &Readback) -> Result<Series, String> {
    let runs: Vec<Point> = input
        .runs()
        .filter(|a| a.is_easy_or_long())
        .filter_map(|a| Some(Point { day: a.day(), z2_pct: 100.0 * a.z2_share?, gray: a.gray_zone.unwrap_or(false) }))
        .collect();
    if runs.is_empty() {
        return Err("No easy or long runs with heart rate to check yet".into());
    }
    let gray = runs.iter().filter(|p| p.gray).count();
    Ok(Series { runs, gray })
}

pub fn draw(s: &Series, area: &Area<'_>) -> Drawn {
    let days = s.runs.iter().map(|p| p.day);
    let (first, last) = (days.clone().min().unwrap_or_default(), days.max().unwrap_or_default());
    let top = s.runs.iter().map(|p| p.z2_pct).fold(GRAY_SHARE_PCT * 2.0, f64::max).min(100.0) * 1.1;
    let span = style::day_x(last) - style::day_x(first);
    let title = format!("Easy and long runs: time in the gray zone ({} of {} gray)", s.gray, s.runs.len());
    let mut chart = ChartBuilder::on(area)
        .caption(title, style::title())
        .margin(20)
        .x_label_area_size(40)
        .y_label_area_size(70)
        .build_cartesian_2d(style::date_axis(first, last), 0.0..top)?;
    style::mesh(&mut chart)
        .x_label_formatter(&|x| style::date_label(*x, span))
        .y_label_formatter(&|y| format!("{y:.0} %"))
        .y_desc("time in Z2 after warm-up")
        .draw()?;
    let (x0, x1) = (chart.x_range().start, chart.x_range().end);
    chart.draw_series(std::iter::once(Rectangle::new(
        [(x0, GRAY_SHARE_PCT), (x1, top)],
        style::Z2.mix(0.12).filled(),
    )))?;
    chart
        .draw_series(DashedLineSeries::new(
            [(x0, GRAY_SHARE_PCT), (x1, GRAY_SHARE_PCT)],
            10,
            6,
            style::INK.stroke_width(2),
        ))?
        .label(format!("{GRAY_SHARE_PCT:.0} %: above this an easy run is gray"))
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], style::INK.stroke_width(2)));
    chart
        .draw_series(
            s.runs
                .iter()
                .filter(|p| !p.gray)
                .map(|p| Circle::new((style::day_x(p.day), p.z2_pct), 5, style::Z1.filled())),
        )?
        .label("easy run, kept easy")
        .legend(|(x, y)| Circle::new((x + 10, y), 5, style::Z1.filled()));
    chart
        .draw_series(s.runs.iter().filter(|p| p.gray).map(|p| {
            EmptyElement::at((style::day_x(p.day), p.z2_pct))
                + Circle::new((0, 0), 6, style::GRAY_RUN.filled())
                + Circle::new((0, 0), 6, style::INK.stroke_width(2))
        }))?
        .label("gray easy run (too hard for an easy day)")
        .legend(|(x, y)| Circle::new((x + 10, y), 6, style::GRAY_RUN.filled()));
    style::legend(&mut chart, SeriesLabelPosition::UpperLeft)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::{Kind, render, testing};
    use crate::units::Units;

    #[test]
    fn only_easy_and_long_runs_with_their_verdict() {
        let s = series(&testing::input()).unwrap();
        assert_eq!(s.runs.len(), 36);
        assert_eq!(s.gray, s.runs.iter().filter(|p| p.z2_pct > GRAY_SHARE_PCT).count());
        insta::assert_json_snapshot!(s);
    }

    #[test]
    fn gray_runs_are_drawn_gray() {
        let png = render(Kind::EasyRuns, &testing::input(), Units::Metric).unwrap();
        let plot = (0.1, 0.1, 0.95, 0.9);
        assert!(testing::count_color(&png.bytes, plot, (120, 120, 120), 0) > 100, "gray dots");
        assert!(testing::count_color(&png.bytes, plot, (46, 139, 87), 0) > 300, "easy dots");
    }
}
