//! `routes.csv`, `route_tracks.csv` and `route_cells.csv`: the routes the
//! metrics found, most run first, each route's course, and every cell any
//! run went through, for the route map.

use std::collections::{BTreeMap, HashMap, HashSet};

use polars::prelude::*;

use super::columns::{cell_col, route_col, track_col};
use crate::features::Analyzed;
use crate::features::signature::cell_centre;
use crate::metrics::Metrics;
use crate::stats::round;

/// "R1", "R2", ... in order of first run: stable as long as history is.
pub fn route_id(index: usize) -> String {
    format!("R{}", index + 1)
}

/// One row per route, most run first (then oldest first).
pub fn routes_frame(items: &[Analyzed], metrics: &Metrics) -> PolarsResult<DataFrame> {
    let mut order: Vec<usize> = (0..metrics.routes.len()).collect();
    order.sort_by_key(|&r| (std::cmp::Reverse(metrics.routes[r].runs.len()), r));
    let day = |i: usize| items[i].local_day().to_string();
    let routes = &metrics.routes;
    let names = route_names(items, metrics);
    DataFrame::new_infer_height(vec![
        Column::new(route_col::ROUTE_ID.into(), order.iter().map(|&r| route_id(r)).collect::<Vec<_>>()),
        Column::new(
            route_col::RUNS.into(),
            order.iter().map(|&r| u32::try_from(routes[r].runs.len()).unwrap_or(u32::MAX)).collect::<Vec<_>>(),
        ),
        Column::new(route_col::FIRST_RUN.into(), order.iter().map(|&r| day(routes[r].runs[0])).collect::<Vec<_>>()),
        Column::new(
            route_col::LAST_RUN.into(),
            order.iter().map(|&r| day(*routes[r].runs.last().unwrap_or(&0))).collect::<Vec<_>>(),
        ),
        Column::new(
            route_col::DISTANCE_M.into(),
            order.iter().map(|&r| round(routes[r].signature.distance_m, 0)).collect::<Vec<_>>(),
        ),
        Column::new(
            route_col::START_LAT.into(),
            order.iter().map(|&r| round(routes[r].signature.start.0, 5)).collect::<Vec<_>>(),
        ),
        Column::new(
            route_col::START_LON.into(),
            order.iter().map(|&r| round(routes[r].signature.start.1, 5)).collect::<Vec<_>>(),
        ),
        Column::new(route_col::NAME.into(), order.iter().map(|&r| names[r].clone()).collect::<Vec<_>>()),
    ])
}

/// A name on the runs of more routes than this is generic (a device's
/// "Morning Run", "Easy run"), whatever the language: it names no route.
const GENERIC_NAME_ROUTES: usize = 3;

/// Each route's name: the specific name its runs carry most often (on at
/// least a quarter of them, ties to the earliest), else empty.
fn route_names(items: &[Analyzed], metrics: &Metrics) -> Vec<String> {
    let name = |i: usize| items[i].activity.meta.name.as_deref().map(str::trim).filter(|n| !n.is_empty());
    let mut routes_named: HashMap<&str, HashSet<usize>> = HashMap::new();
    for (r, route) in metrics.routes.iter().enumerate() {
        for n in route.runs.iter().filter_map(|&i| name(i)) {
            routes_named.entry(n).or_default().insert(r);
        }
    }
    metrics
        .routes
        .iter()
        .map(|route| {
            let mut counts: Vec<(&str, usize)> = Vec::new();
            for n in route.runs.iter().filter_map(|&i| name(i)) {
                match counts.iter_mut().find(|(m, _)| *m == n) {
                    Some(c) => c.1 += 1,
                    None => counts.push((n, 1)),
                }
            }
            counts
                .into_iter()
                .filter(|&(n, c)| routes_named[n].len() <= GENERIC_NAME_ROUTES && c * 4 >= route.runs.len())
                .fold(
                    None::<(&str, usize)>,
                    |best, (n, c)| if best.is_none_or(|b| c > b.1) { Some((n, c)) } else { best },
                )
                .map_or_else(String::new, |(n, _)| n.to_owned())
        })
        .collect()
}

/// Every route cell any run went through: how many runs and the first day.
pub fn cells_frame(items: &[Analyzed]) -> PolarsResult<DataFrame> {
    let mut cells: BTreeMap<(i32, i32), (u32, chrono::NaiveDate)> = BTreeMap::new();
    for a in items.iter().filter(|a| a.counts_as_run) {
        let (Some(sig), day) = (&a.route, a.local_day()) else { continue };
        for &c in &sig.cells {
            let e = cells.entry(c).or_insert((0, day));
            e.0 += 1;
            e.1 = e.1.min(day);
        }
    }
    let centres: Vec<(f64, f64)> = cells.keys().map(|&c| cell_centre(c)).collect();
    DataFrame::new_infer_height(vec![
        Column::new(cell_col::LAT.into(), centres.iter().map(|c| round(c.0, 6)).collect::<Vec<_>>()),
        Column::new(cell_col::LON.into(), centres.iter().map(|c| round(c.1, 6)).collect::<Vec<_>>()),
        Column::new(cell_col::RUNS.into(), cells.values().map(|v| v.0).collect::<Vec<_>>()),
        Column::new(cell_col::FIRST_RUN.into(), cells.values().map(|v| v.1.to_string()).collect::<Vec<_>>()),
    ])
}

/// Every route's course, point by point, in route-id order.
pub fn tracks_frame(metrics: &Metrics) -> PolarsResult<DataFrame> {
    let (mut ids, mut lats, mut lons) = (Vec::new(), Vec::new(), Vec::new());
    for (r, route) in metrics.routes.iter().enumerate() {
        let id = route_id(r);
        for &(lat, lon) in &route.signature.track {
            ids.push(id.clone());
            lats.push(round(lat, 5));
            lons.push(round(lon, 5));
        }
    }
    DataFrame::new_infer_height(vec![
        Column::new(track_col::ROUTE_ID.into(), ids),
        Column::new(track_col::LAT.into(), lats),
        Column::new(track_col::LON.into(), lons),
    ])
}
