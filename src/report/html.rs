//! `report.html`: one self-contained page a runner or coach can open, mail or
//! archive: findings in plain sentences first, then the charts (embedded as
//! data URIs, nothing fetched), thresholds and where they came from, the
//! weekly and routes tables and the files that were left out.

use std::fmt::Write as _;
use std::path::Path;

use base64::Engine as _;

use crate::charts::{self, Kind};
use crate::discover::Skipped;
use crate::error::Error;
use crate::tables::readback::{Readback, Threshold};
use crate::units::{Units, hours_minutes};

use super::plural;

pub const REPORT_HTML: &str = "report.html";

const STYLE: &str = include_str!("report.css");

/// Write `report.html` from the tables in `input` and the PNGs in `charts/`.
pub fn write_report(out_dir: &Path, input: &Readback, skipped: &[Skipped], units: Units) -> Result<(), Error> {
    let charts: Vec<(Kind, Option<Vec<u8>>)> = Kind::ALL
        .into_iter()
        .map(|k| (k, std::fs::read(out_dir.join(charts::CHARTS_DIR).join(k.file_name())).ok()))
        .collect();
    let html = render(input, &charts, skipped, units);
    crate::tables::write_atomic(&out_dir.join(REPORT_HTML), |w| std::io::Write::write_all(w, html.as_bytes()))
}

/// The page, given each chart's PNG (if it was found).
pub fn render(input: &Readback, charts: &[(Kind, Option<Vec<u8>>)], skipped: &[Skipped], units: Units) -> String {
    let mut h = String::with_capacity(256 * 1024);
    h.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    h.push_str(
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>runlens report</title>\n",
    );
    let _ = write!(h, "<style>\n{STYLE}</style>\n</head>\n<body>\n<main>\n");
    header(&mut h, input);
    findings(&mut h, input);
    for (kind, png) in charts {
        chart(&mut h, *kind, png.as_deref(), charts::no_data(*kind, input, units));
    }
    super::load_section::ramping(&mut h, input);
    super::predictions_section::predictions(&mut h, input, units);
    thresholds(&mut h, input);
    weekly(&mut h, input, units);
    routes(&mut h, input, units);
    skipped_files(&mut h, skipped);
    let _ = write!(
        h,
        "<footer>Made by runlens {} from the tables beside this page: activities.csv, weekly.csv, daily.csv, routes.csv, progression.csv, skipped.csv, summary.json.</footer>\n</main>\n</body>\n</html>\n",
        env!("CARGO_PKG_VERSION")
    );
    h
}

fn header(h: &mut String, input: &Readback) {
    let c = &input.summary.counts;
    let days = input.activities.iter().map(crate::tables::readback::Activity::day);
    let period = match (days.clone().min(), days.max()) {
        (Some(a), Some(b)) => format!(", {} to {}", a.format("%-d %b %Y"), b.format("%-d %b %Y")),
        _ => String::new(),
    };
    let _ = write!(
        h,
        "<header>\n<h1>Your running, in one page</h1>\n<p class=\"meta\">{} ({}) from {}{period}; {} merged, {} unreadable.</p>\n</header>\n",
        plural(input.activities.len(), "activity", "activities"),
        plural(input.runs().count(), "run", "runs"),
        plural(c.files_seen, "file", "files"),
        plural(c.duplicates_merged, "duplicate", "duplicates"),
        plural(c.skipped, "file", "files"),
    );
}

fn findings(h: &mut String, input: &Readback) {
    h.push_str("<section id=\"findings\">\n<h2>What your data says</h2>\n<ul class=\"findings\">\n");
    for f in &input.summary.findings {
        let _ = writeln!(h, "<li>{}</li>", esc(f));
    }
    if input.summary.findings.is_empty() {
        h.push_str("<li>Nothing to report yet: analyze a few weeks of runs.</li>\n");
    }
    h.push_str("</ul>\n</section>\n");
}

