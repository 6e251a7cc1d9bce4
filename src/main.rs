//! The `runlens` binary: parse arguments, build a `Config`, run, and map the
//! outcome to an exit code. All the work is in the library.

use std::io;
use std::process::ExitCode;

use clap::Parser;
use runlens::charts::Kind;
use runlens::cli::{CacheAction, CacheArgs, ChartKind, Cli, Command};
use runlens::config::{Config, Terminal};
use runlens::error::Error;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Analyze(args) if args.athletes.is_some() || args.roster.is_some() => {
            runlens::squad::Squad::from_args(args, Terminal::detect())
                .and_then(|squad| runlens::squad::run(&squad, &mut io::stdout().lock()))
        }
        Command::Analyze(args) => Config::from_args(args, Terminal::detect())
            .and_then(|config| runlens::run(&config, &mut io::stdout().lock()).map(|_| ())),
        Command::Inspect(args) => runlens::inspect::inspect(&args.file, &mut io::stdout().lock()),
        Command::Chart(args) => {
            runlens::redraw(&args.out, &kinds(args.kind), args.units.map(Into::into), &mut io::stdout().lock())
        }
        Command::Cache(args) => cache(&args, &mut io::stdout().lock()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => report(&err),
    }
}

fn kinds(kind: ChartKind) -> Vec<Kind> {
    let one = match kind {
        ChartKind::All => return Kind::ALL.to_vec(),
        ChartKind::PaceAtHr => Kind::PaceAtHr,
        ChartKind::Intensity => Kind::Intensity,
        ChartKind::EasyRuns => Kind::EasyRuns,
        ChartKind::Routes => Kind::Routes,
        ChartKind::RouteMap => Kind::RouteMap,
        ChartKind::Consistency => Kind::Consistency,
        ChartKind::Volume => Kind::Volume,
        ChartKind::Load => Kind::Load,
        ChartKind::Progression => Kind::Progression,
        ChartKind::BestEfforts => Kind::BestEfforts,
    };
    vec![one]
}

/// `runlens cache info|clear`.
fn cache(args: &CacheArgs, out: &mut dyn io::Write) -> Result<(), Error> {
    use runlens::cache::dir;
    let root = args.cache.clone().or_else(|| dir::default_dir(|name| std::env::var_os(name))).ok_or_else(|| {
        Error::Config("no cache folder: neither XDG_CACHE_HOME nor HOME is set; pass --cache DIR".into())
    })?;
    let failed = |e: runlens::cache::CacheError| {
        let path = e.path().to_path_buf();
        Error::Write { path, source: io::Error::other(e.to_string()) }
    };
    let text = match args.action {
        CacheAction::Info => {
            let info = dir::info(&root).map_err(failed)?;
            let stale = if info.stale.entries > 0 {
                let size = dir::human_bytes(info.stale.bytes);
                format!(" (and {} entries, {size}, of other runlens builds)", info.stale.entries)
            } else {
                String::new()
            };
            let size = dir::human_bytes(info.current.bytes);
            format!("{}: {} entries, {size}{stale}", root.display(), info.current.entries)
        }
        CacheAction::Clear => {
            let removed = dir::clear(&root).map_err(failed)?;
            format!("removed {} entries ({}) from {}", removed.entries, dir::human_bytes(removed.bytes), root.display())
        }
    };
    writeln!(out, "{text}").map_err(|source| Error::Write { path: "stdout".into(), source })
}

fn report(err: &Error) -> ExitCode {
    eprintln!("runlens: {err}");
    ExitCode::from(err.exit_code())
}
