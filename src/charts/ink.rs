//! Where a chart has drawn data so far, so its legend can go where there is
//! none. The drawing backend notes every dark pixel it draws into a mask;
//! a legend is first measured (drawn nowhere), then placed in the first
//! free spot of its plot. Kept per thread because plotters owns the backend
//! behind its drawing areas, and each chart is drawn on one thread.

use std::cell::RefCell;

/// A pixel rectangle: left, top, right, bottom (inclusive).
pub type Rect = [i32; 4];

#[derive(Default)]
struct State {
    width: i32,
    height: i32,
    /// One flag per pixel: data was drawn there.
    data: Vec<bool>,
    /// While set, drawing puts nothing on the image, only grows `measured`.
    measuring: bool,
    measured: Option<Rect>,
    legends: Vec<Rect>,
    hide_legends: bool,
    /// A strip beside the chart kept free for legends that find no room
    /// in their plot (a second drawing of a crowded chart).
    reserve: Option<Rect>,
    /// The width a legend wanted beside the chart, having found no room.
    wanted: Option<i32>,
    /// Added to every coordinate drawn: a legend laid out inside its plot
    /// (plotters clamps to the plot) lands in the strip beside it.
    shift: (i32, i32),
}

thread_local! {
    static STATE: RefCell<State> = RefCell::new(State::default());
}

/// Dark enough to be data (points, lines, bars, text) rather than the
/// background, the grid or a pale band behind the data.
pub fn is_data(rgb: (u8, u8, u8), alpha: f64) -> bool {
    let on_white = |c: u8| alpha * f64::from(c) + (1.0 - alpha) * 255.0;
    on_white(rgb.0).min(on_white(rgb.1)).min(on_white(rgb.2)) < 160.0
}

/// Start a chart of this size with an empty mask, legends that find no
/// room in their plot going to `reserve` when given.
pub fn begin(width: u32, height: u32, show_legends: bool, reserve: Option<Rect>) {
    STATE.with_borrow_mut(|s| {
        let (w, h) = (i32::try_from(width).unwrap_or(0), i32::try_from(height).unwrap_or(0));
        // The last chart's mask, cleared: a fresh one per chart cost a page
        // fault per 4 KB of it.
        let mut data = std::mem::take(&mut s.data);
        data.clear();
        data.resize(width as usize * height as usize, false);
        *s = State { width: w, height: h, data, hide_legends: !show_legends, reserve, ..State::default() };
    });
}

/// What `finish` reports of a drawing.
pub struct Finished {
    pub legends: Vec<Rect>,
    /// The width of the strip a legend wanted beside the chart, having
    /// found no room in its plot.
    pub wanted: Option<i32>,
}

/// The legend boxes drawn since `begin`, and the strip wanted.
pub fn finish() -> Finished {
    STATE.with_borrow_mut(|s| Finished { legends: std::mem::take(&mut s.legends), wanted: s.wanted.take() })
}

/// Where a legend with no room in its plot goes: the top of the reserved
/// strip, or nowhere yet (the width it needs is noted for a second drawing).
pub fn beside(size: (i32, i32), top: i32) -> Option<(i32, i32)> {
    STATE.with_borrow_mut(|s| {
        let strip = s.reserve.map(|r| (r[0] + 8, top.max(r[1])));
        if strip.is_none() {
            s.wanted = Some(s.wanted.unwrap_or(0).max(size.0 + 24));
        }
        strip
    })
}

/// Note a drawing operation covering `r` in colour `rgb`. Returns true when
/// it must not reach the image (the legend is being measured).
pub fn note(r: Rect, rgb: (u8, u8, u8), alpha: f64) -> bool {
    let data = is_data(rgb, alpha);
    STATE.with_borrow_mut(|s| s.note(r, data))
}

/// Note a straight stroke `width` pixels wide, as squares along it.
pub fn note_line(from: (i32, i32), to: (i32, i32), width: u32, rgb: (u8, u8, u8), alpha: f64) -> bool {
    let half = i32::try_from(width / 2).unwrap_or(0);
    let data = is_data(rgb, alpha);
    STATE.with_borrow_mut(|s| {
        // A pale line (the grid) leaves no mark: only its box, if measured.
        if !data || s.data.is_empty() || s.measuring {
            let (x0, x1, y0, y1) = (from.0.min(to.0), from.0.max(to.0), from.1.min(to.1), from.1.max(to.1));
            return s.note([x0 - half, y0 - half, x1 + half, y1 + half], data);
        }
        let steps = (to.0 - from.0).abs().max((to.1 - from.1).abs()).max(1);
        for k in 0..=steps {
            let x = from.0 + (to.0 - from.0) * k / steps;
            let y = from.1 + (to.1 - from.1) * k / steps;
            s.note([x - half, y - half, x + half, y + half], true);
        }
        false
    })
}

