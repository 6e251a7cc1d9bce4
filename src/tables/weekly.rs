//! `weekly.csv`: every week from the first run to the last, as the metrics
//! computed it, rounded the way the contract promises.

use polars::prelude::*;

use super::columns::week_col as col;
use crate::dates::days_since_epoch;
use crate::metrics::routes::Variety;
use crate::metrics::weekly::Week;
use crate::stats::round;

pub fn weekly_frame(weeks: &[Week]) -> PolarsResult<DataFrame> {
    let num = |f: &dyn Fn(&Week) -> f64, decimals: Option<i32>| {
        weeks.iter().map(|w| decimals.map_or(f(w), |d| round(f(w), d))).collect::<Vec<_>>()
    };
    let count = |f: &dyn Fn(&Week) -> u32| weeks.iter().map(f).collect::<Vec<_>>();
    let variety = |f: &dyn Fn(&Variety) -> f64| {
        weeks.iter().map(|w| w.variety.as_ref().map(|v| round(f(v), 3))).collect::<Vec<_>>()
    };
    DataFrame::new_infer_height(vec![
        Int32Chunked::from_vec(col::WEEK_START.into(), weeks.iter().map(|w| days_since_epoch(w.start)).collect())
            .into_date()
            .into_column(),
        Column::new(col::RUNS.into(), count(&|w| w.sums.runs)),
        Column::new(col::DISTANCE_M.into(), num(&|w| w.sums.distance_m, Some(2))),
        Column::new(col::MOVING_TIME_S.into(), num(&|w| w.sums.moving_time_s, Some(2))),
        Column::new(col::Z1_S.into(), num(&|w| w.sums.z1_s, None)),
        Column::new(col::Z2_S.into(), num(&|w| w.sums.z2_s, None)),
        Column::new(col::Z3_S.into(), num(&|w| w.sums.z3_s, None)),
        Column::new(col::EASY_RUNS.into(), count(&|w| w.sums.easy_runs)),
        Column::new(col::GRAY_EASY_RUNS.into(), count(&|w| w.sums.gray_easy_runs)),
        Column::new(
            col::DISTINCT_ROUTES.into(),
            weeks
                .iter()
                .map(|w| w.variety.map(|v| u32::try_from(v.distinct_routes).unwrap_or(u32::MAX)))
                .collect::<Vec<_>>(),
        ),
        Column::new(col::TOP3_SHARE.into(), variety(&|v| v.top3_share)),
        Column::new(col::EFFECTIVE_ROUTES.into(), variety(&|v| v.effective_routes)),
        Column::new(col::NEW_ROUTE_SHARE.into(), variety(&|v| v.new_route_share)),
        Column::new(col::RUT.into(), weeks.iter().map(Week::is_rut).collect::<Vec<_>>()),
        Column::new(
            col::PACE_AT_HR_S_PER_KM.into(),
            weeks.iter().map(|w| w.pace_at_hr_s_per_km.map(|p| round(p, 1))).collect::<Vec<_>>(),
        ),
        Column::new(col::STREAK_WEEKS.into(), count(&|w| w.streak_weeks)),
        // New columns go at the end: scripts read weekly.csv by position.
        Column::new(
            col::PACE_AT_HR_BAND_S_PER_KM.into(),
            weeks.iter().map(|w| w.pace_at_hr_band_s_per_km.map(|p| round(p, 1))).collect::<Vec<_>>(),
        ),
        Column::new(col::LOAD.into(), num(&|w| w.sums.load, Some(1))),
    ])
}
