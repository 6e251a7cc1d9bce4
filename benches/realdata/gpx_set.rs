//! The kind of GPX input, built from one real file: Garmin Connect
//! runs with heart rate and cadence extensions, about an hour at 1 Hz
//! (~1.3 MB) each. The real file is a 16-minute stroll, so its points are
//! walked out and back until a file is long enough (times shifted, every
//! point's bytes otherwise as Garmin wrote them), and each file is moved a
//! day later than the one before so no two are the same run.

use chrono::{DateTime, SecondsFormat, TimeDelta};

const DAY_S: i64 = 24 * 3600;

/// `files` runs of about `bytes_each` bytes from the GPX text `source`.
pub fn garmin_runs(source: &str, files: usize, bytes_each: usize) -> Vec<Vec<u8>> {
    let track = Track::split(source);
    (0..files).map(|i| track.run(i64::try_from(i).expect("few files") * DAY_S, bytes_each).into_bytes()).collect()
}

/// A GPX document cut at its track points.
struct Track<'a> {
    head: &'a str,
    /// Each `<trkpt>` with the whitespace after it.
    points: Vec<&'a str>,
    tail: &'a str,
    times: Vec<DateTime<chrono::FixedOffset>>,
}

impl<'a> Track<'a> {
    fn split(source: &'a str) -> Track<'a> {
        let first = source.find("<trkpt").expect("the source GPX has track points");
        let end = source.rfind("</trkseg>").expect("the source GPX has a track segment");
        let mut starts: Vec<usize> = source[first..end].match_indices("<trkpt").map(|(i, _)| first + i).collect();
        starts.push(end);
        let points: Vec<&str> = starts.windows(2).map(|w| &source[w[0]..w[1]]).collect();
        let times = points.iter().map(|p| time_of(p).expect("every source point has a time")).collect();
        Track { head: &source[..first], points, tail: &source[end..], times }
    }

    /// One run starting `shift_s` after the source, out and back until it
    /// holds `bytes` bytes.
    fn run(&self, shift_s: i64, bytes: usize) -> String {
        let t0 = self.times[0];
        let span = *self.times.last().expect("points") - t0;
        let mut out = retime_all(self.head, TimeDelta::seconds(shift_s));
        let n = self.points.len();
        'passes: for pass in 0.. {
            let base = TimeDelta::seconds(shift_s) + (span + TimeDelta::seconds(1)) * pass;
            for j in 0..n {
                // Back along the way on odd passes, keeping the gaps between points.
                let (i, rel) = if pass % 2 == 0 {
                    (j, self.times[j] - t0)
                } else {
                    (n - 1 - j, span - (self.times[n - 1 - j] - t0))
                };
                out.push_str(&retime(self.points[i], t0 + base + rel));
                if out.len() >= bytes {
                    break 'passes;
                }
            }
        }
        out.push_str(self.tail);
        out
    }
}

fn time_span(text: &str) -> Option<(usize, usize)> {
    let start = text.find("<time>")? + "<time>".len();
    Some((start, start + text[start..].find("</time>")?))
}

fn time_of(text: &str) -> Option<DateTime<chrono::FixedOffset>> {
    let (a, b) = time_span(text)?;
    DateTime::parse_from_rfc3339(&text[a..b]).ok()
}

/// `text` with its first `<time>` set to `t`, in the source's style
/// (milliseconds or whole seconds).
fn retime(text: &str, t: DateTime<chrono::FixedOffset>) -> String {
    let Some((a, b)) = time_span(text) else { return text.to_owned() };
    let format = if text[a..b].contains('.') { SecondsFormat::Millis } else { SecondsFormat::Secs };
    format!("{}{}{}", &text[..a], t.to_utc().to_rfc3339_opts(format, true), &text[b..])
}

/// Every `<time>` of `text` moved by `shift`.
fn retime_all(text: &str, shift: TimeDelta) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(t) = time_of(rest) {
        let (_, b) = time_span(rest).expect("a time was found");
        let end = b + "</time>".len();
        out.push_str(&retime(&rest[..end], t + shift));
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}