impl State {
    /// See [`note`]; `data`: the colour counts as data.
    #[allow(clippy::cast_sign_loss)] // indices clamped to the image
    fn note(&mut self, r: Rect, data: bool) -> bool {
        if self.measuring {
            let b = self.measured.unwrap_or(r);
            self.measured = Some([b[0].min(r[0]), b[1].min(r[1]), b[2].max(r[2]), b[3].max(r[3])]);
            return true;
        }
        if let Some([x0, y0, x1, y1]) = clipped(r, self.width, self.height).filter(|_| data && !self.data.is_empty()) {
            for y in y0..=y1 {
                let row = (y * self.width) as usize;
                self.data[row + x0 as usize..=row + x1 as usize].fill(true);
            }
        }
        false
    }

    /// See [`data_in`].
    #[allow(clippy::cast_sign_loss)] // clipped to the image
    fn data_in(&self, r: Rect) -> usize {
        let Some([x0, y0, x1, y1]) = clipped(r, self.width, self.height).filter(|_| !self.data.is_empty()) else {
            return 0;
        };
        (y0..=y1)
            .map(|y| {
                let row = (y * self.width) as usize;
                self.data[row + x0 as usize..=row + x1 as usize].iter().filter(|&&d| d).count()
            })
            .sum()
    }
}

/// The part of `r` on a `width` x `height` image, `None` if none is.
fn clipped(r: Rect, width: i32, height: i32) -> Option<Rect> {
    let r = [r[0].max(0), r[1].max(0), r[2].min(width - 1), r[3].min(height - 1)];
    (r[0] <= r[2] && r[1] <= r[3]).then_some(r)
}

/// Data pixels inside `r` drawn so far, counted pixel by pixel (to ask
/// many times, use `Counts`).
pub fn data_in(r: Rect) -> usize {
    STATE.with_borrow(|s| s.data_in(r))
}

/// Counts of data pixels over rectangles in constant time (a summed-area
/// table of the mask), to try many places for a box.
pub struct Counts {
    width: i32,
    height: i32,
    /// (width + 1) x (height + 1): data pixels above and left of each corner.
    sums: Vec<u32>,
}

thread_local! {
    /// The table of the last `Counts` dropped on this thread, to be filled
    /// again: a chart asks for several, each the size of the image.
    static SPARE_SUMS: std::cell::Cell<Vec<u32>> = const { std::cell::Cell::new(Vec::new()) };
}

impl Counts {
    #[allow(clippy::cast_sign_loss)] // sizes are not negative
    /// The data drawn so far.
    pub fn now() -> Counts {
        STATE.with_borrow(|s| {
            let (w, h) = (s.width.max(0) as usize, s.height.max(0) as usize);
            let mut sums = SPARE_SUMS.take();
            sums.clear();
            sums.resize((w + 1) * (h + 1), 0);
            // Row by row: each corner is the one above it plus the data to
            // its left on its own row (slices, so no index is checked).
            for (y, mask) in s.data.chunks_exact(w.max(1)).take(h).enumerate() {
                let (above, below) = sums.split_at_mut((y + 1) * (w + 1));
                let above = &above[y * (w + 1) + 1..];
                let mut row = 0;
                for ((corner, &up), &data) in below[1..=w].iter_mut().zip(above).zip(mask) {
                    row += u32::from(data);
                    *corner = up + row;
                }
            }
            Counts { width: s.width, height: s.height, sums }
        })
    }

    /// Data pixels in `r` where it lies on the image.
    #[allow(clippy::cast_sign_loss)] // clipped to the image
    pub fn data_in(&self, r: Rect) -> usize {
        let Some(r) = clipped(r, self.width, self.height) else { return 0 };
        let w = self.width as usize + 1;
        let at = |x: i32, y: i32| self.sums[y as usize * w + x as usize];
        let (x0, y0, x1, y1) = (r[0], r[1], r[2] + 1, r[3] + 1);
        (at(x1, y1) + at(x0, y0) - at(x0, y1) - at(x1, y0)) as usize
    }
}

impl Drop for Counts {
    fn drop(&mut self) {
        SPARE_SUMS.set(std::mem::take(&mut self.sums));
    }
}

/// Where to put a `size` box: the first of `preferred` (top-left corners)
/// that covers no data, else the first free place scanning `within`; else
/// the preferred place covering least data, and false.
pub fn free_spot(preferred: &[(i32, i32)], within: Rect, size: (i32, i32)) -> Option<((i32, i32), bool)> {
    let (width, height) = STATE.with_borrow(|s| (s.width, s.height));
    let on_image = |(x, y): (i32, i32)| x >= 0 && y >= 0 && x + size.0 < width && y + size.1 < height;
    // A little air around the box too.
    let around = |(x, y): (i32, i32)| [x - 3, y - 3, x + size.0 + 3, y + size.1 + 3];
    // Most boxes fit at a preferred place: counted there pixel by pixel, as
    // a table of the whole image's sums costs more than a few boxes do.
    let direct = |p| if on_image(p) { data_in(around(p)) } else { usize::MAX };
    if let Some(&p) = preferred.iter().find(|&&p| direct(p) == 0) {
        return Some((p, true));
    }
    let counts = Counts::now();
    let cost = |p| if on_image(p) { counts.data_in(around(p)) } else { usize::MAX };
    let scan = (within[1]..=within[3] - size.1)
        .step_by(8)
        .flat_map(|y| (within[0]..=within[2] - size.0).step_by(8).map(move |x| (x, y)));
    let mut free = scan.filter(|&p| cost(p) == 0);
    free.next().map(|p| (p, true)).or_else(|| preferred.iter().copied().min_by_key(|&p| cost(p)).map(|p| (p, false)))
}

