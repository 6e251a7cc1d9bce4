//! Garmin Training Center (TCX) activities, streamed with quick-xml: one
//! function per element (Activities > Activity > Lap > Track > Trackpoint).
//! Every `<Activity>` becomes one activity, including multisport legs.

use quick_xml::events::Event;

use super::{Activity, Point, Sport};
use crate::error::ParseError;
use crate::xml::{self, XmlReader};

#[derive(Default)]
struct Collected {
    activities: Vec<Activity>,
    courses: usize,
}

pub fn parse(bytes: &[u8]) -> Result<Vec<Activity>, ParseError> {
    let mut r = xml::reader(bytes);
    let mut c = Collected::default();
    loop {
        match r.read_event() {
            Ok(Event::Start(e)) if xml::local_name(&e) == b"TrainingCenterDatabase" => {
                parse_database(&mut r, &mut c)?;
            }
            Ok(Event::Start(e)) => xml::skip(&mut r, &e)?,
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(err) => return Err(xml::broken(&r, &err)),
        }
    }
    c.activities.retain(|a| !a.samples.is_empty());
    if c.activities.is_empty() {
        return Err(if c.courses > 0 {
            ParseError::NoTimestamps { what: "this TCX course" }
        } else {
            ParseError::NoPoints { what: "this TCX" }
        });
    }
    Ok(c.activities)
}

/// Activities may sit directly under `<Activities>` or inside a
/// `<MultiSportSession>`'s `<FirstSport>`/`<NextSport>`: search any depth.
/// Those containers are entered by counting depth, not by recursing, so a
/// file nesting them 100,000 deep costs no stack.
fn parse_database(r: &mut XmlReader<'_>, c: &mut Collected) -> Result<(), ParseError> {
    let mut depth = 0usize;
    loop {
        match xml::next(r)? {
            Event::Start(e) => match xml::local_name(&e) {
                b"Activity" => {
                    let sport =
                        e.try_get_attribute("Sport").ok().flatten().map(|a| a.value.into_owned()).unwrap_or_default();
                    c.activities.push(parse_activity(r, sport)?);
                }
                b"Activities" | b"MultiSportSession" | b"FirstSport" | b"NextSport" => depth += 1,
                b"Courses" => {
                    c.courses += 1;
                    xml::skip(r, &e)?;
                }
                _ => xml::skip(r, &e)?,
            },
            Event::End(_) if depth == 0 => return Ok(()),
            Event::End(_) => depth -= 1,
            _ => {}
        }
    }
}

fn parse_activity(r: &mut XmlReader<'_>, sport: String) -> Result<Activity, ParseError> {
    let mut a = Activity::default();
    let mut id_ms = None;
    let mut timer_s = 0.0;
    let mut any_lap_time = false;
    loop {
        match xml::next(r)? {
            Event::Start(e) => match xml::local_name(&e) {
                b"Id" => id_ms = xml::parse_time_ms(&xml::text(r)?),
                b"Lap" => {
                    a.meta.laps += 1;
                    let lap_s = parse_lap(r, &mut a)?;
                    any_lap_time |= lap_s.is_some();
                    timer_s += lap_s.unwrap_or(0.0);
                }
                b"Notes" => {
                    let notes = xml::text(r)?.trim().to_owned();
                    if !notes.is_empty() && notes.len() <= 120 {
                        a.meta.name = Some(notes);
                    }
                }
                _ => xml::skip(r, &e)?,
            },
            Event::End(_) => break,
            _ => {}
        }
    }
    let meta = &mut a.meta;
    meta.sport = Sport::normalize(&sport, None);
    meta.sport_raw = sport;
    meta.timer_s = any_lap_time.then_some(timer_s);
    let first = a.samples.time_range().map(|(first, _)| first);
    meta.start_ms = first.or(id_ms).unwrap_or_default();
    Ok(a)
}

/// One lap: its trackpoints go into the activity; returns `TotalTimeSeconds`.
fn parse_lap(r: &mut XmlReader<'_>, a: &mut Activity) -> Result<Option<f64>, ParseError> {
    let mut total_s = None;
    loop {
        match xml::next(r)? {
            Event::Start(e) => match xml::local_name(&e) {
                b"TotalTimeSeconds" => total_s = xml::number(r)?,
                b"Track" => parse_track(r, a)?,
                _ => xml::skip(r, &e)?,
            },
            Event::End(_) => return Ok(total_s),
            _ => {}
        }
    }
}

