//! The squad's own files: `squad.csv` for scripts, `squad.html` for the
//! coach (the same rows, the same order, each athlete linked to their
//! report).

use std::fmt::Write as _;
use std::io;
use std::path::Path;

use super::attention::reason;
use super::row::Row;
use crate::error::Error;
use crate::report::html::{REPORT_HTML, esc};
use crate::tables::columns::squad_col as col;
use crate::tables::squad::{ATHLETES_DIR, SQUAD_CSV, SQUAD_HTML};
use crate::tables::write_atomic;

const STYLE: &str = include_str!("../report/report.css");

/// squad.csv's columns, in order.
pub const COLUMNS: [&str; 26] = [
    col::RANK,
    col::ATHLETE,
    col::KEY,
    col::STATUS,
    col::ATTENTION_SCORE,
    col::ATTENTION_REASON,
    col::ACTIVITIES,
    col::LAST_ACTIVITY,
    col::DAYS_SINCE_LAST,
    col::PACE_AT_HR_CHANGE_PCT,
    col::PACE_AT_HR_CHANGE_UNCERTAINTY_PCT,
    col::EASY_RUNS_LAST_4_WEEKS,
    col::GRAY_EASY_SHARE_LAST_4_WEEKS,
    col::ROUTES,
    col::RUT_WEEKS,
    col::IN_RUT,
    col::LATEST_LAYOFF_START,
    col::LATEST_LAYOFF_DAYS,
    col::COMEBACK_RATIO,
    col::COMEBACK_STEEP,
    col::ACWR,
    col::RAMP,
    col::FILES_SEEN,
    col::UNREADABLE_FILES,
    col::SALVAGED_ACTIVITIES,
    col::RUNS_WITH_HR_SHARE,
];

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

/// One row's cells, in `COLUMNS` order.
fn cells(r: &Row) -> [String; 26] {
    [
        r.rank.to_string(),
        r.name.clone(),
        r.key.clone(),
        r.status.as_str().to_owned(),
        format!("{:.1}", r.score),
        reason(r),
        r.activities.to_string(),
        opt(r.last_activity),
        opt(r.days_since_last),
        opt(r.pace_change_pct),
        opt(r.pace_change_uncertainty_pct),
        opt(r.easy_runs_4_weeks),
        opt(r.gray_share_4_weeks),
        r.routes.to_string(),
        r.rut_weeks.to_string(),
        r.in_rut.to_string(),
        opt(r.layoff_start),
        opt(r.layoff_days),
        opt(r.comeback_ratio),
        opt(r.comeback_steep),
        opt(r.acwr),
        opt(r.ramp),
        r.files_seen.to_string(),
        r.unreadable.to_string(),
        r.salvaged.to_string(),
        opt(r.hr_share.map(|s| (s * 1000.0).round() / 1000.0)),
    ]
}

pub fn squad_csv(out_dir: &Path, rows: &[Row]) -> Result<(), Error> {
    write_atomic(&out_dir.join(SQUAD_CSV), |w| {
        let mut csv = csv::Writer::from_writer(w);
        csv.write_record(COLUMNS).map_err(io::Error::other)?;
        for r in rows {
            csv.write_record(cells(r)).map_err(io::Error::other)?;
        }
        csv.flush()
    })
}

pub fn squad_html(out_dir: &Path, rows: &[Row]) -> Result<(), Error> {
    let html = render(rows);
    write_atomic(&out_dir.join(SQUAD_HTML), |w| io::Write::write_all(w, html.as_bytes()))
}

/// The page: who needs attention first, why, and the figures behind it.
pub fn render(rows: &[Row]) -> String {
    let mut h = String::with_capacity(4096 + rows.len() * 1024);
    h.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    h.push_str(
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>runlens squad</title>\n",
    );
    let _ = write!(h, "<style>\n{STYLE}</style>\n</head>\n<body>\n<main>\n");
    let _ = writeln!(h, "<h1>Squad: {} athletes</h1>", rows.len());
    h.push_str(
        "<p>Who needs attention first: each rule that fires adds points (gray easy runs, pace at heart rate getting slower, \
         acute load far above chronic, a steep comeback, no recent activity, a rut, unreadable files, few runs with heart rate; \
         a failed analysis or no runs at all tops the list). The reasons say which fired.</p>\n",
    );
    h.push_str("<table>\n<thead><tr><th>#</th><th>Athlete</th><th>Score</th><th>Why</th><th>Activities</th><th>Last</th>\
         <th>Pace at HR</th><th>Gray easy (4 wk)</th><th>Routes</th><th>Latest layoff</th><th>ACWR</th><th>Runs with HR</th></tr></thead>\n<tbody>\n");
    for r in rows {
        row_html(&mut h, r);
    }
    h.push_str("</tbody>\n</table>\n");
    let _ = write!(
        h,
        "<footer>Made by runlens {} from squad.csv; each athlete's report is in athletes/.</footer>\n</main>\n</body>\n</html>\n",
        env!("CARGO_PKG_VERSION")
    );
    h
}

fn row_html(h: &mut String, r: &Row) {
    // The folder's name holds `%`: escape it once more for the URL.
    let name = if r.activities > 0 {
        format!("<a href=\"{ATHLETES_DIR}/{}/{REPORT_HTML}\">{}</a>", r.key.replace('%', "%25"), esc(&r.name))
    } else {
        esc(&r.name)
    };
    let pace = r.pace_change_pct.map_or(String::new(), |c| {
        let unc = r.pace_change_uncertainty_pct.map_or(String::new(), |u| format!(" ± {u:.1}"));
        format!("{c:+.1}{unc} %")
    });
    let gray =
        r.gray_share_4_weeks.map_or(String::new(), |s| format!("{:.0} % of {}", s * 100.0, opt(r.easy_runs_4_weeks)));
    let layoff = r.layoff_start.map_or(String::new(), |start| {
        let steep = if r.comeback_steep == Some(true) { ", steep comeback" } else { "" };
        format!("{start}, {} days{steep}", opt(r.layoff_days))
    });
    let rut = if r.in_rut { " (rut now)" } else { "" };
    let _ = writeln!(
        h,
        "<tr><td>{}</td><td>{name}</td><td>{:.1}</td><td>{}</td><td>{}</td><td>{}</td><td>{pace}</td><td>{gray}</td><td>{}{rut}</td><td>{layoff}</td><td>{}</td><td>{}</td></tr>",
        r.rank,
        r.score,
        esc(&reason(r)),
        r.activities,
        opt(r.last_activity),
        r.routes,
        r.acwr.map_or(String::new(), |a| format!("{a:.2}")),
        r.hr_share.map_or(String::new(), |s| format!("{:.0} %", s * 100.0)),
    );
}
