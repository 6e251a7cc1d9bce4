//! Text for the charts, drawn with the embedded font. plotters' own
//! `ab_glyph` text ignores each glyph's left bearing, so letters wobble
//! ("h ard"); this backend wraps the bitmap backend and lays text out
//! properly (advances, kerning, bearings), leaving all other drawing to it.

use std::sync::LazyLock;

use ab_glyph::{Font, FontRef, PxScale, ScaleFont, point};
use plotters::prelude::*;
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind, FontStyle,
};

/// The `DejaVu` Sans font, compiled in so charts look the same on every machine.
pub(super) const FONT: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
pub(super) const FONT_BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

static REGULAR: LazyLock<FontRef<'static>> =
    LazyLock::new(|| FontRef::try_from_slice(FONT).expect("the embedded font parses"));
static BOLD: LazyLock<FontRef<'static>> =
    LazyLock::new(|| FontRef::try_from_slice(FONT_BOLD).expect("the embedded bold font parses"));

/// A bitmap backend whose text is laid out with the embedded font.
pub struct TextBackend<'a>(pub BitMapBackend<'a>);

/// Glyphs of one line of text, positioned from the line's top-left corner.
struct Line {
    width: f32,
    height: f32,
    glyphs: Vec<ab_glyph::OutlinedGlyph>,
}

fn lay_out(text: &str, size: f64, style: FontStyle) -> Line {
    let font: &FontRef<'static> = if matches!(style, FontStyle::Bold) { &BOLD } else { &REGULAR };
    #[allow(clippy::cast_possible_truncation)] // font sizes are small
    let scaled = font.as_scaled(PxScale::from(size as f32));
    let mut caret = 0.0;
    let mut prev = None;
    let mut glyphs = Vec::with_capacity(text.len());
    for c in text.chars() {
        let id = scaled.glyph_id(c);
        if let Some(p) = prev {
            caret += scaled.kern(p, id);
        }
        let glyph = id.with_scale_and_position(scaled.scale(), point(caret, scaled.ascent()));
        caret += scaled.h_advance(id);
        prev = Some(id);
        if let Some(outlined) = font.outline_glyph(glyph) {
            glyphs.push(outlined);
        }
    }
    Line { width: caret, height: scaled.height(), glyphs }
}

/// A point moved by the current `ink::shift`.
fn moved(p: BackendCoord) -> BackendCoord {
    let (dx, dy) = super::ink::shift();
    (p.0 + dx, p.1 + dy)
}

impl DrawingBackend for TextBackend<'_> {
    type ErrorType = <BitMapBackend<'static> as DrawingBackend>::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.0.get_size()
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.ensure_prepared()
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.present()
    }

    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        color: BackendColor,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        let point = moved(point);
        if super::ink::note([point.0, point.1, point.0, point.1], color.rgb, color.alpha) {
            return Ok(());
        }
        self.0.draw_pixel(point, color)
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        let (from, to) = (moved(from), moved(to));
        let c = style.color();
        if super::ink::note_line(from, to, style.stroke_width(), c.rgb, c.alpha) {
            return Ok(());
        }
        self.0.draw_line(from, to, style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        let (upper_left, bottom_right) = (moved(upper_left), moved(bottom_right));
        let ([x0, y0], [x1, y1]) = ([upper_left.0, upper_left.1], [bottom_right.0, bottom_right.1]);
        let c = style.color();
        let skip = if fill {
            super::ink::note([x0.min(x1), y0.min(y1), x0.max(x1), y0.max(y1)], c.rgb, c.alpha)
        } else {
            let w = style.stroke_width();
            let edges = [((x0, y0), (x1, y0)), ((x1, y0), (x1, y1)), ((x0, y1), (x1, y1)), ((x0, y0), (x0, y1))];
            edges.into_iter().fold(false, |_, (a, b)| super::ink::note_line(a, b, w, c.rgb, c.alpha))
        };
        if skip {
            return Ok(());
        }
        self.0.draw_rect(upper_left, bottom_right, style, fill)
    }

    fn blit_bitmap(
        &mut self,
        pos: BackendCoord,
        size: (u32, u32),
        src: &[u8],
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.blit_bitmap(pos, size, src)
    }

    fn estimate_text_size<S: BackendTextStyle>(
        &self,
        text: &str,
        style: &S,
    ) -> Result<(u32, u32), DrawingErrorKind<Self::ErrorType>> {
        let line = lay_out(text, style.size(), style.style());
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // small positive sizes
        Ok((line.width.ceil() as u32, line.height.ceil() as u32))
    }

    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        let line = lay_out(text, style.size(), style.style());
        let pos = moved(pos);
        #[allow(clippy::cast_possible_truncation)] // pixel offsets
        let (w, h) = (line.width.round() as i32, line.height.round() as i32);
        let anchor = style.anchor();
        let dx = match anchor.h_pos {
            HPos::Left => 0,
            HPos::Center => -w / 2,
            HPos::Right => -w,
        };
        let dy = match anchor.v_pos {
            VPos::Top => 0,
            VPos::Center => -h / 2,
            VPos::Bottom => -h,
        };
        let transform = style.transform();
        let (width, height) = self.get_size();
        for glyph in &line.glyphs {
            let bounds = glyph.px_bounds();
            #[allow(clippy::cast_possible_truncation)] // pixel coordinates
            let (gx, gy) = (bounds.min.x as i32, bounds.min.y as i32);
            let mut pixels = Vec::new();
            glyph.draw(|x, y, coverage| pixels.push((x, y, coverage)));
            for (x, y, coverage) in pixels {
                let (tx, ty) = transform.transform(gx + x.cast_signed() + dx, gy + y.cast_signed() + dy);
                let (px, py) = (pos.0 + tx, pos.1 + ty);
                if coverage > 0.0 && px >= 0 && py >= 0 && px < width.cast_signed() && py < height.cast_signed() {
                    let c = BackendColor { alpha: color.alpha * f64::from(coverage.min(1.0)), rgb: color.rgb };
                    if super::ink::note([px, py, px, py], c.rgb, c.alpha) {
                        continue;
                    }
                    self.0.draw_pixel((px, py), c)?;
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_uses_advances_and_is_wider_for_longer_text() {
        let short = lay_out("hard", 16.0, FontStyle::Normal);
        let long = lay_out("hard work", 16.0, FontStyle::Normal);
        assert!(long.width > short.width + 20.0);
        assert!(lay_out("hard", 16.0, FontStyle::Bold).width > short.width);
        // Each glyph starts where the previous one's advance ended, give or
        // take its bearing: no overlaps, no gaps wider than a letter.
        let starts: Vec<f32> = short.glyphs.iter().map(|g| g.px_bounds().min.x).collect();
        assert!(starts.windows(2).all(|w| w[1] > w[0] && w[1] - w[0] < 12.0), "{starts:?}");
    }
}