fn parse_track(r: &mut XmlReader<'_>, a: &mut Activity) -> Result<(), ParseError> {
    let skipping = xml::skip_blank_text(r, true);
    parse_trackpoints(r, a)?;
    xml::skip_blank_text(r, skipping);
    Ok(())
}

fn parse_trackpoints(r: &mut XmlReader<'_>, a: &mut Activity) -> Result<(), ParseError> {
    loop {
        match xml::next(r)? {
            Event::Start(e) if xml::local_name(&e) == b"Trackpoint" => match parse_trackpoint(r)? {
                Some(p) => a.samples.push(&p),
                None => a.meta.dropped_points += 1,
            },
            Event::Start(e) => xml::skip(r, &e)?,
            Event::End(_) => return Ok(()),
            _ => {}
        }
    }
}

/// One trackpoint; `None` when it has no usable time.
fn parse_trackpoint(r: &mut XmlReader<'_>) -> Result<Option<Point>, ParseError> {
    let mut p = Point::default();
    let mut time = None;
    loop {
        match xml::next(r)? {
            Event::Start(e) => match xml::local_name(&e) {
                b"Time" => time = xml::parse_time_ms(&xml::text(r)?),
                b"Position" => parse_position(r, &mut p)?,
                b"AltitudeMeters" => p.altitude_m = xml::number(r)?,
                b"DistanceMeters" => p.distance_m = xml::number(r)?,
                b"HeartRateBpm" => p.hr_bpm = parse_value(r)?,
                b"Cadence" => p.cadence_rpm = xml::number(r)?,
                b"Extensions" => parse_extensions(r, &mut p)?,
                _ => xml::skip(r, &e)?,
            },
            Event::End(_) => break,
            _ => {}
        }
    }
    Ok(time.map(|t| Point { time_ms: t, ..p }))
}

fn parse_position(r: &mut XmlReader<'_>, p: &mut Point) -> Result<(), ParseError> {
    loop {
        match xml::next(r)? {
            Event::Start(e) => match xml::local_name(&e) {
                b"LatitudeDegrees" => p.lat_deg = xml::number(r)?.filter(|v| v.abs() <= 90.0),
                b"LongitudeDegrees" => p.lon_deg = xml::number(r)?.filter(|v| v.abs() <= 180.0),
                _ => xml::skip(r, &e)?,
            },
            Event::End(_) => break,
            _ => {}
        }
    }
    if p.lat_deg.is_none() || p.lon_deg.is_none() {
        (p.lat_deg, p.lon_deg) = (None, None);
    }
    Ok(())
}

/// `<HeartRateBpm><Value>141</Value></HeartRateBpm>`
fn parse_value(r: &mut XmlReader<'_>) -> Result<Option<f64>, ParseError> {
    let mut value = None;
    loop {
        match xml::next(r)? {
            Event::Start(e) if xml::local_name(&e) == b"Value" => value = xml::number(r)?,
            Event::Start(e) => xml::skip(r, &e)?,
            Event::End(_) => return Ok(value),
            _ => {}
        }
    }
}

/// `ActivityExtension` v2 `TPX`: `Speed`, `RunCadence`, `Watts`, under any
/// prefix and at any depth (containers are counted, not recursed into).
fn parse_extensions(r: &mut XmlReader<'_>, p: &mut Point) -> Result<(), ParseError> {
    let mut depth = 0usize;
    loop {
        match xml::next(r)? {
            Event::Start(e) => match xml::local_name(&e) {
                b"Speed" => p.speed_m_s = xml::number(r)?,
                b"RunCadence" => p.cadence_rpm = xml::number(r)?.or(p.cadence_rpm),
                b"Watts" => p.power_w = xml::number(r)?,
                _ => depth += 1,
            },
            Event::End(_) if depth == 0 => return Ok(()),
            Event::End(_) => depth -= 1,
            _ => {}
        }
    }
}

#[cfg(test)]
#[allow(clippy::float_cmp)] // values parsed from decimal text must come out exact
mod tests {
    use super::*;

    const HEAD: &str = r#"<?xml version="1.0"?><TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2" xmlns:ns3="http://www.garmin.com/xmlschemas/ActivityExtension/v2">"#;

