#!/bin/sh
# Squad mode at scale (issue 15 item 2): N simulated athletes x 500 runs
# (5 s smart recording, ~700 records per run) for N = 10, 30 and 100, each
# analyzed by the release binary under /usr/bin/time -v. Prints wall time,
# CPU time (user + system), peak RSS and the per-athlete figures; time
# should grow linearly in N and peak RSS stay flat (one athlete in flight).
#
#   benches/squad_scale.sh [WORK_DIR] [N...]      (default: a temp dir; 10 30 100)
#
# Targets: 100 athletes (50,000 activities) in < 60 s, peak RSS < 1 GB.
set -eu
target=${CARGO_TARGET_DIR:-target}
cargo build --release --workspace --quiet
work=${1:-$(mktemp -d)}
[ $# -gt 0 ] && shift
sizes=${*:-10 30 100}
runs=500
mkdir -p "$work"
printf '%9s %11s %8s %8s %9s %14s %14s\n' athletes activities wall_s cpu_s rss_mb wall_s/athlete cpu_s/athlete
for n in $sizes; do
    input="$work/in-$n"
    [ -d "$input" ] || "$target/release/runlens-sim" squad "$input" --athletes "$n" --runs "$runs"
    rm -rf "$work/out-$n"
    /usr/bin/time -v "$target/release/runlens" analyze -q --athletes "$input" --out "$work/out-$n" \
        >/dev/null 2>"$work/time-$n.txt"
    awk -v n="$n" -v runs="$runs" -F': ' '
        /User time/ { user = $2 } /System time/ { sys = $2 }
        /Maximum resident/ { rss = $2 / 1024 }
        /Elapsed/ { k = split($2, p, ":"); wall = 0; for (i = 1; i <= k; i++) wall = wall * 60 + p[i] }
        END { printf "%9d %11d %8.1f %8.1f %9.0f %14.3f %14.3f\n", n, n * runs, wall, user + sys, rss, wall / n, (user + sys) / n }
    ' "$work/time-$n.txt"
done
