//! GPX 1.0/1.1 tracks, streamed with quick-xml: one function per element, as
//! the schema nests them (gpx > trk > trkseg > trkpt > extensions). Track
//! points of the usual plain shape are read by `scan` instead, a byte
//! scanner that hands anything else back to quick-xml.

mod scan;

use std::io::BufRead;

use quick_xml::events::{BytesStart, Event};

use super::{Activity, Point, Sport};
use crate::error::ParseError;
use crate::geo::haversine_m;
use crate::xml::{self, XmlReader};

/// The most track points room is made for at once (a day at one a second).
const MAX_RESERVE_POINTS: usize = 86_400;

/// What the walk over the document collected.
#[derive(Default)]
struct Collected {
    activity: Activity,
    /// Track points without a time, or route/way points: kept only to explain
    /// a skip ("a planned route") rather than to analyze.
    untimed_points: usize,
    route_points: usize,
    sport: Option<String>,
    name: Option<String>,
    /// 2-D length of all segments, each measured on its own in file order:
    /// a gap between segments (signal lost, another day) is not distance.
    length_m: f64,
    segment_last: Option<(f64, f64)>,
    /// Whether track points may be read by `scan` (off only to test that
    /// both readings agree).
    scan: bool,
}

impl Collected {
    /// One track point read, by quick-xml or by `scan`.
    fn add(&mut self, point: &Point, time_ms: Option<i64>) {
        if let (Some(lat), Some(lon)) = (point.lat_deg, point.lon_deg) {
            if let Some((plat, plon)) = self.segment_last {
                self.length_m += haversine_m(plat, plon, lat, lon);
            }
            self.segment_last = Some((lat, lon));
        }
        match time_ms {
            Some(time_ms) => self.activity.samples.push(&Point { time_ms, ..*point }),
            None => self.untimed_points += 1,
        }
    }
}

pub fn parse(bytes: &[u8]) -> Result<Activity, ParseError> {
    parse_with(bytes, true)
}

/// `parse`, with the track-point scanner on or off.
fn parse_with(bytes: &[u8], scan: bool) -> Result<Activity, ParseError> {
    let mut r = xml::reader(bytes);
    let mut c = Collected { scan, ..Collected::default() };
    loop {
        match r.read_event() {
            Ok(Event::Start(e)) if xml::local_name(&e) == b"gpx" => parse_gpx(&mut r, &mut c)?,
            Ok(Event::Start(e)) => xml::skip(&mut r, &e)?,
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(err) => return Err(xml::broken(&r, &err)),
        }
    }
    finish(c)
}

fn finish(c: Collected) -> Result<Activity, ParseError> {
    let Collected { mut activity, untimed_points, route_points, sport, name, length_m, .. } = c;
    if activity.samples.is_empty() {
        return Err(if untimed_points + route_points > 0 {
            ParseError::NoTimestamps { what: "this GPX" }
        } else {
            ParseError::NoPoints { what: "this GPX" }
        });
    }
    let meta = &mut activity.meta;
    meta.dropped_points = untimed_points;
    meta.sport_raw = sport.unwrap_or_default();
    meta.sport = Sport::normalize(&meta.sport_raw, None);
    meta.name = name;
    meta.total_distance_m = Some(length_m).filter(|&d| d > 0.0);
    meta.start_ms = activity.samples.time_range().map_or(0, |(first, _)| first);
    Ok(activity)
}

fn parse_gpx(r: &mut XmlReader<'_>, c: &mut Collected) -> Result<(), ParseError> {
    loop {
        match xml::next(r)? {
            Event::Start(e) => match xml::local_name(&e) {
                b"metadata" => parse_metadata(r, c)?,
                b"trk" => parse_trk(r, c)?,
                b"rte" | b"wpt" => c.route_points += count_points(r, &e)?,
                _ => xml::skip(r, &e)?,
            },
            Event::End(_) => return Ok(()),
            _ => {}
        }
    }
}

fn parse_metadata(r: &mut XmlReader<'_>, c: &mut Collected) -> Result<(), ParseError> {
    loop {
        match xml::next(r)? {
            Event::Start(e) if xml::local_name(&e) == b"name" => {
                let name = xml::text(r)?.trim().to_owned();
                if c.name.is_none() && !name.is_empty() {
                    c.name = Some(name);
                }
            }
            Event::Start(e) => xml::skip(r, &e)?,
            Event::End(_) => return Ok(()),
            _ => {}
        }
    }
}