fn chart(h: &mut String, kind: Kind, png: Option<&[u8]>, no_data: Option<String>) {
    let _ = write!(h, "<section class=\"chart\" id=\"{}\">\n<h2>{}</h2>\n", kind.name(), esc(kind.heading()));
    match png {
        Some(bytes) => {
            let data = base64::engine::general_purpose::STANDARD.encode(bytes);
            let _ = writeln!(h, "<img src=\"data:image/png;base64,{data}\" alt=\"{}\">", esc(kind.heading()));
        }
        None => {
            let _ = writeln!(
                h,
                "<p class=\"note\">charts/{} is missing: run <code>runlens chart {}</code> to draw it.</p>",
                kind.file_name(),
                kind.name()
            );
        }
    }
    let _ = writeln!(h, "<p class=\"caption\">{}</p>", esc(caption(kind)));
    if let Some(why) = no_data {
        let _ = writeln!(h, "<p class=\"note\">No data to draw: {}.</p>", esc(why.trim_end_matches('.')));
    }
    h.push_str("</section>\n");
}

fn thresholds(h: &mut String, input: &Readback) {
    h.push_str("<section id=\"thresholds\">\n<h2>Heart-rate thresholds</h2>\n");
    let Some(t) = &input.summary.thresholds else {
        h.push_str("<p>No heart rate in the runs and none given: pass <code>--max-hr</code>, <code>--lthr</code> or <code>--lt1</code>.</p>\n</section>\n");
        return;
    };
    h.push_str("<table>\n<thead><tr><th>threshold</th><th class=\"num\">bpm</th><th class=\"num\">&plusmn; bpm</th><th>source</th><th>how</th><th>how sure</th></tr></thead>\n<tbody>\n");
    let rows: [(&str, Option<&Threshold>); 4] = [
        ("maximum heart rate", Some(&t.max_hr)),
        ("LTHR (top of the gray zone)", Some(&t.lthr)),
        ("LT1 (bottom of the gray zone)", Some(&t.lt1)),
        ("resting heart rate", t.resting_hr.as_ref()),
    ];
    for (name, th) in rows {
        if let Some(th) = th {
            let _ = writeln!(
                h,
                "<tr><td>{name}</td><td class=\"num\">{:.0}</td><td class=\"num\">{:.0}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                th.bpm,
                th.uncertainty_bpm,
                esc(&th.source),
                esc(&th.how),
                esc(&th.uncertainty_why)
            );
        }
    }
    h.push_str("</tbody>\n</table>\n");
    if let Some(target) = input.summary.target_hr_bpm {
        let how = input.summary.target_hr.as_ref().map_or(String::new(), |t| format!(": {}", esc(&t.how)));
        let _ = writeln!(
            h,
            "<p>Pace at heart rate is measured at <strong>{target:.0} bpm</strong>{how} (change it with <code>--target-hr</code>).</p>"
        );
    }
    h.push_str("</section>\n");
}

