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
        // point by point were copied a dozen times each.
        if c.activity.samples.is_full() {
            c.activity.samples.reserve(r.get_ref().len() / scanned.len.max(1));
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
mod tests {
    use super::*;
    use crate::parse::Channel;

    fn doc(body: &str) -> String {
        format!(
            r#"<?xml version="1.0"?><gpx version="1.1" creator="t" xmlns="http://www.topografix.com/GPX/1/1"
            xmlns:ns3="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">{body}</gpx>"#
        )
    }

    #[test]
    fn trkpt_with_garmin_extension_under_any_prefix() {
        let gpx = doc(r#"<trk><name>Morning &amp; Run</name><type>running</type><trkseg>
            <trkpt lat="46.5" lon="6.6"><ele>372.4</ele><time>2024-03-01T07:00:00Z</time>
              <extensions><ns3:TrackPointExtension><ns3:hr>141</ns3:hr><ns3:cad>86</ns3:cad><ns3:atemp>12.5</ns3:atemp></ns3:TrackPointExtension></extensions></trkpt>
            <trkpt lat="46.5001" lon="6.6"><time>2024-03-01T07:00:01Z</time></trkpt>
            </trkseg></trk>"#);
        let a = parse(gpx.as_bytes()).unwrap();
        assert_eq!(a.samples.len(), 2);
        assert_eq!(a.meta.name.as_deref(), Some("Morning & Run"));
        assert_eq!(a.meta.sport, Sport::Running);
        assert_eq!(a.samples.hr_bpm[0], 141.0);
        assert_eq!(a.samples.cadence_rpm[0], 86.0);
        assert_eq!(a.samples.temperature_c[0], 12.5);
        assert_eq!(a.samples.altitude_m[0], 372.4);
        assert!(a.samples.hr_bpm[1].is_nan());
        assert_eq!(a.meta.start_ms, 1_709_276_400_000);
        assert_eq!(a.samples.count(Channel::Position), 2);
        // 0.0001 degree of latitude
        assert!((a.meta.total_distance_m.unwrap() - 11.12).abs() < 0.01);
    }

    #[test]
    fn segments_are_measured_separately_in_file_order() {
        let pt =
            |lat: f64, t: u32| format!(r#"<trkpt lat="{lat}" lon="0"><time>2020-01-01T00:00:{t:02}Z</time></trkpt>"#);
        // Two segments 1 degree apart; the second point of the first is out of order.
        let gpx = doc(&format!(
            "<trk><trkseg>{}{}</trkseg><trkseg>{}{}</trkseg></trk>",
            pt(0.0, 5),
            pt(0.001, 1),
            pt(1.0, 10),
            pt(1.001, 11)
        ));
        let a = parse(gpx.as_bytes()).unwrap();
        assert!((a.meta.total_distance_m.unwrap() - 222.4).abs() < 0.1);
        let t0 = 1_577_836_800_000; // 2020-01-01T00:00:00Z
        assert_eq!(a.samples.time_ms[..2], [t0 + 5000, t0 + 1000], "file order kept");
        assert_eq!(a.into_time_order().meta.out_of_order_points, 1);
    }

    #[test]
    fn gpx10_speed_and_gpxdata_extensions() {
        let gpx = doc(r#"<trk><trkseg><trkpt lat="1" lon="2"><time>2020-01-01T00:00:00Z</time><speed>3.1</speed>
            <extensions><gpxdata:hr xmlns:gpxdata="x">150</gpxdata:hr><gpxdata:distance xmlns:gpxdata="x">12.5</gpxdata:distance><power>250</power></extensions></trkpt></trkseg></trk>"#);
        let a = parse(gpx.as_bytes()).unwrap();
        assert_eq!(a.samples.speed_m_s[0], 3.1);
        assert_eq!(a.samples.hr_bpm[0], 150.0);
        assert_eq!(a.samples.distance_m[0], 12.5);
        assert_eq!(a.samples.power_w[0], 250.0);
    }

    #[test]
    fn extension_values_are_found_before_inside_and_after_nested_containers() {
        let deep = format!("{}<cad>90</cad>{}", "<x>".repeat(50_000), "</x>".repeat(50_000));
        let gpx = doc(&format!(
            r#"<trk><trkseg><trkpt lat="1" lon="2"><time>2020-01-01T00:00:00Z</time><extensions><power>200</power>
            <a><b/><hr>150</hr></a>{deep}<c></c><atemp>9</atemp></extensions><ele>12</ele></trkpt></trkseg></trk>"#
        ));
        let a = parse(gpx.as_bytes()).unwrap();
        assert_eq!(a.samples.power_w[0], 200.0);
        assert_eq!(a.samples.hr_bpm[0], 150.0);
        assert_eq!(a.samples.cadence_rpm[0], 90.0);
        assert_eq!(a.samples.temperature_c[0], 9.0);
        assert_eq!(a.samples.altitude_m[0], 12.0, "the point's own children still read after the extensions");
    }

    #[test]
    fn planned_route_without_times_is_refused_with_reason() {
        let route = doc(r#"<rte><rtept lat="1" lon="2"/><rtept lat="1.1" lon="2"/></rte>"#);
        assert!(matches!(parse(route.as_bytes()), Err(ParseError::NoTimestamps { .. })));
        let untimed = doc(r#"<trk><trkseg><trkpt lat="1" lon="2"/></trkseg></trk>"#);
        assert!(matches!(parse(untimed.as_bytes()), Err(ParseError::NoTimestamps { .. })));
        assert!(matches!(parse(doc("").as_bytes()), Err(ParseError::NoPoints { .. })));
    }

    #[test]
    fn truncated_document_is_broken_xml() {
        let gpx = doc(r#"<trk><trkseg><trkpt lat="1" lon="2"><time>2020-01-01T00:00:00Z</time></trkpt>"#);
        let cut = &gpx[..gpx.len() - 10];
        assert!(matches!(parse(cut.as_bytes()), Err(ParseError::BrokenXml { .. })));
    }

    #[test]
    fn untimed_points_in_a_timed_track_are_counted_not_lost_silently() {
        let gpx = doc(
            r#"<trk><trkseg><trkpt lat="1" lon="2"><time>2020-01-01T00:00:00Z</time></trkpt><trkpt lat="1" lon="2"/></trkseg></trk>"#,
        );
        let a = parse(gpx.as_bytes()).unwrap();
        assert_eq!((a.samples.len(), a.meta.dropped_points), (1, 1));
    }
}