fn parse_trk(r: &mut XmlReader<'_>, c: &mut Collected) -> Result<(), ParseError> {
    loop {
        match xml::next(r)? {
            Event::Start(e) => match xml::local_name(&e) {
                // A track's own name beats the file's metadata name.
                b"name" => {
                    let name = xml::text(r)?.trim().to_owned();
                    if !name.is_empty() {
                        c.name = Some(name);
                    }
                }
                b"type" => {
                    let sport = xml::text(r)?.trim().to_owned();
                    if c.sport.is_none() && !sport.is_empty() {
                        c.sport = Some(sport);
                    }
                }
                b"trkseg" => parse_trkseg(r, c)?,
                _ => xml::skip(r, &e)?,
            },
            Event::End(_) => return Ok(()),
            _ => {}
        }
    }
}

fn parse_trkseg(r: &mut XmlReader<'_>, c: &mut Collected) -> Result<(), ParseError> {
    c.segment_last = None;
    let skipping = xml::skip_blank_text(r, true);
    parse_trkpts(r, c)?;
    xml::skip_blank_text(r, skipping);
    Ok(())
}

fn parse_trkpts(r: &mut XmlReader<'_>, c: &mut Collected) -> Result<(), ParseError> {
    // Whether the reader stands between elements, where `scan` may take
    // over: after an element it read to its end. Not on entering the
    // segment, whose start tag may have been an empty `<trkseg/>`.
    let mut between = false;
    loop {
        if between && c.scan {
            scan_points(r, c);
        }
        between = false;
        match xml::next(r)? {
            Event::Start(e) if xml::local_name(&e) == b"trkpt" => {
                let (point, time_ms) = parse_trkpt(r, &e)?;
                c.add(&point, time_ms);
                between = true;
            }
            Event::Start(e) => {
                xml::skip(r, &e)?;
                between = true;
            }
            Event::End(_) => return Ok(()),
            _ => {}
        }
    }
}

/// Read the track points ahead with `scan` while they have its plain shape,
/// moving the reader past each one (its byte count too, so a later error
/// still names the right place). The reader is left where quick-xml reads on.
fn scan_points(r: &mut XmlReader<'_>, c: &mut Collected) {
    while let Some(scanned) = scan::track_point(r.get_ref()) {
        // Room for as many more points as the rest of the file holds of
        // this one's length, once the series are full: ten series grown
        // point by point were copied a dozen times each. At most a day of
        // seconds at a time: a short point before a long tail of other
        // elements must not reserve gigabytes.
        if c.activity.samples.is_full() {
            c.activity.samples.reserve((r.get_ref().len() / scanned.len.max(1)).min(MAX_RESERVE_POINTS));
        }
        c.add(&scanned.point, scanned.time_ms);
        r.stream().consume(scanned.len);
    }
}

/// One track point, and its time if it has a usable one.
fn parse_trkpt(r: &mut XmlReader<'_>, start: &BytesStart<'_>) -> Result<(Point, Option<i64>), ParseError> {
    let [lat_deg, lon_deg] = xml::attr_numbers(start, ["lat", "lon"]);
    let mut p = located(lat_deg, lon_deg);
    let mut time = None;
    loop {
        match xml::next(r)? {
            Event::Start(e) => match PointChild::of(xml::local_name(&e)) {
                PointChild::Extensions => parse_extensions(r, &mut p)?,
                PointChild::Other => xml::skip(r, &e)?,
                value => value.set(&mut p, &mut time, xml::text(r)?.as_bytes()),
            },
            Event::End(_) => break,
            _ => {}
        }
    }
    Ok((finished(p), time))
}

/// A point at the `lat`/`lon` attributes' position, where it is on the globe.
fn located(lat_deg: Option<f64>, lon_deg: Option<f64>) -> Point {
    Point {
        lat_deg: lat_deg.filter(|v| (-90.0..=90.0).contains(v)),
        lon_deg: lon_deg.filter(|v| (-180.0..=180.0).contains(v)),
        ..Point::default()
    }
}

/// Half a position is none.
fn finished(mut p: Point) -> Point {
    if p.lat_deg.is_none() || p.lon_deg.is_none() {
        (p.lat_deg, p.lon_deg) = (None, None);
    }
    p
}

