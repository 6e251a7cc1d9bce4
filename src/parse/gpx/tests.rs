//! The GPX reader on inline documents: one test per element and quirk.

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
    let pt = |lat: f64, t: u32| format!(r#"<trkpt lat="{lat}" lon="0"><time>2020-01-01T00:00:{t:02}Z</time></trkpt>"#);
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

/// A bug avoided: room for points was made from the first scanned point's
/// length over the rest of the file, so a short point before megabytes of
/// other content reserved room for a hundred thousand points and more.
#[test]
fn a_short_point_before_a_long_tail_reserves_at_most_a_day_of_points() {
    // Enough points to fill the series' first allocation.
    let point = |s: u32| format!(r#"<trkpt lat="1" lon="2"><time>2024-01-01T00:00:0{s}Z</time></trkpt>"#);
    let mut body = ["<trk><trkseg>".to_owned(), point(0), point(1), point(2), point(3), point(4), point(5)].concat();
    body.push_str(&"<!-- not a point -->".repeat(400_000));
    body.push_str("</trkseg></trk>");
    let a = parse(doc(&body).as_bytes()).unwrap();
    assert_eq!(a.samples.len(), 6);
    // A day of points past the few read first (the tail alone would have
    // asked for 125,000).
    let room = a.samples.time_ms.capacity();
    assert!(room <= 86_400 + 6, "{room}");
}
