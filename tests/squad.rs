//! Squad mode through the real binary: each athlete's full output, the
//! overview's order and reasons, the hive Parquet dataset read back
//! partition by partition, names no filesystem likes, roster mistakes,
//! and one athlete's broken data never touching another's output.

mod support;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use polars::prelude::*;
use support::{column, read_csv, runlens};

/// `n` simulated athletes of `runs` runs in `dir/athlete-NNN/`.
fn squad(dir: &Path, n: usize, runs: usize) {
    runlens_sim::squad::write_squad(dir, n, runs).expect("write squad");
}

/// Every file under `dir`, by relative path, with its bytes.
fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for entry in fs::read_dir(dir).expect("readable") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                out.insert(path.strip_prefix(root).expect("under root").to_path_buf(), fs::read(&path).expect("file"));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// `%XX` decoding, written here from the documented rule rather than taken
/// from the library, so the test checks the contract.
fn decode(key: &str) -> String {
    let mut bytes = Vec::new();
    let mut rest = key.as_bytes();
    while let Some((&b, tail)) = rest.split_first() {
        if b == b'%' {
            bytes.push(u8::from_str_radix(std::str::from_utf8(&tail[..2]).expect("hex"), 16).expect("hex"));
            rest = &tail[2..];
        } else {
            bytes.push(b);
            rest = tail;
        }
    }
    String::from_utf8(bytes).expect("utf-8")
}

/// The activities dataset: athlete (from the folder name) -> rows of its part file.
fn partitions(out: &Path) -> BTreeMap<String, usize> {
    dataset(out, "activities")
}

/// A hive dataset under `parquet/`: athlete (from the folder name) -> rows.
fn dataset(out: &Path, table: &str) -> BTreeMap<String, usize> {
    let root = out.join("parquet").join(table);
    let mut found = BTreeMap::new();
    for entry in fs::read_dir(&root).expect("dataset folder") {
        let dir = entry.expect("entry").path();
        let folder = dir.file_name().expect("name").to_string_lossy().into_owned();
        let key = folder.strip_prefix("athlete=").unwrap_or_else(|| panic!("{folder} is not athlete=<value>"));
        let names: Vec<_> = fs::read_dir(&dir).expect("partition").map(|e| e.expect("entry").file_name()).collect();
        assert_eq!(names, ["part-0.parquet"], "{folder}");
        let file = fs::File::open(dir.join("part-0.parquet")).expect("part file");
        let frame = ParquetReader::new(file).finish().expect("parquet");
        assert!(frame.column("athlete").is_err(), "the partition value lives in the path only");
        found.insert(decode(key), frame.height());
    }
    found
}

#[test]
fn each_athlete_gets_a_full_output_and_a_partition_and_a_row() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("squad");
    squad(&input, 3, 40);
    fs::rename(input.join("athlete-001"), input.join("Zoë = 1")).unwrap();
    let out = dir.path().join("out");
    let assert = runlens().args(["analyze", "-q", "--athletes"]).arg(&input).arg("--out").arg(&out).assert().success();
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    assert!(stdout.contains("3 athletes analyzed") && stdout.contains("squad.html"), "{stdout}");
    let rows = read_csv(&out.join("squad.csv"));
    let mut names = column(&rows, "athlete");
    names.sort();
    assert_eq!(names, ["Zoë = 1", "athlete-000", "athlete-002"]);
    let keys = column(&rows, "athlete_key");
    assert!(keys.contains(&"Zo%C3%AB%20%3D%201".to_owned()), "{keys:?}");
    let partitioned = partitions(&out);
    for (name, (key, activities)) in names.iter().zip(keys.iter().zip(column(&rows, "activities"))) {
        let own = out.join("athletes").join(key);
        for file in ["summary.json", "activities.csv", "weekly.csv", "report.html", "charts/pace_at_hr.png"] {
            assert!(own.join(file).is_file(), "{name}: {file}");
        }
        let own_rows = read_csv(&own.join("activities.csv")).len() - 1;
        assert_eq!(activities, own_rows.to_string(), "{name}");
        assert_eq!(partitioned.get(name.as_str()), Some(&own_rows), "{name}'s partition");
        for table in ["weekly", "daily"] {
            let rows = read_csv(&own.join(format!("{table}.csv"))).len() - 1;
            assert_eq!(dataset(&out, table).get(name.as_str()), Some(&rows), "{name}'s {table} partition");
        }
    }
    let html = fs::read_to_string(out.join("squad.html")).unwrap();
    assert!(html.contains("href=\"athletes/Zo%25C3%25AB%2520%253D%25201/report.html\""), "links reach the folder");
    assert!(html.contains("Zoë = 1"));
}

