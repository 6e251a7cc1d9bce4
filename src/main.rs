//! The `runlens` binary: parse arguments, build a `Config`, run, and map the
//! outcome to an exit code. All the work is in the library.

use std::io::{self, IsTerminal};
use std::process::ExitCode;

use clap::Parser;
use runlens::cli::{Cli, Command};
use runlens::config::Config;
use runlens::error::Error;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Analyze(args) => Config::from_args(args, io::stderr().is_terminal())
            .and_then(|config| runlens::run(&config, &mut io::stdout().lock()).map(|_| ())),
        Command::Inspect(args) => runlens::inspect::inspect(&args.file, &mut io::stdout().lock()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => report(&err),
    }
}

fn report(err: &Error) -> ExitCode {
    eprintln!("runlens: {err}");
    ExitCode::from(err.exit_code())
}
