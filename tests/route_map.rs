//! The route map's tables through the real binary: every run's cells in
//! `route_cells.csv`, and routes named by what the runner calls them.

mod support;

use runlens_sim::athlete::{Plan, SimSport, simulate};
use support::{column, read_csv, runlens};

#[test]
fn routes_carry_the_runners_own_name_and_every_run_its_cells() {
    let plan = Plan { routes: 4, race_every_weeks: None, ..Plan::new(11, 6) };
    let mut runs = simulate(&plan);
    runs.retain(|a| a.sport == SimSport::Run);
    for a in &mut runs {
        a.name = if a.route == 0 { "Lake loop".into() } else { "Morning Run".into() };
    }
    let dir = tempfile::tempdir().unwrap();
    let (input, out) = (dir.path().join("in"), dir.path().join("out"));
    std::fs::create_dir(&input).unwrap();
    for (i, a) in runs.iter().enumerate() {
        std::fs::write(input.join(format!("{i:03}.gpx")), runlens_sim::write::gpx_string(a)).unwrap();
    }
    runlens().arg("analyze").arg(&input).arg("-o").arg(&out).arg("--quiet").assert().success();

    let routes = read_csv(&out.join("routes.csv"));
    let (names, counts) = (column(&routes, "name"), column(&routes, "runs"));
    let lake_runs = runs.iter().filter(|a| a.route == 0).count();
    let with_name: Vec<_> = names.iter().zip(&counts).filter(|(n, _)| !n.is_empty()).collect();
    println!("named routes: {with_name:?}, lake loop runs: {lake_runs}");
    // The loop run once or twice round makes routes of different lengths:
    // each is the lake loop, and only they are named.
    assert!(with_name.iter().all(|(n, _)| *n == "Lake loop"), "{names:?}");
    assert_eq!(with_name.iter().map(|(_, r)| r.parse::<usize>().unwrap()).sum::<usize>(), lake_runs);
    assert!(!names.iter().any(|n| n == "Morning Run"), "a name on every route names none");

    let cells = read_csv(&out.join("route_cells.csv"));
    let per_cell: Vec<usize> = column(&cells, "runs").iter().map(|r| r.parse().unwrap()).collect();
    println!("{} cells, busiest {:?}", per_cell.len(), per_cell.iter().max());
    // Every run goes through its start cell: the busiest cells hold many runs.
    assert!(*per_cell.iter().max().unwrap() >= lake_runs);
    assert!(per_cell.len() > 100, "each run's course, not only each route's first run");
    let first = column(&cells, "first_run");
    assert!(first.iter().all(|d| d.len() == 10 && d.starts_with("20")), "{:?}", &first[..3]);
}