#[test]
fn the_athlete_needing_attention_comes_first_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("squad");
    // Athlete 3 stopped running four weeks before the others.
    squad(&input, 4, 40);
    fs::create_dir_all(input.join("nobody")).unwrap();
    let out = dir.path().join("out");
    runlens().args(["analyze", "-q", "--athletes"]).arg(&input).arg("--out").arg(&out).assert().success();
    let rows = read_csv(&out.join("squad.csv"));
    let (names, reasons) = (column(&rows, "athlete"), column(&rows, "attention_reason"));
    assert_eq!(names[0], "nobody", "no runs at all tops the list");
    assert_eq!(column(&rows, "status")[0], "no_runs");
    assert!(reasons[0].starts_with("no activity could be analyzed"), "{}", reasons[0]);
    let stopped = names.iter().position(|n| n == "athlete-003").unwrap();
    assert!(reasons[stopped].contains("no activity for 28 days"), "{}", reasons[stopped]);
    // Scores have one decimal: compare them in tenths, exactly.
    let tenths: Vec<i64> =
        column(&rows, "attention_score").iter().map(|s| s.replace('.', "").parse().unwrap()).collect();
    for (pair, names) in tenths.windows(2).zip(names.windows(2)) {
        assert!(pair[0] > pair[1] || (pair[0] == pair[1] && names[0] < names[1]), "{names:?} out of order");
    }
    let ranks = column(&rows, "rank");
    assert_eq!(ranks, ["1", "2", "3", "4", "5"]);
}

#[test]
fn a_broken_athlete_never_changes_a_good_athletes_output() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("squad");
    squad(&input, 1, 30);
    let (alone, beside) = (dir.path().join("alone"), dir.path().join("beside"));
    runlens().args(["analyze", "-q", "--athletes"]).arg(&input).arg("--out").arg(&alone).assert().success();
    // Beside it: damaged files, an empty folder, a zip that is not one,
    // and settings that do not parse.
    fs::create_dir_all(input.join("broken")).unwrap();
    fs::write(input.join("broken/run.fit"), b"\x0e\x10garbage").unwrap();
    fs::create_dir_all(input.join("empty")).unwrap();
    fs::write(input.join("fake.zip"), b"not a zip").unwrap();
    fs::create_dir_all(input.join("typo")).unwrap();
    fs::copy(input.join("athlete-000/run-00000.fit"), input.join("typo/run.fit")).unwrap();
    fs::write(input.join("typo/runlens.toml"), "[thresholds]\nlthr = 'fast'\n").unwrap();
    runlens().args(["analyze", "-q", "--athletes"]).arg(&input).arg("--out").arg(&beside).assert().success();
    let good = |out: &Path| {
        (files(&out.join("athletes/athlete-000")), files(&out.join("parquet/activities/athlete=athlete-000")))
    };
    assert!(good(&alone) == good(&beside), "the good athlete's files changed");
    let rows = read_csv(&beside.join("squad.csv"));
    let status: BTreeMap<String, String> = column(&rows, "athlete").into_iter().zip(column(&rows, "status")).collect();
    assert_eq!(status["athlete-000"], "ok");
    assert_eq!(status["broken"], "no_runs");
    assert_eq!(status["empty"], "no_runs");
    assert_eq!(status["fake"], "no_runs");
    assert_eq!(status["typo"], "failed");
    assert_eq!(partitions(&beside).keys().collect::<Vec<_>>(), ["athlete-000"], "no partition for no rows");
}

