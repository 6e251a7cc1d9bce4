//! `routes.csv` and `route_tracks.csv`: the routes the metrics found, most
//! run first, and each route's course for the route map.

use polars::prelude::*;

use super::columns::{route_col, track_col};
use crate::features::Analyzed;
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