    fn trackpoint(t: &str, hr: u32) -> String {
        format!(
            r"<Trackpoint><Time>{t}</Time><Position><LatitudeDegrees>46.5</LatitudeDegrees><LongitudeDegrees>6.6</LongitudeDegrees></Position>
            <AltitudeMeters>400.5</AltitudeMeters><DistanceMeters>12.0</DistanceMeters><HeartRateBpm><Value>{hr}</Value></HeartRateBpm>
            <Extensions><ns3:TPX><ns3:Speed>3.2</ns3:Speed><ns3:RunCadence>88</ns3:RunCadence></ns3:TPX></Extensions></Trackpoint>"
        )
    }

    #[test]
    fn activity_lap_and_trackpoint_channels() {
        let tcx = format!(
            r#"{HEAD}<Activities><Activity Sport="Running"><Id>2024-03-01T07:00:00Z</Id><Lap StartTime="2024-03-01T07:00:00Z">
            <TotalTimeSeconds>600</TotalTimeSeconds><Track>{}{}</Track></Lap></Activity></Activities></TrainingCenterDatabase>"#,
            trackpoint("2024-03-01T07:00:00Z", 120),
            trackpoint("2024-03-01T07:00:01Z", 121),
        );
        let acts = parse(tcx.as_bytes()).unwrap();
        assert_eq!(acts.len(), 1);
        let a = &acts[0];
        assert_eq!(a.meta.sport, Sport::Running);
        assert_eq!(a.meta.timer_s, Some(600.0));
        assert_eq!(a.samples.len(), 2);
        assert_eq!(a.samples.hr_bpm, vec![120.0, 121.0]);
        assert_eq!(a.samples.speed_m_s[0], 3.2);
        assert_eq!(a.samples.cadence_rpm[0], 88.0);
        assert_eq!(a.samples.lat_deg[0], 46.5);
    }

    #[test]
    fn multisport_session_gives_one_activity_per_leg() {
        let leg = |sport: &str, t: &str| {
            format!(r#"<Activity Sport="{sport}"><Lap><Track>{}</Track></Lap></Activity>"#, trackpoint(t, 130))
        };
        let tcx = format!(
            "{HEAD}<Activities><MultiSportSession><FirstSport>{}</FirstSport><NextSport>{}</NextSport></MultiSportSession></Activities></TrainingCenterDatabase>",
            leg("Biking", "2024-03-01T07:00:00Z"),
            leg("Running", "2024-03-01T08:00:00Z"),
        );
        let sports: Vec<Sport> = parse(tcx.as_bytes()).unwrap().iter().map(|a| a.meta.sport).collect();
        assert_eq!(sports, [Sport::Cycling, Sport::Running]);
    }

    #[test]
    fn activities_and_extensions_are_found_at_any_depth_without_recursion() {
        let deep = 50_000;
        let tp = trackpoint("2024-03-01T07:00:00Z", 130).replace(
            "<ns3:TPX>",
            &format!("<ns3:TPX>{}<ns3:Watts>250</ns3:Watts>{}", "<x>".repeat(deep), "</x>".repeat(deep)),
        );
        let tcx = format!(
            "{HEAD}<Activities>{}<Activity Sport=\"Running\"><Lap><Track>{tp}</Track></Lap></Activity>{}\
             <Activity Sport=\"Biking\"><Lap><Track>{}</Track></Lap></Activity></Activities></TrainingCenterDatabase>",
            "<MultiSportSession><FirstSport>".repeat(deep),
            "</FirstSport></MultiSportSession>".repeat(deep),
            trackpoint("2024-03-01T09:00:00Z", 131),
        );
        let acts = parse(tcx.as_bytes()).unwrap();
        let sports: Vec<Sport> = acts.iter().map(|a| a.meta.sport).collect();
        assert_eq!(sports, [Sport::Running, Sport::Cycling]);
        assert_eq!(acts[0].samples.power_w[0], 250.0);
        assert_eq!(acts[0].samples.speed_m_s[0], 3.2, "values after the nested containers are read");
    }

    #[test]
    fn course_file_is_not_an_activity() {
        let tcx = format!("{HEAD}<Courses><Course><Name>x</Name></Course></Courses></TrainingCenterDatabase>");
        assert!(matches!(parse(tcx.as_bytes()), Err(ParseError::NoTimestamps { .. })));
    }
}