#[test]
fn roster_names_any_filesystem_refuses_become_safe_folders() {
    let dir = tempfile::tempdir().unwrap();
    squad(&dir.path().join("exports"), 2, 20);
    let roster = dir.path().join("roster.csv");
    fs::write(
        &roster,
        "athlete,input,lthr,max_hr\na/b,exports/athlete-000,168,186\n\"x=1, ..\",exports/athlete-001,,\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    runlens().args(["analyze", "-q", "--roster"]).arg(&roster).arg("--out").arg(&out).assert().success();
    let mut folders: Vec<String> = fs::read_dir(out.join("athletes"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    folders.sort();
    assert_eq!(folders, ["a%2Fb", "x%3D1%2C%20.."]);
    let names: Vec<String> = partitions(&out).into_keys().collect();
    assert_eq!(names, ["a/b", "x=1, .."]);
    let summary = fs::read_to_string(out.join("athletes/a%2Fb/summary.json")).unwrap();
    assert!(summary.contains("\"source\": \"flag\""), "the roster's thresholds are the athlete's");
}

#[test]
fn roster_mistakes_name_the_line_and_stop_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("ann")).unwrap();
    let roster = dir.path().join("roster.csv");
    let cases = [
        ("athlete,input,lthr\nann,ann,fast\n", "roster.csv line 2: (ann) lthr \"fast\" is not a whole number"),
        ("athlete,input\nann,ann\nbob,bob.zip\n", "line 3: (bob) the input \"bob.zip\" does not exist"),
        ("athlete,input,ltrh\nann,ann,160\n", "line 1: unknown column \"ltrh\""),
        (
            "athlete,input,lthr,max_hr\nann,ann,190,180\n",
            "line 2 (ann): invalid option: --lthr 190 must be below --max-hr 180",
        ),
    ];
    for (text, message) in cases {
        fs::write(&roster, text).unwrap();
        let out = dir.path().join("out");
        let assert = runlens().args(["analyze", "--roster"]).arg(&roster).arg("--out").arg(&out).assert().code(2);
        let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
        assert!(stderr.contains(message), "{text}: {stderr}");
        assert!(!out.exists(), "nothing written");
    }
}

#[test]
fn squad_and_single_outputs_never_replace_each_other() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("squad");
    squad(&input, 1, 12);
    let (single, team) = (dir.path().join("single"), dir.path().join("team"));
    runlens().args(["analyze", "-q"]).arg(input.join("athlete-000")).arg("--out").arg(&single).assert().success();
    runlens().args(["analyze", "-q", "--athletes"]).arg(&input).arg("--out").arg(&team).assert().success();
    let refused = |args: &[&str], out: &Path, says: &str| {
        let assert = runlens().args(args).arg("--out").arg(out).assert().code(2);
        let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
        assert!(stderr.contains(says), "{stderr}");
    };
    let squad_args = ["analyze", "-q", "--athletes", input.to_str().unwrap()];
    refused(&squad_args, &single, "holds one athlete's runlens output");
    refused(&["analyze", "-q", input.join("athlete-000").to_str().unwrap()], &team, "holds a squad output");
    refused(&squad_args, &input.join("athlete-000/out"), "inside the input");
    refused(&["analyze", "-q", "--athletes", team.join("athletes").to_str().unwrap()], &team, "is inside --out");
    refused(
        &["analyze", "-q", "--lthr", "170", "--athletes", input.to_str().unwrap()],
        &team,
        "--lthr is one athlete's threshold",
    );
    assert!(single.join("summary.json").is_file() && team.join("squad.csv").is_file(), "both left as they were");
}
