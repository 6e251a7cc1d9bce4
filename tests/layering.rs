//! The pipeline flows one way: discover -> parse -> clean -> features ->
//! cache -> select -> metrics -> tables -> charts / report, then the front
//! door and squad mode above it. A module may import its own stage, earlier
//! stages and the shared modules, never a later stage, so the data never
//! walks back. This reads every `crate::` path in `src/` and
//! fails on the first import that points the wrong way or on a cycle
//! between top-level modules.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Rank of each top-level module: lower is earlier. Shared maths and
/// plumbing sit below every stage; the front door (command line, settings,
/// `run`) above them all.
fn rank(module: &str) -> Option<u8> {
    Some(match module {
        "dates" | "error" | "geo" | "stats" | "units" | "xml" => 0,
        "discover" => 1,
        "parse" => 2,
        "clean" => 3,
        "features" => 4,
        // Stores what `features` gives per file; reads nothing later.
        "cache" => 5,
        "select" => 6,
        "metrics" => 7,
        "tables" => 8,
        "charts" => 9,
        "report" => 10,
        "cli" | "config" | "demo" | "inspect" | "lib" => 11,
        // Many athletes, each through the front door's `run`.
        "squad" => 12,
        _ => return None,
    })
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src is readable") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `src/metrics/trend.rs` -> `metrics`; `src/lib.rs` -> `lib`.
fn top_module(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).expect("under src");
    let first = rel.components().next().expect("a component").as_os_str().to_string_lossy().into_owned();
    first.trim_end_matches(".rs").to_owned()
}

/// The top-level modules a file names through `crate::`, including
/// `use crate::{a, b::{c, d}, e}` groups (only the first name of each
/// top-level part of a group counts).
fn imports(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let ident = |s: &str| s.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect::<String>();
    for (i, _) in text.match_indices("crate::") {
        let rest = &text[i + "crate::".len()..];
        let Some(group) = rest.strip_prefix('{') else {
            out.insert(ident(rest));
            continue;
        };
        // Split the group at its own commas, not at those of nested groups.
        let (mut depth, mut part_start) = (0usize, 0usize);
        for (j, c) in group.char_indices() {
            match c {
                '{' => depth += 1,
                '}' if depth == 0 => {
                    out.insert(ident(group[part_start..j].trim()));
                    break;
                }
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    out.insert(ident(group[part_start..j].trim()));
                    part_start = j + 1;
                }
                _ => {}
            }
        }
    }
    out.remove("");
    out
}

#[test]
fn no_module_imports_a_later_stage_and_top_level_modules_form_no_cycle() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut wrong_way = Vec::new();
    for file in files.iter().filter(|f| !f.ends_with("main.rs")) {
        let from = top_module(&src, file);
        let from_rank = rank(&from).unwrap_or_else(|| {
            panic!("{}: module {from} has no place in the pipeline; add it to rank()", file.display())
        });
        let text = std::fs::read_to_string(file).expect("readable");
        for to in imports(&text) {
            let Some(to_rank) = rank(&to) else { continue };
            if to != from {
                edges.entry(from.clone()).or_default().insert(to.clone());
            }
            if to_rank > from_rank {
                wrong_way.push(format!("{} ({from}) imports crate::{to}, a later stage", file.display()));
            }
        }
    }
    assert!(wrong_way.is_empty(), "imports against the pipeline:\n{}", wrong_way.join("\n"));
    // Same-rank shared modules could still import each other in a circle.
    for start in edges.keys() {
        let mut stack = vec![start.clone()];
        let mut seen = BTreeSet::new();
        while let Some(m) = stack.pop() {
            for next in edges.get(&m).into_iter().flatten() {
                assert!(next != start, "a cycle between top-level modules runs through {start} and {m}");
                if seen.insert(next.clone()) {
                    stack.push(next.clone());
                }
            }
        }
    }
}

#[test]
fn the_import_reader_sees_groups_and_paths() {
    let found = imports("use crate::{clean::Clean, stats};\nlet x = crate::geo::haversine_m(0.0);");
    assert_eq!(found, ["clean", "geo", "stats"].into_iter().map(String::from).collect());
    // A nested group does not hide the parts after it.
    let nested = imports("use crate::{metrics::{routes, weekly}, report};");
    assert_eq!(nested, ["metrics", "report"].into_iter().map(String::from).collect());
}
