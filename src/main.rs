//! The `runlens` binary: parse arguments, build a `Config`, run, and map the
//! outcome to an exit code. All the work is in the library.

use std::io;
use std::process::ExitCode;

use clap::Parser;
use runlens::charts::Kind;
use runlens::cli::{ChartKind, Cli, Command};
use runlens::config::{Config, Terminal};
use runlens::error::Error;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Analyze(args) => Config::from_args(args, Terminal::detect())
            .and_then(|config| runlens::run(&config, &mut io::stdout().lock()).map(|_| ())),
        Command::Inspect(args) => runlens::inspect::inspect(&args.file, &mut io::stdout().lock()),
        Command::Chart(args) => {
            runlens::redraw(&args.out, &kinds(args.kind), args.units.map(Into::into), &mut io::stdout().lock())
        }
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
        ChartKind::BestEfforts => Kind::BestEfforts,
    };
    vec![one]
}

fn report(err: &Error) -> ExitCode {
    eprintln!("runlens: {err}");
    ExitCode::from(err.exit_code())
}