/// The offset every drawing operation gets (see `State::shift`).
pub fn shift() -> (i32, i32) {
    STATE.with_borrow(|s| s.shift)
}

/// Run `draw` with everything it draws moved by `by`.
pub fn shifted(by: (i32, i32), draw: impl FnOnce() -> super::style::Drawn) -> super::style::Drawn {
    STATE.with_borrow_mut(|s| s.shift = by);
    let drawn = draw();
    STATE.with_borrow_mut(|s| s.shift = (0, 0));
    drawn
}

/// Run `draw` without touching the image; the box it would have covered.
pub fn measure(draw: impl FnOnce() -> super::style::Drawn) -> Result<Option<Rect>, Box<dyn std::error::Error>> {
    STATE.with_borrow_mut(|s| (s.measuring, s.measured) = (true, None));
    let drawn = draw();
    let bbox = STATE.with_borrow_mut(|s| {
        s.measuring = false;
        s.measured.take()
    });
    drawn.map(|()| bbox)
}

/// Record a legend box (for the tests); false when legends are hidden, to
/// render a chart without them and check what they would have covered.
pub fn legend_at(r: Rect) -> bool {
    STATE.with_borrow_mut(|s| {
        s.legends.push(r);
        !s.hide_legends
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dark_pixels_are_data_pale_ones_are_not() {
        assert!(is_data((33, 37, 41), 1.0));
        assert!(is_data((46, 139, 87), 1.0));
        assert!(!is_data((222, 226, 230), 1.0), "grid");
        assert!(!is_data((150, 150, 150), 0.12), "pale band");
    }

    #[test]
    fn a_free_spot_avoids_noted_data() {
        begin(100, 100, true, None);
        note([0, 0, 40, 40], (0, 0, 0), 1.0);
        assert_eq!(free_spot(&[(0, 0), (50, 0)], [0, 0, 99, 99], (20, 10)), Some(((50, 0), true)));
        assert_eq!(free_spot(&[(0, 0)], [0, 0, 99, 99], (20, 10)), Some(((48, 0), true)), "scanned");
        assert_eq!(free_spot(&[(0, 0)], [0, 0, 30, 30], (20, 10)), Some(((0, 0), false)), "no room");
        assert_eq!(beside((50, 20), 10), None);
        assert_eq!(finish().wanted, Some(74), "a strip wanted for a second drawing");
        assert_eq!(measure(|| Ok(())).unwrap(), None);
        assert_eq!(data_in([45, 45, 99, 99]), 0);
        assert_eq!(data_in([30, 30, 200, 200]), 121, "clipped to the image");
    }

    /// Self-consistency: the summed-area table and the direct count count
    /// what a scan of the mask counts, on a second chart of another size
    /// drawn on the same thread (the mask and the table are reused).
    #[test]
    fn counts_are_those_of_a_scan_of_the_mask() {
        begin(40, 30, true, None);
        note([0, 0, 39, 29], (0, 0, 0), 1.0);
        drop(Counts::now());
        begin(37, 23, true, None);
        let mut rng = crate::stats::test_rng::Rng(11);
        let mut next = |n: i32| i32::try_from(rng.below(n.unsigned_abs())).unwrap();
        for _ in 0..40 {
            let (x, y) = (next(37), next(23));
            note([x, y, x + next(4), y + next(3)], (0, 0, 0), 1.0);
        }
        note_line((0, 22), (36, 0), 1, (0, 0, 0), 1.0);
        let counts = Counts::now();
        let mask = STATE.with_borrow(|s| s.data.clone());
        for _ in 0..300 {
            let (x0, y0) = (next(45) - 4, next(30) - 4);
            let r = [x0, y0, x0 + next(20), y0 + next(15)];
            let scanned = (r[1].max(0)..=r[3].min(22))
                .flat_map(|y| (r[0].max(0)..=r[2].min(36)).map(move |x| (x, y)))
                .filter(|&(x, y)| mask[usize::try_from(y * 37 + x).unwrap()])
                .count();
            assert_eq!(counts.data_in(r), scanned, "{r:?}");
            assert_eq!(data_in(r), scanned, "counted directly, {r:?}");
        }
    }

    #[test]
    fn a_pale_line_marks_nothing_and_a_measured_one_its_box() {
        begin(50, 50, true, None);
        assert!(!note_line((0, 10), (49, 10), 2, (222, 226, 230), 1.0));
        assert_eq!(data_in([0, 0, 49, 49]), 0);
        let measured = measure(|| {
            note_line((5, 40), (30, 20), 3, (222, 226, 230), 1.0);
            Ok(())
        });
        assert_eq!(measured.unwrap(), Some([4, 19, 31, 41]));
        assert!(!note_line((0, 0), (9, 9), 1, (0, 0, 0), 1.0));
        assert_eq!(data_in([0, 0, 49, 49]), 10, "the diagonal");
    }
}
