//! `consistency.png`: a calendar of training time, weeks across and weekdays
//! down, one strip per year; layoffs show as red days.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, Duration, NaiveDate};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use serde::Serialize;

use super::style::{self, Area, Drawn};
use crate::dates::monday;
use crate::tables::readback::Readback;

/// Minutes of training per day that step the colour up.
const LEVELS_MIN: [f64; 4] = [1.0, 30.0, 60.0, 90.0];
const EMPTY: RGBColor = RGBColor(235, 237, 240);
const SHADES: [RGBColor; 4] =
    [RGBColor(190, 228, 200), RGBColor(120, 196, 140), RGBColor(46, 139, 87), RGBColor(20, 90, 50)];
const LEFT: i32 = 90;
const TOP: i32 = 70;
const STRIP_GAP: i32 = 36;
const LEGEND_H: i32 = 60;
const WEEKS_PER_STRIP: i32 = 54;

#[derive(Debug, Clone, Serialize)]
pub struct Series {
    /// One strip per calendar year (or one for the whole span if shorter).
    pub strips: Vec<Strip>,
    pub layoff_days: usize,
    pub active_days: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Strip {
    pub label: String,
    /// The Monday of the first column.
    pub first_monday: NaiveDate,
    pub first: NaiveDate,
    pub last: NaiveDate,
    /// Minutes per day with training, and whether the day is in a layoff.
    pub days: BTreeMap<NaiveDate, f64>,
    pub layoff: BTreeSet<NaiveDate>,
}

impl Strip {
    fn weeks(&self) -> i32 {
        i32::try_from((self.last - self.first_monday).num_days() / 7 + 1).unwrap_or(WEEKS_PER_STRIP)
    }
}

pub fn series(input: &Readback) -> Result<Series, String> {
    let mut minutes: BTreeMap<NaiveDate, f64> = BTreeMap::new();
    for a in &input.activities {
        *minutes.entry(a.day()).or_default() += a.moving_time_s / 60.0;
    }
    let (Some((&first, _)), Some((&last, _))) = (minutes.first_key_value(), minutes.last_key_value()) else {
        return Err("No activities to put on the calendar".into());
    };
    let layoff: BTreeSet<NaiveDate> =
        input.summary.layoffs.iter().flat_map(|l| l.start.iter_days().take_while(move |d| *d <= l.end)).collect();
    // Years start at the same column, so months line up from strip to strip.
    let spans: Vec<(String, NaiveDate, NaiveDate, NaiveDate)> = if (last - first).num_days() < 365 {
        vec![(String::new(), first, first, last)]
    } else {
        (first.year()..=last.year())
            .map(|y| {
                let jan1 = NaiveDate::from_ymd_opt(y, 1, 1).unwrap_or(first);
                let to = NaiveDate::from_ymd_opt(y, 12, 31).unwrap_or(last).min(last);
                (y.to_string(), jan1, jan1.max(first), to)
            })
            .collect()
    };
    let strips = spans
        .into_iter()
        .map(|(label, anchor, from, to)| Strip {
            label,
            first_monday: monday(anchor),
            first: from,
            last: to,
            days: minutes.range(from..=to).map(|(d, m)| (*d, *m)).collect(),
            layoff: layoff.range(from..=to).copied().collect(),
        })
        .collect();
    Ok(Series { strips, layoff_days: layoff.len(), active_days: minutes.len() })
}

/// Cell size that fits the widest strip in the chart width.
fn cell_px(strips: usize, widest_weeks: i32) -> i32 {
    let fit = (i32::try_from(style::WIDTH).unwrap_or(1200) - LEFT - 30) / widest_weeks.max(1);
    let cap = if strips > 1 { 18 } else { 40 };
    fit.clamp(6, cap)
}

/// Height grows with the number of years shown.
pub fn size(input: &Readback) -> (u32, u32) {
    let Ok(s) = series(input) else { return (style::WIDTH, style::HEIGHT) };
    let cell = cell_px(s.strips.len(), s.strips.iter().map(Strip::weeks).max().unwrap_or(1));
    let n = i32::try_from(s.strips.len()).unwrap_or(1);
    let h = TOP + n * (7 * cell + STRIP_GAP) + LEGEND_H;
    (style::WIDTH, u32::try_from(h.max(300)).unwrap_or(style::HEIGHT))
}

fn shade(minutes: f64) -> RGBColor {
    LEVELS_MIN.iter().rposition(|&l| minutes >= l).map_or(EMPTY, |i| SHADES[i])
}

pub fn draw(s: &Series, area: &Area<'_>) -> Drawn {
    let cell = cell_px(s.strips.len(), s.strips.iter().map(Strip::weeks).max().unwrap_or(1));
    let title = format!("Training time per day: {} active days, {} days of layoff", s.active_days, s.layoff_days);
    area.draw(&Text::new(title, (LEFT, 20), style::title()))?;
    let mut y = TOP;
    for strip in &s.strips {
        draw_strip(strip, area, (LEFT, y), cell)?;
        y += 7 * cell + STRIP_GAP;
    }
    legend(area, (LEFT, y), cell)
}

fn draw_strip(strip: &Strip, area: &Area<'_>, (x0, y0): (i32, i32), cell: i32) -> Drawn {
    let right = Pos::new(HPos::Right, VPos::Center);
    area.draw(&Text::new(strip.label.clone(), (x0 - 50, y0 + 3 * cell), style::bold(16).pos(right)))?;
    for (row, name) in [(0, "Mon"), (2, "Wed"), (4, "Fri"), (6, "Sun")] {
        area.draw(&Text::new(name, (x0 - 6, y0 + row * cell + cell / 2), style::muted(12).pos(right)))?;
    }
    let mut month_shown = 0;
    for day in strip.first.iter_days().take_while(|d| *d <= strip.last) {
        let col = i32::try_from((day - strip.first_monday).num_days() / 7).unwrap_or(0);
        let row = i32::try_from(day.weekday().num_days_from_monday()).unwrap_or(0);
        let (x, y) = (x0 + col * cell, y0 + row * cell);
        let color = match strip.days.get(&day) {
            Some(&m) => shade(m),
            None if strip.layoff.contains(&day) => style::LAYOFF,
            None => EMPTY,
        };
        area.draw(&Rectangle::new([(x, y), (x + cell - 2, y + cell - 2)], color.filled()))?;
        let first_column = day < strip.first_monday + Duration::days(7);
        if (first_column || (day.day() <= 7 && row == 0)) && day.month() != month_shown {
            month_shown = day.month();
            area.draw(&Text::new(day.format("%b").to_string(), (x, y0 - 16), style::muted(12)))?;
        }
    }
    Ok(())
}

fn legend(area: &Area<'_>, (x0, y0): (i32, i32), cell: i32) -> Drawn {
    let size = cell.min(16);
    let items = [
        (EMPTY, "rest"),
        (SHADES[0], "< 30 min"),
        (SHADES[1], "30-60 min"),
        (SHADES[2], "60-90 min"),
        (SHADES[3], "90+ min"),
        (style::LAYOFF, "layoff (10+ days without a run)"),
    ];
    let mut x = x0;
    for (color, label) in items {
        area.draw(&Rectangle::new([(x, y0), (x + size, y0 + size)], color.filled()))?;
        area.draw(&Text::new(
            label,
            (x + size + 6, y0 + size / 2),
            style::text(13).pos(Pos::new(HPos::Left, VPos::Center)),
        ))?;
        #[allow(clippy::cast_possible_truncation, clippy::cast_possible_wrap)] // short labels
        let label_px = label.len() as i32 * 8;
        x += size + 20 + label_px;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::{Kind, render, testing};
    use crate::tables::readback::Span;
    use crate::units::Units;

    #[test]
    fn days_add_up_and_layoffs_are_marked() {
        let mut input = testing::input();
        let start = NaiveDate::from_ymd_opt(2026, 4, 1).unwrap();
        input.summary.layoffs.push(Span { start, end: start + Duration::days(11) });
        let s = series(&input).unwrap();
        assert_eq!(s.strips.len(), 1);
        assert_eq!(s.active_days, 48);
        assert_eq!(s.layoff_days, 12);
        let total: f64 = s.strips[0].days.values().sum();
        assert!((total - input.activities.iter().map(|a| a.moving_time_s / 60.0).sum::<f64>()).abs() < 1e-6);
    }

    #[test]
    fn a_long_history_gets_one_strip_per_year_and_a_taller_image() {
        let mut input = testing::input();
        let mut late = input.activities[0].clone();
        late.local_start += Duration::days(3 * 365);
        input.activities.push(late);
        let s = series(&input).unwrap();
        assert_eq!(s.strips.iter().map(|s| s.label.as_str()).collect::<Vec<_>>(), ["2026", "2027", "2028", "2029"]);
        let png = render(Kind::Consistency, &input, Units::Metric).unwrap();
        assert!(png.height > 600, "{}", png.height);
        let short = render(Kind::Consistency, &testing::input(), Units::Metric).unwrap();
        assert!(testing::count_color(&short.bytes, (0.05, 0.1, 0.95, 0.9), (46, 139, 87), 0) > 1000);
    }
}
