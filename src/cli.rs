//! Command-line types (clap). Nothing else in the crate imports clap: these
//! are turned into a validated `Config` before any work starts.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "runlens",
    version,
    about = "See your running in one pass over your watch exports: every FIT, GPX and TCX file, loose, gzipped or inside Strava and Garmin export zips."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

// Parsed once per process: boxing the big variant would save nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Analyze exports and write tables into the output folder.
    Analyze(AnalyzeArgs),
    /// Show what runlens reads from one file (when a number looks wrong).
    Inspect(InspectArgs),
    /// Redraw charts and report.html from an output folder's tables,
    /// without reading the exports again.
    Chart(ChartArgs),
    /// Show or empty the cache of analyzed files.
    Cache(CacheArgs),
}

#[derive(Debug, Args)]
pub struct CacheArgs {
    #[command(subcommand)]
    pub action: CacheAction,
    /// The cache folder [default: runlens in your cache folder, ~/.cache unless set otherwise].
    #[arg(long, value_name = "DIR", global = true)]
    pub cache: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Subcommand)]
pub enum CacheAction {
    /// Where the cache is, and its entries and size.
    Info,
    /// Remove every entry (only runlens's own files in the folder).
    Clear,
}

/// What people read: distances and paces in km or miles. Tables stay SI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum UnitsArg {
    Metric,
    Imperial,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    /// On a terminal, unless `NO_COLOR` is set.
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
#[value(rename_all = "snake_case")]
pub enum ChartKind {
    /// Every chart.
    All,
    /// Pace at the target heart rate per run, with its trend.
    PaceAtHr,
    /// Weekly time in Z1/Z2/Z3, gray easy runs marked.
    Intensity,
    /// Easy and long runs' share of time in the gray zone.
    EasyRuns,
    /// Distinct routes and top-3 share per 6 weeks, ruts shaded.
    Routes,
    /// Where you run: a heatmap of every run, the most-run routes named.
    RouteMap,
    /// Calendar of training time per day, layoffs marked.
    Consistency,
    /// Weekly distance and time, with the streak.
    Volume,
    /// Fitness, fatigue and form per day, phases and comebacks.
    Load,
    /// Distance since 1 January per year, pace at HR per quarter.
    Progression,
    /// This season's best-effort pace curve against last season's and the all-time best.
    BestEfforts,
}

#[derive(Debug, Args)]
pub struct ChartArgs {
    /// Which chart to redraw.
    #[arg(value_enum)]
    pub kind: ChartKind,
    /// The output folder of an earlier `runlens analyze`.
    #[arg(short, long, default_value = "runlens-out")]
    pub out: PathBuf,
    /// Units to draw in [default: those of the analyze run].
    #[arg(long, value_enum)]
    pub units: Option<UnitsArg>,
}

#[derive(Debug, Clone, Args)]
pub struct AnalyzeArgs {
    /// Export zips, folders or files (FIT, GPX, TCX, .gz). Without any,
    /// runlens analyzes its built-in demo export.
    pub inputs: Vec<PathBuf>,
    /// Squad mode: each sub-folder or archive in DIR is one athlete, named
    /// after it (its own settings in a runlens.toml inside the sub-folder).
    #[arg(long, value_name = "DIR", conflicts_with_all = ["inputs", "roster"])]
    pub athletes: Option<PathBuf>,
    /// Squad mode from a CSV with one athlete per line: name, exports and
    /// thresholds (the columns are in the README).
    #[arg(long, value_name = "CSV", conflicts_with = "inputs")]
    pub roster: Option<PathBuf>,
    /// Output folder (created if missing; never inside an input folder).
    #[arg(short, long, default_value = "runlens-out")]
    pub out: PathBuf,
    /// Parallel parsing threads (default: one per core).
    #[arg(short, long, value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,
    /// No progress bar and no per-file warnings (skipped.csv still lists them).
    #[arg(short, long)]
    pub quiet: bool,
    /// Exit with status 1 if any input could not be read.
    #[arg(long)]
    pub strict: bool,
    /// Your maximum heart rate (bpm), instead of the watch's or an estimate.
    #[arg(long, value_name = "BPM")]
    pub max_hr: Option<u16>,
    /// Lactate threshold heart rate (bpm), the top of the gray zone.
    #[arg(long, value_name = "BPM")]
    pub lthr: Option<u16>,
    /// First threshold (bpm), the bottom of the gray zone; default 0.85 x LTHR.
    #[arg(long, value_name = "BPM")]
    pub lt1: Option<u16>,
    /// Resting heart rate (bpm).
    #[arg(long, value_name = "BPM")]
    pub resting_hr: Option<u16>,
    /// Runs per week that keep a streak going [default: 3].
    #[arg(long, value_name = "RUNS")]
    pub weekly_target: Option<u32>,
    /// Only activities on or after this day (YYYY-MM-DD, local time).
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Only activities on or before this day (YYYY-MM-DD, local time).
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    /// Local time of files that record neither a UTC offset nor a position
    /// (e.g. treadmill TCX): "+02:00" or a zone like "Europe/Paris". Default:
    /// the offset of the nearest activity within 30 days, else UTC.
    #[arg(long, value_name = "OFFSET", allow_hyphen_values = true)]
    pub utc_offset: Option<String>,
    /// Sports that count as runs, comma-separated (default: running, trail
    /// running and treadmill). Others still appear in the tables.
    #[arg(long, value_name = "SPORTS", value_delimiter = ',')]
    pub sport: Vec<String>,
    /// Settings file [default: runlens.toml in the current folder, if any].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Best efforts over these distances too (metres, comma-separated), besides
    /// 400 m, 1 km, 1 mile, 5 km, 10 km, half marathon and marathon.
    #[arg(long, value_name = "METRES", value_delimiter = ',')]
    pub effort_distances: Vec<f64>,
    /// Heart rate for pace at a fixed HR; default: the one most of your steady runs hold.
    #[arg(long, value_name = "BPM")]
    pub target_hr: Option<u16>,
    /// Units in the summary, charts and report (tables stay SI) [default: metric].
    #[arg(long, value_enum)]
    pub units: Option<UnitsArg>,
    /// Colour in the terminal summary.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    pub color: ColorArg,
    /// Keep what each file gives here, so re-runs only analyze new files
    /// [default: runlens in your cache folder, ~/.cache unless set otherwise].
    #[arg(long, value_name = "DIR", conflicts_with = "no_cache")]
    pub cache: Option<PathBuf>,
    /// Read and analyze every file, and keep nothing for the next run.
    #[arg(long)]
    pub no_cache: bool,
}

impl AnalyzeArgs {
    /// `runlens analyze`'s arguments from a list without the program and
    /// subcommand names, checked as the command line checks them (the Python
    /// package and squad tests build settings this way). The error is clap's
    /// message, as the terminal would show it.
    pub fn parse_from<S: Into<std::ffi::OsString>>(argv: impl IntoIterator<Item = S>) -> Result<AnalyzeArgs, String> {
        let full = ["runlens".into(), "analyze".into()].into_iter().chain(argv.into_iter().map(Into::into));
        match Cli::try_parse_from(full) {
            Ok(Cli { command: Command::Analyze(analyze) }) => Ok(analyze),
            Ok(_) => Err("not the arguments of `runlens analyze`".to_owned()),
            Err(e) => Err(e.render().to_string().trim().to_owned()),
        }
    }
}

#[derive(Debug, Args)]
pub struct InspectArgs {
    /// One activity file (or a zip, to inspect each activity in it).
    pub file: PathBuf,
}
