//! The route map's series and pixels: every run's cells, areas per place,
//! names, units, new ground.

use chrono::{Duration, NaiveDate};

use super::*;
use crate::charts::{Kind, render, testing};
use crate::tables::readback::Route;
use crate::units::Units;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn route(id: &str, runs: u32, track: Vec<(f64, f64)>) -> Route {
    Route { id: id.into(), runs, distance_m: 5000.0, first_run: None, last_run: None, track, name: None }
}

/// A runner at home in Munich who also ran in New York and Sydney.
pub fn traveller() -> Readback {
    let mut input = testing::input();
    let first = input.cells.iter().map(|c| c.first_run).min().unwrap();
    for (id, lat, lon) in [("R8", 40.78, -73.97), ("R9", -33.86, 151.21)] {
        let track = vec![(lat, lon), (lat + 0.01, lon), (lat + 0.01, lon + 0.01), (lat, lon)];
        input.cells.extend(crate::charts::histories::cells_along(&track, 2, first + Duration::days(30)));
        input.routes.push(route(id, 2, track));
    }
    input
}

#[test]
fn every_cell_is_drawn_around_home_in_km() {
    let input = testing::input();
    let s = series(&input, Units::Metric).unwrap();
    assert_eq!(s.areas.len(), 1);
    let home = &s.areas[0];
    assert_eq!(home.cells.len(), input.cells.len(), "every cell of every run");
    assert_eq!(home.runs, 34, "20 + 12 + 2 runs of the three routes");
    // The routes span 0.06 degrees of latitude: 6.7 km north to south.
    let (lo, hi) = home.cells.iter().fold((f64::MAX, f64::MIN), |b, c| (b.0.min(c.y), b.1.max(c.y)));
    assert!((hi - lo - 6.67).abs() < 0.1, "{lo} {hi}");
    assert_eq!(home.routes[0].label, "Lake loop", "the runner's name");
    assert_eq!(home.routes[1].label, "R2", "no name: the id");
}

#[test]
fn a_traveller_gets_one_panel_per_place_not_a_continent_wide_frame() {
    let s = series(&traveller(), Units::Metric).unwrap();
    assert_eq!(s.areas.len(), 3, "Munich, New York, Sydney");
    for a in &s.areas {
        let (lo, hi) = a.cells.iter().fold((f64::MAX, f64::MIN), |b, c| (b.0.min(c.x), b.1.max(c.x)));
        assert!(hi - lo < 10.0, "each panel spans a city, not a continent: {lo}..{hi} km");
    }
    assert_eq!((s.areas[1].runs, s.areas[2].runs), (2, 2));
    assert_eq!(size(&traveller(), Units::Metric).0, 1480);
    let png = render(Kind::RouteMap, &traveller(), Units::Metric).unwrap();
    // The Sydney panel (bottom right) has heat in it.
    dump("traveller", &png.bytes);
    let c = crate::charts::heat::heat_color(2, s.max_runs);
    assert!(testing::count_color(&png.bytes, (0.68, 0.6, 1.0, 0.93), (c.0, c.1, c.2), 0) > 100, "Sydney's heat");
}

#[test]
fn imperial_units_reach_the_route_map() {
    let input = testing::input();
    let (km, mi) = (series(&input, Units::Metric).unwrap(), series(&input, Units::Imperial).unwrap());
    assert_eq!((km.unit, mi.unit), ("km", "mi"));
    let ratio = km.areas[0].routes[0].distance / mi.areas[0].routes[0].distance;
    assert!((ratio - 1.609_344).abs() < 1e-9, "{ratio}");
    let (ykm, ymi) = (km.areas[0].cells[0].y, mi.areas[0].cells[0].y);
    assert!((ykm / ymi - 1.609_344).abs() < 1e-9, "{ykm} {ymi}");
    let (a, b) = (render(Kind::RouteMap, &input, Units::Metric), render(Kind::RouteMap, &input, Units::Imperial));
    assert_ne!(a.unwrap().bytes, b.unwrap().bytes, "the scale bar says mi");
}

#[test]
fn new_ground_is_what_was_first_run_this_season() {
    let mut input = testing::input();
    let start = day(2025, 1, 6);
    for c in &mut input.cells {
        c.first_run = start;
    }
    let fresh = vec![(48.05, 11.1), (48.06, 11.1)];
    input.cells.extend(crate::charts::histories::cells_along(&fresh, 1, day(2026, 3, 20)));
    let s = series(&input, Units::Metric).unwrap();
    // The last run is on 29 Mar 2026: the season started 84 days earlier.
    assert_eq!(s.new_since, Some(day(2026, 1, 4)));
    let new = s.areas[0].cells.iter().filter(|c| c.new).count();
    assert!((20..=26).contains(&new), "1.1 km of new cells: {new}");
    let png = render(Kind::RouteMap, &input, Units::Metric).unwrap();
    assert!(testing::count_color(&png.bytes, (0.0, 0.05, 1.0, 0.93), (0, 160, 225), 0) > 50);
}

#[test]
fn the_heat_and_outlines_are_drawn() {
    let input = testing::input();
    let png = render(Kind::RouteMap, &input, Units::Metric).unwrap();
    dump("home", &png.bytes);
    assert_eq!((png.width, png.height), (1000, 1106));
    let light = crate::charts::heat::heat_color(2, series(&input, Units::Metric).unwrap().max_runs);
    let map = (0.0, 0.05, 1.0, 0.93);
    // R1's 20 runs plus R2's 12 where they overlap: the dark end of the scale.
    assert!(testing::count_color(&png.bytes, map, (13, 59, 102), 0) > 300, "R1 outlined");
    assert!(testing::count_color(&png.bytes, map, (106, 61, 154), 0) > 300, "R2 outlined");
    assert!(testing::count_color(&png.bytes, map, (light.0, light.1, light.2), 0) > 300, "R3: 2 runs, light");
}

/// With `RUNLENS_DUMP=DIR`, the rendered maps are written there to look at.
fn dump(name: &str, bytes: &[u8]) {
    if let Ok(dir) = std::env::var("RUNLENS_DUMP") {
        std::fs::write(format!("{dir}/{name}.png"), bytes).unwrap();
    }
}