/// What a child element of a track point is to the parser, by local name:
/// one place for both readers.
#[derive(Clone, Copy)]
enum PointChild {
    Altitude,
    Time,
    /// GPX 1.0 puts speed directly in the point.
    Speed,
    Extensions,
    Other,
}

impl PointChild {
    fn of(local_name: &[u8]) -> PointChild {
        match local_name {
            b"ele" => PointChild::Altitude,
            b"time" => PointChild::Time,
            b"speed" => PointChild::Speed,
            b"extensions" => PointChild::Extensions,
            _ => PointChild::Other,
        }
    }

    /// Store a value child's text (a text that is not a value clears it).
    fn set(self, p: &mut Point, time_ms: &mut Option<i64>, text: &[u8]) {
        match self {
            PointChild::Altitude => p.altitude_m = xml::number_in(text),
            PointChild::Time => *time_ms = xml::time_ms_in(text),
            PointChild::Speed => p.speed_m_s = xml::number_in(text),
            PointChild::Extensions | PointChild::Other => {}
        }
    }
}

/// Sensor values from any vendor's point extensions, at any depth and under
/// any namespace prefix: Garmin `TrackPointExtension` v1/v2 (`hr`, `cad`,
/// `atemp`, `speed`), cluetrust gpxdata (`hr`, `cadence`, `temp`, `distance`),
/// Garmin power (`PowerInWatts`) and plain `power`/`heartrate` tags.
/// Containers are entered by counting depth, not by recursing: a file
/// nesting 100,000 unknown elements here must not overflow a worker's stack.
fn parse_extensions(r: &mut XmlReader<'_>, p: &mut Point) -> Result<(), ParseError> {
    let mut depth = 0usize;
    loop {
        match xml::next(r)? {
            Event::Start(e) => match extension_value(p, xml::local_name(&e)) {
                Some(slot) => set_extension(slot, xml::text(r)?.as_bytes()),
                // Containers such as TrackPointExtension: look inside.
                None => depth += 1,
            },
            Event::End(_) if depth == 0 => return Ok(()),
            Event::End(_) => depth -= 1,
            _ => {}
        }
    }
}

/// The field an extension element's text goes to, by its local name in any
/// case; `None` for a container.
fn extension_value<'p>(p: &'p mut Point, local_name: &[u8]) -> Option<&'p mut Option<f64>> {
    let mut lower = [0u8; EXTENSION_NAME_MAX];
    Some(match lowercase(local_name, &mut lower) {
        b"hr" | b"heartrate" | b"heartratebpm" => &mut p.hr_bpm,
        b"cad" | b"cadence" | b"runcadence" => &mut p.cadence_rpm,
        b"atemp" | b"temp" | b"temperature" | b"wtemp" => &mut p.temperature_c,
        b"power" | b"powerinwatts" | b"watts" => &mut p.power_w,
        b"speed" => &mut p.speed_m_s,
        b"distance" => &mut p.distance_m,
        _ => return None,
    })
}

/// An extension value that is not a number leaves the field as it was.
fn set_extension(slot: &mut Option<f64>, text: &[u8]) {
    if let Some(v) = xml::number_in(text) {
        *slot = Some(v);
    }
}

/// The longest extension name read (`heartratebpm`, `powerinwatts`).
const EXTENSION_NAME_MAX: usize = 12;

/// `name` in lower case, in `buf` (no allocation per element); names longer
/// than any read come back empty, which matches no value.
fn lowercase<'b>(name: &[u8], buf: &'b mut [u8; EXTENSION_NAME_MAX]) -> &'b [u8] {
    let Some(out) = buf.get_mut(..name.len()) else { return &[] };
    out.copy_from_slice(name);
    out.make_ascii_lowercase();
    out
}

/// Count `rtept`/`wpt` points (a route's or waypoint's body), for the skip reason.
fn count_points(r: &mut XmlReader<'_>, start: &BytesStart<'_>) -> Result<usize, ParseError> {
    if xml::local_name(start) == b"wpt" {
        xml::skip(r, start)?;
        return Ok(1);
    }
    let mut n = 0;
    loop {
        match xml::next(r)? {
            Event::Start(e) => {
                n += usize::from(xml::local_name(&e) == b"rtept");
                xml::skip(r, &e)?;
            }
            Event::End(_) => return Ok(n),
            _ => {}
        }
    }
}

#[cfg(test)]
#[allow(clippy::float_cmp)] // values parsed from decimal text must come out exact
mod tests;
