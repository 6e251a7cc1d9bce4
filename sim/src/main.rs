//! `runlens-sim`: write the demo export, a generated export of N
//! activities for benchmarks, the realistic athletes' histories, or a
//! coach's squad (one folder per athlete).

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["demo", out] => std::fs::write(out, runlens_sim::demo_export()).map_err(|e| e.to_string()),
        ["export", n, out] => n
            .parse::<usize>()
            .map_err(|e| format!("N: {e}"))
            .and_then(|n| runlens_sim::bench::write_folder(&PathBuf::from(out), n).map_err(|e| e.to_string())),
        ["fixtures", dir] => write_fixtures(&PathBuf::from(dir)).map_err(|e| e.to_string()),
        ["realistic", dir] => write_realistic(&PathBuf::from(dir)).map_err(|e| e.to_string()),
        ["squad", dir, "--athletes", n, "--runs", m] => match (n.parse::<usize>(), m.parse::<usize>()) {
            (Ok(n), Ok(m)) => runlens_sim::squad::write_squad(&PathBuf::from(dir), n, m).map_err(|e| e.to_string()),
            _ => Err("squad: --athletes and --runs take whole numbers".into()),
        },
        _ => Err(
            "usage: runlens-sim demo OUT.zip | runlens-sim export N OUT_DIR | runlens-sim fixtures DIR | runlens-sim realistic DIR | runlens-sim squad DIR --athletes N --runs M"
                .into(),
        ),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("runlens-sim: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Every realistic athlete's history, each in `DIR/<athlete>`.
fn write_realistic(dir: &std::path::Path) -> std::io::Result<()> {
    for athlete in runlens_sim::realistic::athletes() {
        let runs = runlens_sim::realistic::simulate_athlete(&athlete);
        runlens_sim::realistic::write_history(&runs, &dir.join(athlete.name))?;
    }
    Ok(())
}

fn write_fixtures(dir: &std::path::Path) -> std::io::Result<()> {
    for (name, bytes) in runlens_sim::fixtures::all() {
        let path = dir.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(path, bytes)?;
    }
    Ok(())
}
