//! Drawing the route map (`route_map` builds its series): one panel per
//! area, cells on a log colour scale, routes outlined, names placed where
//! they hide the least of the map, a scale bar in the report's units, and
//! the key below the maps, outside them.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::ink;
use super::route_map::{AreaMap, Series};
use super::style::{self, Area, Drawn};

const TITLE_H: i32 = 56;
const FOOTER_H: i32 = 70;
const HOME_SIDE: i32 = 1000;
const PLACE_W: i32 = 480;
/// Space above each map for its heading.
const HEADER_H: i32 = 26;
const GAP: i32 = 10;

/// Heat from one run (light) to the busiest cell (dark), on a log scale.
const RAMP: [RGBColor; 3] = [RGBColor(253, 174, 97), RGBColor(215, 48, 39), RGBColor(103, 0, 13)];
/// Cells first run this season.
pub const NEW_GROUND: RGBColor = RGBColor(0, 160, 225);
/// Outlines of the most-run routes, most run first.
const OUTLINES: [RGBColor; 5] = [
    RGBColor(13, 59, 102),
    RGBColor(106, 61, 154),
    RGBColor(27, 120, 55),
    RGBColor(1, 102, 94),
    RGBColor(197, 27, 125),
];

pub fn size(areas: usize) -> (u32, u32) {
    let w = if areas > 1 { HOME_SIDE + PLACE_W } else { HOME_SIDE };
    let h = TITLE_H + HOME_SIDE - 2 * GAP + FOOTER_H;
    (w.unsigned_abs(), h.unsigned_abs())
}

