//! The report's "What could I race now?" section: the three race
//! predictions side by side with what each rests on (and which are
//! extrapolations), critical speed, and the personal records with their
//! run and day.

use std::fmt::Write as _;

use super::html::esc;
use crate::features::efforts::same_distance;
use crate::metrics::predictions::{Method, TARGETS_M, distance_name};
use crate::tables::efforts::{EffortsSummary, PredictionRow};
use crate::tables::readback::Readback;
use crate::units::{Units, clock};

const METHOD_NAMES: [(Method, &str); 3] =
    [(Method::Riegel, "Riegel"), (Method::Vdot, "VDOT (Daniels)"), (Method::PaceAtHr, "pace at HR")];

pub fn predictions(h: &mut String, input: &Readback, units: Units) {
    h.push_str("<section id=\"predictions\">\n<h2>What could I race now?</h2>\n");
    let Some(e) = input.summary.efforts.as_ref().filter(|e| !e.records.is_empty()) else {
        h.push_str("<p>No best efforts: the runs have no distance channel.</p>\n</section>\n");
        return;
    };
    table(h, e);
    for (method, why) in e.predictions_unavailable.iter().filter_map(|u| Some((name(&u.method)?, &u.why))) {
        let _ = writeln!(h, "<p class=\"note\">No {method} prediction: {}.</p>", esc(why));
    }
    match (&e.critical_speed, &e.no_critical_speed) {
        (Some(cs), _) => {
            let _ = writeln!(
                h,
                "<p>Critical speed {} (D&prime; {:.0} m) from the {}-{} s bests of the last 12 weeks, {} points, R&sup2; {:.3}.</p>",
                units.pace(cs.pace_s_per_km),
                cs.d_prime_m,
                cs.shortest_s,
                cs.longest_s,
                cs.points,
                cs.r2
            );
        }
        (None, Some(why)) => {
            let _ = writeln!(h, "<p class=\"note\">No critical speed: {}.</p>", esc(why));
        }
        (None, None) => {}
    }
    records(h, e, units);
    h.push_str("</section>\n");
}

fn name(method: &str) -> Option<&'static str> {
    METHOD_NAMES.iter().find(|(m, _)| m.as_str() == method).map(|(_, n)| *n)
}

fn find(e: &EffortsSummary, distance_m: f64, method: Method) -> Option<&PredictionRow> {
    e.predictions.iter().find(|p| same_distance(p.distance_m, distance_m) && p.method == method.as_str())
}

/// Distances down, methods across; an extrapolation is marked and said.
fn table(h: &mut String, e: &EffortsSummary) {
    h.push_str("<table>\n<thead><tr><th>race</th>");
    for (_, n) in METHOD_NAMES {
        let _ = write!(h, "<th class=\"num\">{n}</th>");
    }
    h.push_str("</tr></thead>\n<tbody>\n");
    for &d in &TARGETS_M {
        let _ = write!(h, "<tr><td>{}</td>", distance_name(d));
        for (m, _) in METHOD_NAMES {
            let cell = find(e, d, m).map_or_else(
                || "-".to_owned(),
                |p| {
                    let mark = if p.out_of_range.is_some() { "*" } else { "" };
                    let change = p
                        .change_s
                        .filter(|c| c.abs() >= 1.0)
                        .map_or(String::new(), |c| format!(" ({}{})", if c < 0.0 { "-" } else { "+" }, clock(c.abs())));
                    format!("{}{mark}{change}", clock(p.time_s))
                },
            );
            let _ = write!(h, "<td class=\"num\">{}</td>", esc(&cell));
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody>\n</table>\n<ul class=\"caption\">\n");
    for (m, n) in METHOD_NAMES {
        let mut bases: Vec<&str> =
            TARGETS_M.iter().filter_map(|&d| find(e, d, m)).map(|p| p.rests_on.as_str()).collect();
        bases.dedup();
        for b in bases {
            let _ = writeln!(h, "<li>{n}: {}</li>", esc(b));
        }
    }
    if let Some(p) = e.predictions.iter().find(|p| p.method == Method::PaceAtHr.as_str() && p.change_s.is_some()) {
        let _ = writeln!(
            h,
            "<li>Pace at HR: in brackets, the change since the effort it rests on (the {} of {}).</li>",
            esc(p.rests_on.split(',').next().unwrap_or_default()),
            p.since.map_or(String::new(), |d| d.to_string())
        );
    }
    let mut ranges: Vec<String> = e
        .predictions
        .iter()
        .filter_map(|p| {
            Some(format!("{} by {}: {}", distance_name(p.distance_m), name(&p.method)?, p.out_of_range.as_ref()?))
        })
        .collect();
    ranges.dedup();
    for r in ranges {
        let _ = writeln!(h, "<li>* out of the data's range: {}</li>", esc(&r));
    }
    h.push_str("</ul>\n");
}

fn records(h: &mut String, e: &EffortsSummary, units: Units) {
    h.push_str("<h3>Personal records</h3>\n<table>\n<thead><tr><th>distance</th><th class=\"num\">time</th><th class=\"num\">pace</th><th class=\"num\">grade-adjusted</th><th>date</th><th>run</th></tr></thead>\n<tbody>\n");
    for r in &e.records {
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td><td>{}</td></tr>",
            distance_name(r.distance_m),
            clock(r.time_s),
            units.pace(r.time_s / (r.distance_m / 1000.0)),
            clock(r.gap_time_s),
            r.date,
            esc(r.name.as_deref().unwrap_or(&r.activity_id))
        );
    }
    h.push_str("</tbody>\n</table>\n");
}
