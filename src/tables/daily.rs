//! `daily.csv`: fitness, fatigue, form, ramp, the acute:chronic ratios,
//! monotony and strain for every local day, as the metrics computed them,
//! rounded the way the contract promises.

use polars::prelude::*;

use super::columns::day_col as col;
use super::readback::{dates, f64s};
use crate::dates::days_since_epoch;
use crate::metrics::fitness::Day;
use crate::stats::{round, round_opt};

/// One row of daily.csv, as the charts need it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DayRow {
    pub date: chrono::NaiveDate,
    pub load: f64,
    pub fitness: f64,
    pub fatigue: f64,
    pub form: f64,
    pub ramp: Option<f64>,
    pub acwr: Option<f64>,
}

pub fn daily_frame(days: &[Day]) -> PolarsResult<DataFrame> {
    let num = |f: &dyn Fn(&Day) -> f64| days.iter().map(|d| round(f(d), 1)).collect::<Vec<_>>();
    let opt = |f: &dyn Fn(&Day) -> Option<f64>, decimals: i32| {
        days.iter().map(|d| round_opt(f(d), decimals)).collect::<Vec<_>>()
    };
    DataFrame::new_infer_height(vec![
        Int32Chunked::from_vec(col::DATE.into(), days.iter().map(|d| days_since_epoch(d.date)).collect())
            .into_date()
            .into_column(),
        Column::new(col::LOAD.into(), num(&|d| d.load)),
        Column::new(col::FITNESS.into(), num(&|d| d.fitness)),
        Column::new(col::FATIGUE.into(), num(&|d| d.fatigue)),
        Column::new(col::FORM.into(), num(&|d| d.form)),
        Column::new(col::RAMP.into(), opt(&|d| d.ramp, 1)),
        Column::new(col::ACWR.into(), opt(&|d| d.acwr, 2)),
        Column::new(col::MONOTONY.into(), opt(&|d| d.monotony, 2)),
        Column::new(col::STRAIN.into(), opt(&|d| d.strain, 1)),
        Column::new(col::ACWR_EWMA.into(), opt(&|d| d.acwr_ewma, 2)),
    ])
}

/// daily.csv read back (an empty frame gives no days).
pub fn days(df: &DataFrame) -> PolarsResult<Vec<DayRow>> {
    if df.width() == 0 {
        return Ok(Vec::new());
    }
    let date = dates(df, col::DATE)?;
    let n = |name: &str| f64s(df, name);
    let (load, fitness, fatigue, form) = (n(col::LOAD)?, n(col::FITNESS)?, n(col::FATIGUE)?, n(col::FORM)?);
    let (ramp, acwr) = (n(col::RAMP)?, n(col::ACWR)?);
    Ok((0..df.height())
        .filter_map(|i| {
            Some(DayRow {
                date: date[i]?,
                load: load[i].unwrap_or(0.0),
                fitness: fitness[i].unwrap_or(0.0),
                fatigue: fatigue[i].unwrap_or(0.0),
                form: form[i].unwrap_or(0.0),
                ramp: ramp[i],
                acwr: acwr[i],
            })
        })
        .collect())
}
