//! `route_map.png`: where you run, as a personal heatmap. Every run's ~50 m
//! cells (from `route_cells.csv`), shaded on a log scale by how many runs
//! went through them, so the daily loop and a one-off trail both show and
//! the streets emerge from the runs themselves (runlens is offline: no
//! basemap). The most-run routes are outlined and named on top; cells first
//! run this season are "new ground". Runs far apart (holidays, races abroad)
//! form their own areas, each its own panel: never one frame across a
//! continent. The drawing is in `heat`.

use chrono::{Duration, NaiveDate};
use serde::Serialize;

use super::heat;
use super::style::{Area, Drawn};
use crate::geo::M_PER_DEG;
use crate::tables::readback::{Cell, Readback};
use crate::units::Units;

/// Cells farther than this from an area's busiest cell start another area.
pub const AREA_RADIUS_M: f64 = 50_000.0;
/// Home and at most this many other places get a panel.
pub const PLACES_DRAWN: usize = 3;
/// "This season": cells first run in the last 12 weeks are new ground.
pub const NEW_GROUND_DAYS: i64 = 84;
/// Routes outlined and named: in the home area, and in each other place.
const OUTLINED_HOME: usize = 5;
const OUTLINED_AWAY: usize = 2;

#[derive(Debug, Clone, Serialize)]
pub struct Series {
    /// Home (the most run area) first, then the places visited, most run first.
    pub areas: Vec<AreaMap>,
    /// Places with runs that get no panel, and their runs.
    pub more_places: usize,
    pub more_runs: u32,
    /// "km" or "mi": the unit of every distance and coordinate below.
    pub unit: &'static str,
    /// The most runs through one cell (the top of the log scale).
    pub max_runs: u32,
    /// New ground is what was first run after this day (none for a
    /// history shorter than two seasons, where everything is new).
    pub new_since: Option<NaiveDate>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AreaMap {
    /// Where it is: latitude and longitude of its middle.
    pub centre: (f64, f64),
    pub runs: u32,
    /// East and north of `centre`, in the series' unit.
    pub cells: Vec<HeatCell>,
    /// The side of a cell in the series' unit.
    pub cell_size: f64,
    /// Most run first.
    pub routes: Vec<Course>,
}

#[derive(Debug, Clone, Copy, Serialize)]
pub struct HeatCell {
    pub x: f64,
    pub y: f64,
    pub runs: u32,
    pub new: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Course {
    pub id: String,
    /// The runner's name for it, else its id.
    pub label: String,
    pub runs: u32,
    /// In the series' unit, as are the points.
    pub distance: f64,
    pub points: Vec<(f64, f64)>,
}

/// Cheap distance in metres between nearby places (equirectangular), exact
/// enough to tell 50 km from 500 km.
fn approx_m(a: (f64, f64), b: (f64, f64)) -> f64 {
    let cos = f64::midpoint(a.0, b.0).to_radians().cos();
    let dlon = (a.1 - b.1 + 540.0).rem_euclid(360.0) - 180.0;
    ((a.0 - b.0).powi(2) + (dlon * cos).powi(2)).sqrt() * M_PER_DEG
}

/// Cells grouped by place: each area grows around its busiest cell.
fn areas(cells: &[Cell]) -> Vec<Vec<&Cell>> {
    let mut order: Vec<&Cell> = cells.iter().collect();
    order.sort_by(|a, b| b.runs.cmp(&a.runs).then(a.lat.total_cmp(&b.lat)).then(a.lon.total_cmp(&b.lon)));
    let mut seeds: Vec<(f64, f64)> = Vec::new();
    let mut groups: Vec<Vec<&Cell>> = Vec::new();
    for c in order {
        let at = (c.lat, c.lon);
        if let Some(g) = seeds.iter().position(|&s| approx_m(s, at) <= AREA_RADIUS_M) {
            groups[g].push(c);
        } else {
            seeds.push(at);
            groups.push(vec![c]);
        }
    }
    let weight = |g: &Vec<&Cell>| g.iter().map(|c| u64::from(c.runs)).sum::<u64>();
    groups.sort_by_key(|g| std::cmp::Reverse(weight(g)));
    groups
}

pub fn series(input: &Readback, units: Units) -> Result<Series, String> {
    if input.cells.is_empty() {
        return Err("No runs with GPS tracks to map".into());
    }
    let per_unit = units.m_per_unit();
    let new_since = new_since(input);
    let groups = areas(&input.cells);
    let (drawn, rest) = groups.split_at((PLACES_DRAWN + 1).min(groups.len()));
    let mut maps: Vec<AreaMap> = drawn.iter().map(|g| area_map(g, new_since, per_unit)).collect();
    // Each route belongs to the nearest drawn area within reach of its start.
    let mut more_runs = 0;
    for r in input.routes.iter().filter(|r| r.track.len() >= 2) {
        let start = r.track[0];
        let near = maps
            .iter()
            .enumerate()
            .map(|(i, m)| (i, approx_m(m.centre, start)))
            .filter(|&(_, d)| d <= 2.0 * AREA_RADIUS_M)
            .min_by(|a, b| a.1.total_cmp(&b.1));
        let Some((i, _)) = near else {
            more_runs += r.runs;
            continue;
        };
        let m = &mut maps[i];
        m.runs += r.runs;
        let wanted = if i == 0 { OUTLINED_HOME } else { OUTLINED_AWAY };
        if m.routes.len() < wanted {
            let (centre, cos) = (m.centre, m.centre.0.to_radians().cos());
            m.routes.push(Course {
                id: r.id.clone(),
                label: r.name.clone().unwrap_or_else(|| r.id.clone()),
                runs: r.runs,
                distance: r.distance_m / per_unit,
                points: r.track.iter().map(|&(la, lo)| project(centre, cos, per_unit, (la, lo))).collect(),
            });
        }
    }
    Ok(Series {
        areas: maps,
        more_places: rest.len(),
        more_runs,
        unit: units.distance_unit(),
        max_runs: input.cells.iter().map(|c| c.runs).max().unwrap_or(1),
        new_since,
    })
}

/// The first day of the last season, when there was history before it.
fn new_since(input: &Readback) -> Option<NaiveDate> {
    let first = input.cells.iter().map(|c| c.first_run).min()?;
    let last = input
        .runs()
        .map(crate::tables::readback::Activity::day)
        .max()
        .unwrap_or(input.cells.iter().map(|c| c.first_run).max()?);
    let since = last - Duration::days(NEW_GROUND_DAYS);
    (first <= since - Duration::days(NEW_GROUND_DAYS)).then_some(since)
}

fn project(centre: (f64, f64), cos: f64, per_unit: f64, (lat, lon): (f64, f64)) -> (f64, f64) {
    let dlon = (lon - centre.1 + 540.0).rem_euclid(360.0) - 180.0;
    (dlon * cos * M_PER_DEG / per_unit, (lat - centre.0) * M_PER_DEG / per_unit)
}

fn area_map(cells: &[&Cell], new_since: Option<NaiveDate>, per_unit: f64) -> AreaMap {
    let (lat0, lat1, lon0, lon1) = cells.iter().fold((f64::MAX, f64::MIN, f64::MAX, f64::MIN), |b, c| {
        (b.0.min(c.lat), b.1.max(c.lat), b.2.min(c.lon), b.3.max(c.lon))
    });
    let centre = (f64::midpoint(lat0, lat1), f64::midpoint(lon0, lon1));
    let cos = centre.0.to_radians().cos();
    let mut heat: Vec<HeatCell> = cells
        .iter()
        .map(|c| {
            let (x, y) = project(centre, cos, per_unit, (c.lat, c.lon));
            HeatCell { x, y, runs: c.runs, new: new_since.is_some_and(|d| c.first_run > d) }
        })
        .collect();
    // Drawn in this order: the busiest and the new on top.
    heat.sort_by(|a, b| (a.new, a.runs).cmp(&(b.new, b.runs)).then(a.x.total_cmp(&b.x)).then(a.y.total_cmp(&b.y)));
    AreaMap {
        centre,
        runs: 0,
        cells: heat,
        cell_size: crate::features::signature::CELL_M / per_unit,
        routes: Vec::new(),
    }
}

/// The image size: one map, or home beside a column of the places visited.
pub fn size(input: &Readback, units: Units) -> (u32, u32) {
    let places = series(input, units).map_or(1, |s| s.areas.len());
    heat::size(places)
}

pub fn draw(s: &Series, area: &Area<'_>) -> Drawn {
    heat::draw(s, area)
}

#[cfg(test)]
#[path = "route_map_tests.rs"]
mod tests;
