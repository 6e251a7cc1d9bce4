#!/usr/bin/env python3
"""The comparable work in the Python stack runners use today (fitdecode +
pandas), so anyone can reproduce runlens's speed ratio on the same files:
parse every FIT file, then per run the distance, duration, mean HR and the
mean pace in a heart-rate band after the first 10 minutes.

    pip install fitdecode pandas
    cargo run --release -p runlens-sim -- export 1000 /tmp/bench-in
    python3 benches/peer_fitdecode.py /tmp/bench-in
    time target/release/runlens analyze /tmp/bench-in --quiet --out /tmp/bench-out
"""

import argparse
import os
import sys
import time

import fitdecode
import pandas as pd


def records(path):
    rows = []
    with fitdecode.FitReader(path) as fit:
        for frame in fit:
            if isinstance(frame, fitdecode.FitDataMessage) and frame.name == "record":
                get = lambda name: frame.get_value(name, fallback=None)
                speed = get("enhanced_speed")
                rows.append(
                    {
                        "timestamp": get("timestamp"),
                        "heart_rate": get("heart_rate"),
                        "speed": speed if speed is not None else get("speed"),
                        "distance": get("distance"),
                    }
                )
    return pd.DataFrame(rows)


def summarize(df, target_hr, band):
    df = df.dropna(subset=["timestamp"]).sort_values("timestamp")
    elapsed = (df["timestamp"] - df["timestamp"].iloc[0]).dt.total_seconds()
    steady = df[(elapsed >= 600) & ((df["heart_rate"] - target_hr).abs() <= band) & (df["speed"] > 0)]
    speed = steady["speed"].mean() if len(steady) else float("nan")
    return {
        "duration_s": elapsed.iloc[-1],
        "distance_m": df["distance"].max() - df["distance"].min(),
        "avg_hr_bpm": df["heart_rate"].mean(),
        "pace_at_hr_s_per_km": 1000.0 / speed if speed == speed and speed > 0 else float("nan"),
    }


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("folder")
    p.add_argument("--target-hr", type=float, default=145.0)
    p.add_argument("--band", type=float, default=5.0)
    args = p.parse_args()
    files = sorted(os.path.join(args.folder, f) for f in os.listdir(args.folder) if f.lower().endswith(".fit"))
    size = sum(os.path.getsize(f) for f in files)
    start = time.perf_counter()
    results = [summarize(records(f), args.target_hr, args.band) for f in files]
    seconds = time.perf_counter() - start
    table = pd.DataFrame(results)
    print(f"{len(files)} files, {size / 1e6:.1f} MB in {seconds:.1f} s ({size / 1e6 / seconds:.2f} MB/s)")
    print(f"median pace at {args.target_hr:.0f}+-{args.band:.0f} bpm: {table['pace_at_hr_s_per_km'].median():.1f} s/km")
    return 0


if __name__ == "__main__":
    sys.exit(main())