fn weekly(h: &mut String, input: &Readback, units: Units) {
    let u = units.distance_unit();
    h.push_str("<section id=\"weekly\">\n<h2>Week by week</h2>\n<p class=\"caption\">Most recent first. Zones are shares of heart-rate time; routes and top-3 share cover the 6 weeks up to each week.</p>\n<div class=\"scroll\"><table>\n");
    let _ = writeln!(
        h,
        "<thead><tr><th>week of</th><th class=\"num\">runs</th><th class=\"num\">{u}</th><th class=\"num\">time</th><th class=\"num\">Z1</th><th class=\"num\">Z2</th><th class=\"num\">Z3</th><th class=\"num\">gray easy</th><th class=\"num\">routes</th><th class=\"num\">top 3</th><th class=\"num\">pace at HR</th><th class=\"num\">streak</th><th class=\"num\">load</th></tr></thead>"
    );
    h.push_str("<tbody>\n");
    for w in input.weeks.iter().rev() {
        let hr = w.z1_s + w.z2_s + w.z3_s;
        let pct = |v: f64| if hr > 0.0 { format!("{:.0} %", 100.0 * v / hr) } else { String::new() };
        let class = if w.rut { " class=\"rut\"" } else { "" };
        let _ = writeln!(
            h,
            "<tr{class}><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{:.1}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            w.start,
            w.runs,
            units.distance(w.distance_m),
            if w.moving_time_s > 0.0 { hours_minutes(w.moving_time_s) } else { String::new() },
            pct(w.z1_s),
            pct(w.z2_s),
            pct(w.z3_s),
            if w.easy_runs > 0 { format!("{} of {}", w.gray_easy_runs, w.easy_runs) } else { String::new() },
            w.distinct_routes.map_or(String::new(), |r| r.to_string()),
            w.top3_share.map_or(String::new(), |s| format!("{:.0} %{}", 100.0 * s, if w.rut { " (rut)" } else { "" })),
            w.pace_at_hr_s_per_km.map_or(String::new(), |p| units.pace(p)),
            w.streak_weeks,
            w.load.map_or(String::new(), |l| format!("{l:.0}")),
        );
    }
    h.push_str("</tbody>\n</table></div>\n</section>\n");
}

fn routes(h: &mut String, input: &Readback, units: Units) {
    h.push_str("<section id=\"routes\">\n<h2>Routes</h2>\n");
    if input.routes.is_empty() {
        h.push_str("<p>No runs with GPS tracks long enough to compare.</p>\n</section>\n");
        return;
    }
    let _ = writeln!(
        h,
        "<div class=\"scroll\"><table>\n<thead><tr><th>route</th><th class=\"num\">runs</th><th class=\"num\">{}</th><th>first run</th><th>last run</th></tr></thead>\n<tbody>",
        units.distance_unit()
    );
    let day = |d: Option<chrono::NaiveDate>| d.map_or(String::new(), |d| d.to_string());
    for r in &input.routes {
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{:.1}</td><td>{}</td><td>{}</td></tr>",
            esc(&r.id),
            r.runs,
            units.distance(r.distance_m),
            day(r.first_run),
            day(r.last_run)
        );
    }
    h.push_str("</tbody>\n</table></div>\n</section>\n");
}

fn skipped_files(h: &mut String, skipped: &[Skipped]) {
    h.push_str("<section id=\"skipped\">\n<h2>Files not analyzed</h2>\n");
    if skipped.is_empty() {
        h.push_str("<p>Every file found was analyzed.</p>\n</section>\n");
        return;
    }
    let files = plural(skipped.len(), "file", "files");
    let _ = writeln!(h, "<p class=\"caption\">{files}, each with the reason (also in skipped.csv).</p>");
    h.push_str("<div class=\"scroll\"><table>\n<thead><tr><th>file</th><th>reason</th></tr></thead>\n<tbody>\n");
    for s in skipped {
        let _ = writeln!(h, "<tr><td class=\"path\">{}</td><td>{}</td></tr>", esc(&s.source), esc(&s.reason));
    }
    h.push_str("</tbody>\n</table></div>\n</section>\n");
}