/// The colour of a cell `runs` of `max` runs went through.
pub fn heat_color(runs: u32, max: u32) -> RGBColor {
    let t = if max <= 1 { 0.0 } else { f64::from(runs.max(1)).ln() / f64::from(max).ln() };
    let (seg, f) = if t < 0.5 { (0, t * 2.0) } else { (1, (t - 0.5) * 2.0) };
    let (a, b) = (RAMP[seg], RAMP[seg + 1]);
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // between two u8 values
    let mix = |x: u8, y: u8| (f64::from(x) + (f64::from(y) - f64::from(x)) * f.clamp(0.0, 1.0)).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// Pixel rectangles (left, top, width, height) of the panels, home first.
fn panels(n: usize) -> Vec<(i32, i32, i32, i32)> {
    let h = HOME_SIDE - 2 * GAP;
    let mut out = vec![(GAP, TITLE_H, HOME_SIDE - 2 * GAP, h)];
    let places = i32::try_from(n.saturating_sub(1)).unwrap_or(0);
    for k in 0..places {
        let each = (h - GAP * (places - 1)) / places;
        out.push((HOME_SIDE, TITLE_H + k * (each + GAP), PLACE_W - GAP, each));
    }
    out
}

/// Where a map's points land: `scale` pixels per unit around `mid`.
#[derive(Clone, Copy)]
struct Frame {
    plot: [i32; 4],
    mid: (f64, f64),
    scale: f64,
}

impl Frame {
    fn of(a: &AreaMap, plot: [i32; 4]) -> Frame {
        let pts = a.cells.iter().map(|c| (c.x, c.y)).chain(a.routes.iter().flat_map(|r| r.points.iter().copied()));
        let (x0, x1, y0, y1) = pts.fold((f64::MAX, f64::MIN, f64::MAX, f64::MIN), |b, (x, y)| {
            (b.0.min(x), b.1.max(x), b.2.min(y), b.3.max(y))
        });
        // At least a few cells across, so one short run is not a blur.
        let span = |lo: f64, hi: f64| (hi - lo + a.cell_size).max(a.cell_size * 20.0) * 1.06;
        let (w, h) = (f64::from(plot[2] - plot[0]), f64::from(plot[3] - plot[1]));
        let scale = (w / span(x0, x1)).min(h / span(y0, y1));
        Frame { plot, mid: (f64::midpoint(x0, x1), f64::midpoint(y0, y1)), scale }
    }

    #[allow(clippy::cast_possible_truncation)] // pixel coordinates inside the image
    fn px(&self, (x, y): (f64, f64)) -> (i32, i32) {
        let cx = f64::from(self.plot[0] + self.plot[2]) / 2.0;
        let cy = f64::from(self.plot[1] + self.plot[3]) / 2.0;
        ((cx + (x - self.mid.0) * self.scale).round() as i32, (cy - (y - self.mid.1) * self.scale).round() as i32)
    }
}

pub fn draw(s: &Series, area: &Area<'_>) -> Drawn {
    let total: u32 = s.areas.iter().map(|a| a.runs).sum::<u32>() + s.more_runs;
    let more = match s.more_places {
        0 => String::new(),
        1 => format!(", 1 more place ({} runs) not shown", s.more_runs),
        n => format!(", {n} more places ({} runs) not shown", s.more_runs),
    };
    area.draw(&Text::new(format!("Where you run: every run's track ({total} runs{more})"), (GAP, 14), style::title()))?;
    let mut frames = Vec::new();
    for (i, (a, rect)) in s.areas.iter().zip(panels(s.areas.len())).enumerate() {
        frames.push(draw_panel(s, a, i, rect, area)?);
    }
    // Names and scale bars go where the maps have least data, after all is drawn.
    let mut taken: Vec<ink::Rect> = Vec::new();
    let drawn = ink::Counts::now();
    for (a, f) in s.areas.iter().zip(&frames) {
        for (k, r) in a.routes.iter().enumerate() {
            let text = format!("{} · {} runs", r.label, r.runs);
            label(area, (f, &drawn), &r.points, &text, OUTLINES[k], &mut taken)?;
        }
        scale_bar(area, (f, &drawn), s.unit, &mut taken)?;
    }
    key(s, area)
}

fn draw_panel(
    s: &Series,
    map: &AreaMap,
    i: usize,
    (left, top, width, height): (i32, i32, i32, i32),
    area: &Area<'_>,
) -> Result<Frame, Box<dyn std::error::Error>> {
    let heading = if i == 0 {
        format!("Home area: {} runs", map.runs)
    } else {
        let (lat, lon) = map.centre;
        let ns = if lat >= 0.0 { 'N' } else { 'S' };
        let ew = if lon >= 0.0 { 'E' } else { 'W' };
        format!("{:.2}° {ns}, {:.2}° {ew}: {} runs", lat.abs(), lon.abs(), map.runs)
    };
    area.draw(&Text::new(heading, (left + 4, top + 2), style::bold(16)))?;
    let plot = [left, top + HEADER_H, left + width, top + height];
    area.draw(&Rectangle::new([(plot[0], plot[1]), (plot[2], plot[3])], style::GRID))?;
    let frame = Frame::of(map, [plot[0] + 2, plot[1] + 2, plot[2] - 2, plot[3] - 2]);
    // A cell's width, and at least 3 pixels so one run's trail shows as a
    // line, not a dotted trace, on a map many kilometres wide.
    #[allow(clippy::cast_possible_truncation)] // a few pixels
    let side = ((map.cell_size * frame.scale).ceil() as i32).max(3);
    let (lo, hi) = ((side - 1) / 2, side / 2);
    for cell in &map.cells {
        let (cx, cy) = frame.px((cell.x, cell.y));
        let color = if cell.new { NEW_GROUND } else { heat_color(cell.runs, s.max_runs) };
        area.draw(&Rectangle::new([(cx - lo, cy - lo), (cx + hi, cy + hi)], color.filled()))?;
    }
    for (k, r) in map.routes.iter().enumerate().rev() {
        let pts: Vec<(i32, i32)> = r.points.iter().map(|&p| frame.px(p)).collect();
        // Segment by segment: plotters fills a thick closed polyline as a hollow outline.
        for seg in pts.windows(2) {
            area.draw(&PathElement::new(vec![seg[0], seg[1]], OUTLINES[k].stroke_width(2)))?;
        }
    }
    Ok(frame)
}

/// A route's name beside it, where the box covers least of the map and no
/// other name: tried along the course, on either side.
fn label(
    area: &Area<'_>,
    (frame, drawn): (&Frame, &ink::Counts),
    points: &[(f64, f64)],
    text: &str,
    color: RGBColor,
    taken: &mut Vec<ink::Rect>,
) -> Drawn {
    let font = style::bold(14);
    let (tw, th) = area.estimate_text_size(text, &font)?;
    let (box_w, box_h) = (i32::try_from(tw).unwrap_or(100) + 10, i32::try_from(th).unwrap_or(16) + 6);
    let step = (points.len() / 16).max(1);
    let mut best: Option<(usize, (i32, i32))> = None;
    for p in points.iter().step_by(step).map(|&p| frame.px(p)) {
        for (dx, dy) in
            [(8, -box_h - 8), (8, 8), (-box_w - 8, -box_h - 8), (-box_w - 8, 8), (24, -box_h - 24), (-box_w - 24, 24)]
        {
            let r = [p.0 + dx, p.1 + dy, p.0 + dx + box_w, p.1 + dy + box_h];
            if r[0] < frame.plot[0] || r[1] < frame.plot[1] || r[2] > frame.plot[2] || r[3] > frame.plot[3] {
                continue;
            }
            let clash = taken.iter().any(|t| t[0] <= r[2] && r[0] <= t[2] && t[1] <= r[3] && r[1] <= t[3]);
            let cost = drawn.data_in(r).saturating_add(if clash { 1 << 30 } else { 0 });
            if best.is_none_or(|(c, _)| cost < c) {
                best = Some((cost, (r[0], r[1])));
            }
        }
    }
    let Some((_, (bx, by))) = best else { return Ok(()) };
    taken.push([bx, by, bx + box_w, by + box_h]);
    area.draw(&Rectangle::new([(bx, by), (bx + box_w, by + box_h)], style::BACKGROUND.mix(0.9).filled()))?;
    area.draw(&Rectangle::new([(bx, by), (bx + box_w, by + box_h)], color.stroke_width(1)))?;
    area.draw(&Text::new(text.to_owned(), (bx + 5, by + 3), font.color(&color)))?;
    Ok(())
}

/// A bar of a round length (1, 2 or 5 times a power of ten of the unit)
/// about a fifth of the map wide, in the corner with least data.
fn scale_bar(area: &Area<'_>, (frame, drawn): (&Frame, &ink::Counts), unit: &str, taken: &mut Vec<ink::Rect>) -> Drawn {
    let target = f64::from(frame.plot[2] - frame.plot[0]) / 5.0 / frame.scale;
    let pow = 10f64.powf(target.log10().floor());
    let length = [5.0, 2.0, 1.0].into_iter().map(|m| m * pow).find(|&l| l <= target).unwrap_or(pow);
    #[allow(clippy::cast_possible_truncation)] // a fifth of the panel at most
    let bar = (length * frame.scale).round() as i32;
    let (box_w, box_h) = (bar + 16, 40);
    let corners = [
        (frame.plot[0] + 8, frame.plot[3] - box_h - 8),
        (frame.plot[2] - box_w - 8, frame.plot[3] - box_h - 8),
        (frame.plot[0] + 8, frame.plot[1] + 8),
        (frame.plot[2] - box_w - 8, frame.plot[1] + 8),
    ];
    let free = |&(x, y): &(i32, i32)| {
        let r = [x, y, x + box_w, y + box_h];
        let clash = taken.iter().any(|t| t[0] <= r[2] && r[0] <= t[2] && t[1] <= r[3] && r[1] <= t[3]);
        drawn.data_in(r).saturating_add(if clash { 1 << 30 } else { 0 })
    };
    let Some(&(bx, by)) = corners.iter().min_by_key(|c| free(c)) else { return Ok(()) };
    taken.push([bx, by, bx + box_w, by + box_h]);
    let (x0, x1, yb) = (bx + 8, bx + 8 + bar, by + box_h - 10);
    area.draw(&Rectangle::new([(bx, by), (bx + box_w, by + box_h)], style::BACKGROUND.mix(0.85).filled()))?;
    area.draw(&Rectangle::new([(x0, yb - 3), (x1, yb)], style::INK.filled()))?;
    for tick in [x0, x1] {
        area.draw(&PathElement::new(vec![(tick, yb - 8), (tick, yb)], style::INK.stroke_width(2)))?;
    }
    let centre = Pos::new(HPos::Center, VPos::Bottom);
    area.draw(&Text::new(
        format!("{} {unit}", style::tick_label(length)),
        (i32::midpoint(x0, x1), yb - 9),
        style::text(14).pos(centre),
    ))?;
    Ok(())
}

/// How to read the colours, below the maps: never on them.
fn key(s: &Series, area: &Area<'_>) -> Drawn {
    let (_, height) = area.dim_in_pixel();
    let top = i32::try_from(height).unwrap_or(0) - FOOTER_H + 14;
    let mut x = GAP;
    let mut steps: Vec<u32> = [1, 3, 10, 30, 100, 300, 1000].into_iter().filter(|&n| n * 2 < s.max_runs).collect();
    steps.push(s.max_runs.max(1));
    let mut boxes = vec![(x, "runs through each 50 m cell (log scale):".to_owned(), None)];
    x += 300;
    for n in steps {
        boxes.push((x, n.to_string(), Some(heat_color(n, s.max_runs))));
        x += 62;
    }
    if let Some(d) = s.new_since {
        boxes.push((x + 12, format!("new ground: first run after {}", d.format("%-d %b %Y")), Some(NEW_GROUND)));
        x += 320;
    }
    let second = top + 24;
    let rect = [GAP - 4, top - 4, x.max(GAP + 330), second + 20];
    if !ink::legend_at(rect) {
        return Ok(());
    }
    for (bx, text, swatch) in boxes {
        let tx = if let Some(c) = swatch {
            area.draw(&Rectangle::new([(bx, top + 1), (bx + 16, top + 17)], c.filled()))?;
            bx + 20
        } else {
            bx
        };
        area.draw(&Text::new(text, (tx, top), style::text(14)))?;
    }
    area.draw(&PathElement::new(vec![(GAP, second + 9), (GAP + 30, second + 9)], OUTLINES[0].stroke_width(2)))?;
    area.draw(&Text::new("the most-run routes, outlined and named".to_owned(), (GAP + 38, second), style::text(14)))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heat_is_log_scaled_from_light_to_dark() {
        assert_eq!(heat_color(1, 100), RAMP[0]);
        assert_eq!(heat_color(100, 100), RAMP[2]);
        // 10 of 100 runs is half way on a log scale.
        assert_eq!(heat_color(10, 100), RAMP[1]);
        assert_eq!(heat_color(1, 1), RAMP[0], "a single run is still drawn");
    }

    #[test]
    fn places_stack_beside_home() {
        let p = panels(4);
        assert_eq!(p.len(), 4);
        assert!(p[1..].iter().all(|q| q.0 >= HOME_SIDE && q.1 + q.3 <= TITLE_H + HOME_SIDE));
        assert_eq!(size(1).0, 1000);
    }
}
