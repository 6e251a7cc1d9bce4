//! Charts, report and terminal summary end to end: the demo export draws
//! every chart and a self-contained report; `runlens chart` redraws from the
//! output folder alone; colour only where it belongs.

mod support;

use std::fs;
use std::path::Path;

use support::runlens;

const CHARTS: [&str; 10] = [
    "pace_at_hr",
    "intensity",
    "easy_runs",
    "routes",
    "route_map",
    "consistency",
    "volume",
    "load",
    "progression",
    "best_efforts",
];

fn analyze_demo(dir: &Path, extra: &[&str]) -> String {
    let assert = runlens().current_dir(dir).args(["analyze", "--quiet", "--out", "out"]).args(extra).assert().success();
    String::from_utf8_lossy(&assert.get_output().stdout).into_owned()
}

/// Width and height from a PNG header.
fn png_size(path: &Path) -> (u32, u32) {
    let bytes = fs::read(path).unwrap();
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "{} is a PNG", path.display());
    let be = |i: usize| u32::from_be_bytes(bytes[i..i + 4].try_into().unwrap());
    (be(16), be(20))
}

#[test]
fn the_demo_draws_every_chart_and_a_self_contained_report() {
    let dir = tempfile::tempdir().unwrap();
    let stdout = analyze_demo(dir.path(), &[]);
    let out = dir.path().join("out");
    for chart in CHARTS {
        let (w, h) = png_size(&out.join("charts").join(format!("{chart}.png")));
        assert!(w >= 1000 && h >= 300, "{chart}: {w}x{h}");
    }
    let report = fs::read_to_string(out.join("report.html")).unwrap();
    assert_eq!(report.matches("src=\"data:image/png;base64,").count(), CHARTS.len());
    assert!(!report.contains("src=\"http") && !report.contains("href=\"http"), "nothing fetched");
    assert!(report.contains("What your data says"));
    // Race predictions side by side, with what they rest on.
    assert!(
        report.contains("What could I race now?") && report.contains("VDOT ") && report.contains("Personal records")
    );
    let efforts = support::read_csv(&out.join("efforts.csv"));
    assert_eq!(efforts[0], ["activity_id", "distance_m", "time_s", "gap_time_s", "start_offset_s"]);
    assert!(stdout.contains("race: VDOT"), "{stdout}");
    assert!(stdout.contains("Key figures"), "{stdout}");
    assert!(stdout.contains("report: out/report.html"), "{stdout}");
    assert!(stdout.contains(&format!("charts: out/charts/ ({} PNGs", CHARTS.len())), "{stdout}");
    assert!(!stdout.contains('\x1b'), "no colour when NO_COLOR is set and stdout is a pipe");
    let tracks = fs::read_to_string(out.join("route_tracks.csv")).unwrap();
    assert!(tracks.starts_with("route_id,lat_deg,lon_deg\n") && tracks.lines().count() > 50);
}

#[test]
fn chart_redraws_from_the_output_folder_alone() {
    let dir = tempfile::tempdir().unwrap();
    analyze_demo(dir.path(), &[]);
    let out = dir.path().join("out");
    let chart = out.join("charts/pace_at_hr.png");
    let drawn = fs::read(&chart).unwrap();
    fs::remove_file(&chart).unwrap();
    fs::remove_file(out.join("report.html")).unwrap();
    let assert = runlens().current_dir(dir.path()).args(["chart", "pace_at_hr", "--out", "out"]).assert().success();
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    assert!(stdout.contains("out/charts/pace_at_hr.png"), "{stdout}");
    assert_eq!(fs::read(&chart).unwrap(), drawn, "same tables, same chart");
    assert!(out.join("report.html").exists(), "the report is rewritten with the new chart");

    runlens().current_dir(dir.path()).args(["chart", "all", "--out", "out", "--units", "imperial"]).assert().success();
    assert_ne!(fs::read(&chart).unwrap(), drawn, "imperial paces are drawn per mile");
    let report = fs::read_to_string(out.join("report.html")).unwrap();
    assert!(report.contains("/mi</td>"));
}

/// `runlens chart load` was refused although the README lists `load`
/// among the kinds: every chart drawn by `analyze` is redrawn by its name.
#[test]
fn every_chart_can_be_redrawn_by_its_own_name() {
    let dir = tempfile::tempdir().unwrap();
    analyze_demo(dir.path(), &[]);
    for name in CHARTS {
        let assert = runlens().current_dir(dir.path()).args(["chart", name, "--out", "out"]).assert().success();
        let stdout = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
        assert!(stdout.contains(&format!("out/charts/{name}.png")), "{name}: {stdout}");
    }
}

#[test]
fn chart_without_an_output_folder_says_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let assert = runlens().current_dir(dir.path()).args(["chart", "volume", "--out", "nowhere"]).assert().code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(stderr.contains("nowhere") && stderr.contains("runlens analyze"), "{stderr}");
}

#[test]
fn colour_only_when_asked_for_or_on_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let plain = analyze_demo(dir.path(), &["--units", "imperial"]);
    assert!(plain.contains("/mi"), "{plain}");
    let coloured = analyze_demo(dir.path(), &["--color", "always"]);
    assert!(coloured.contains("\x1b[1mKey figures\x1b[0m"), "{coloured}");
}
