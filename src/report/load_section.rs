//! The report's "Am I ramping too fast?" section: the latest fitness, form,
//! ramp and acute:chronic ratio (or why there is none), each comeback week
//! by week against the restart-small path, the training phases, and the
//! staleness and burnout signals.

use std::fmt::Write as _;

use super::html::esc;
use crate::tables::load_summary::{ComebackRow, LoadSummary};
use crate::tables::readback::Readback;

pub fn ramping(h: &mut String, input: &Readback) {
    h.push_str("<section id=\"ramping\">\n<h2>Am I ramping too fast?</h2>\n");
    let Some(load) = input.summary.load.as_ref().filter(|l| l.latest.is_some()) else {
        h.push_str("<p>No training load: it needs heart rate, or pace for runs.</p>\n</section>\n");
        return;
    };
    latest(h, load);
    for c in &load.comebacks {
        comeback(h, c);
    }
    if !load.phases.is_empty() {
        h.push_str("<h3>Training phases</h3>\n<table>\n<thead><tr><th>phase</th><th>from</th><th>to</th><th class=\"num\">weeks</th></tr></thead>\n<tbody>\n");
        for p in load.phases.iter().rev() {
            let _ = writeln!(
                h,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td></tr>",
                esc(&p.kind),
                p.start,
                p.end,
                p.weeks
            );
        }
        h.push_str("</tbody>\n</table>\n");
    }
    for s in &load.same_load_streaks {
        let _ = writeln!(
            h,
            "<p class=\"note\">The same load day after day from {} to {} (monotony 2 or more).</p>",
            s.start, s.end
        );
    }
    for b in &load.burnout {
        let _ = writeln!(
            h,
            "<p class=\"note\">From {} to {}: form deeply negative while pace at heart rate fell, the burnout pattern.</p>",
            b.start, b.end
        );
    }
    h.push_str("</section>\n");
}

fn latest(h: &mut String, load: &LoadSummary) {
    let Some(l) = &load.latest else { return };
    let day = l.date.map_or(String::new(), |d| format!(" on {d}"));
    let _ = write!(
        h,
        "<p>Fitness <strong>{:.1}</strong>, fatigue {:.1}, form <strong>{:+.1}</strong>{day}",
        l.fitness, l.fatigue, l.form
    );
    if let Some(ramp) = l.ramp {
        let _ = write!(h, "; fitness changed by {ramp:+.1} over the last 7 days");
    }
    match l.acwr {
        Some(a) => {
            let _ = writeln!(h, "; the last 7 days carried {a:.2} x the 28-day average load.</p>");
        }
        None => {
            let _ = writeln!(
                h,
                ".</p>\n<p class=\"caption\">No acute:chronic ratio: the 28-day load is below {:.1} a day (too little to divide by, as after a layoff), so the ramp and the weeks back say how steep the return is.</p>",
                load.acwr_floor
            );
        }
    }
}

fn comeback(h: &mut String, c: &ComebackRow) {
    let (Some(start), Some(end)) = (c.layoff_start, c.layoff_end) else { return };
    let verdict = match c.steep_week {
        Some(n) => format!("<strong>steep</strong> (week {n} above the restart-small path)"),
        None => "restarted small".to_owned(),
    };
    let _ = writeln!(
        h,
        "<h3>Back from the layoff of {start} to {end}: {verdict}</h3>\n<table>\n<thead><tr><th>week back</th><th>from</th><th class=\"num\">load</th><th class=\"num\">of usual week ({:.0})</th><th class=\"num\">distance, of usual</th><th class=\"num\">restart-small path</th></tr></thead>\n<tbody>",
        c.usual_week_load
    );
    for (i, w) in c.weeks.iter().enumerate() {
        let pct = |r: f64| format!("{:.0} %", 100.0 * r);
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td class=\"num\">{:.0}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            i + 1,
            w.start.map_or(String::new(), |d| d.to_string()),
            w.load,
            pct(w.load_ratio),
            w.distance_ratio.map_or(String::new(), pct),
            pct(w.safe_ratio)
        );
    }
    h.push_str("</tbody>\n</table>\n");
}