/// Text into HTML: names and reasons come from users' files.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// How to read the chart, under it in the report.
fn caption(kind: Kind) -> &'static str {
    match kind {
        Kind::PaceAtHr => {
            "Each dot is one run: how fast you ran at the target heart rate, from its steady stretches (hollow: the heart rate drifted, so the value is less certain). Higher is faster. The line is the rolling trend of the confident runs (the shaded band: how sure it is; broken where runs are too few or a gap of more than three weeks); the red bars compare your first and last four weeks. Rising means the same effort buys more speed: you are getting fitter."
        }
        Kind::EasyRuns => {
            "Each dot is an easy or long run: the share of its time (after the warm-up) spent between LT1 and LTHR, the gray zone. Above the dashed 20 % line (gray dots) the run was too hard to be easy and too easy to be a workout. Slowing those down keeps easy days easy."
        }
        Kind::Intensity => {
            "Hours per week below LT1 (green, easy), in the gray zone (gray) and above LTHR (red, hard). Most successful training is mostly green with some red; a lot of gray means the easy days crept up. Gray dots above a bar count that week's gray easy runs."
        }
        Kind::Volume => {
            "Distance, moving time and training load per week (load: 100 = an hour at LTHR; watch for weeks that jump). Full-colour weeks met your weekly run target and kept the streak going."
        }
        Kind::Consistency => {
            "One square per day, darker for more training time (all sports). Red days are layoffs: 10 or more days without a run."
        }
        Kind::Routes => {
            "Top: how many different routes you ran in each 6-week window. Bottom: the share of runs on your three most-run routes. Shaded windows were a rut: 80 % or more of the runs on the same few routes."
        }
        Kind::Load => {
            "Fitness (thick blue) is your load averaged over about six weeks, fatigue (red) over about one week, both with the GoldenCheetah / intervals.icu decay (e^(-1/42), e^(-1/7)); 100 is one hour at LTHR. Form (green) is yesterday's fitness minus fatigue: below zero you are carrying fatigue. Bands show training phases (build, taper, recovery, break; base is white), pink spans are layoffs, red lines mark steep comebacks."
        }
        Kind::Progression => {
            "Distance run since 1 January, one line per year against the date (1 March at the same place in leap years): this year bold blue, last year orange, earlier years gray; the title says whether you are ahead of last year on the data's last day. Below, when a quarter holds at least four confident runs, your pace at the target heart rate for that quarter of each year: higher is faster."
        }
        Kind::BestEfforts => {
            "The fastest pace you held for each duration, from 10 seconds to 3 hours, found inside every run (not only races): blue is the last 12 weeks, gray the same weeks a year before, the thin dark line your all-time best (on the blue where this season holds it). Where blue sits above gray you are faster than a year ago. Red triangles are your personal records over the race distances, at the time they took."
        }
        Kind::RouteMap => {
            "Every run's track: each 50 m square is shaded by how many runs went through it, on a log scale (light: once, dark: your daily loop), so the streets you run emerge on their own. Blue squares are new ground: first run in the last 12 weeks. Your most-run routes are outlined and named (by the name you give them most often). Runs far from home get a panel per place; the bar gives the scale."
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::testing;

    #[test]
    fn the_page_is_self_contained_and_escaped() {
        let mut input = testing::input();
        input.summary.findings = vec!["Easy <runs> & \"gray\" ones".into()];
        let skipped = [Skipped::new("a<b>.fit", "the file is empty")];
        let png = vec![137, 80, 78, 71];
        let charts: Vec<_> = Kind::ALL.into_iter().map(|k| (k, (k != Kind::RouteMap).then(|| png.clone()))).collect();
        let page = render(&input, &charts, &skipped, Units::Metric);
        assert!(page.contains("Easy &lt;runs&gt; &amp; &quot;gray&quot; ones"));
        assert!(page.contains("a&lt;b&gt;.fit"));
        assert_eq!(page.matches("data:image/png;base64,").count(), Kind::ALL.len() - 1);
        assert!(page.contains("runlens chart route_map"));
        assert!(!page.contains("http://") && !page.contains("https://"), "nothing fetched from the network");
        let findings = page.find("id=\"findings\"").unwrap();
        assert!(findings < page.find("class=\"chart\"").unwrap(), "findings come first");
    }

    #[test]
    fn weekly_table_uses_display_units_newest_first() {
        let input = testing::input();
        let page = render(&input, &[], &[], Units::Imperial);
        let page = &page[page.find("id=\"weekly\"").unwrap()..];
        let newest = page.find("2026-03-23").unwrap();
        let oldest = page.find("2026-01-05").unwrap();
        assert!(newest < oldest);
        assert!(page.contains("<th class=\"num\">mi</th>"));
        assert!(page.contains("/mi</td>"));
    }
}
