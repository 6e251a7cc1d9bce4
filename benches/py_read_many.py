#!/usr/bin/env python3
"""pyrunlens.read_many against fitdecode (FIT) and gpxpy (GPX) on the same
files: each reads every file into one table of samples (time, position,
altitude, distance, speed, heart rate...), and the figure is input MB/s.

    python3 benches/py_read_many.py [FOLDER ...]   # default: $RUNLENS_REALDATA

The script makes its own venv (~/.cache/runlens-bench-venv-*) with the
pinned peers below and builds pyrunlens into it (maturin, sharing
CARGO_TARGET_DIR), then re-runs itself there. runlens is timed on all cores
and on one (RAYON_NUM_THREADS=1); the peers are pure Python, one core.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
PINNED = ["fitdecode==0.11.0", "gpxpy==1.6.2", "polars==2.1.0", "maturin==1.16.0"]
FIT_FIELDS = ["timestamp", "position_lat", "position_long", "enhanced_altitude", "distance", "enhanced_speed",
              "heart_rate", "cadence", "power", "temperature"]
SEMICIRCLE_DEG = 180.0 / 2**31


def venv() -> Path:
    """The bench venv, created and filled once per pinned set."""
    tag = hashlib.sha256(" ".join(PINNED).encode()).hexdigest()[:12]
    path = Path.home() / ".cache" / f"runlens-bench-venv-{tag}"
    if not (path / ".complete").exists():
        subprocess.run([sys.executable, "-m", "venv", str(path)], check=True)
        subprocess.run([path / "bin" / "pip", "install", "-q", *PINNED], check=True)
        (path / ".complete").touch()
    env = dict(os.environ, VIRTUAL_ENV=str(path), PATH=f"{path / 'bin'}:{os.environ['PATH']}")
    subprocess.run(["maturin", "develop", "--release", "-q"], cwd=REPO / "python", env=env, check=True)
    return path


def fitdecode_table(path: Path) -> Any:
    import fitdecode
    import polars as pl

    rows = []
    with fitdecode.FitReader(str(path)) as fit:
        for frame in fit:
            if isinstance(frame, fitdecode.FitDataMessage) and frame.name == "record":
                rows.append({name: frame.get_value(name, fallback=None) for name in FIT_FIELDS})
    table = pl.DataFrame(rows, infer_schema_length=None)
    return table.with_columns(pl.col(c) * SEMICIRCLE_DEG for c in ("position_lat", "position_long")
                              if c in table.columns)


def gpxpy_table(path: Path) -> Any:
    import gpxpy
    import polars as pl

    with open(path, encoding="utf-8", errors="replace") as f:
        gpx = gpxpy.parse(f)
    return pl.DataFrame(
        [{"time": p.time, "lat": p.latitude, "lon": p.longitude, "ele": p.elevation}
         for track in gpx.tracks for segment in track.segments for p in segment.points],
        infer_schema_length=None,
    )


def readable(files: list[Path], read: Callable[[Path], Any]) -> list[Path]:
    """The files a reader reads without error: both sides time the same set."""
    ok = []
    for f in files:
        try:
            read(f)
            ok.append(f)
        except Exception:  # noqa: BLE001 - a peer's failure only removes the file from the set
            pass
    return ok


def timed(run: Callable[[], object], repeat: int = 5) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


def one_core_seconds(files: list[Path]) -> float:
    """read_many with a one-thread pool, in a fresh process (rayon reads
    RAYON_NUM_THREADS once)."""
    code = ("import sys,time,pyrunlens as rl;fs=sys.argv[1:];rl.read_many(fs);ts=[]\n"
            "for _ in range(5):\n t=time.perf_counter();rl.read_many(fs);ts.append(time.perf_counter()-t)\n"
            "print(min(ts))")
    env = dict(os.environ, RAYON_NUM_THREADS="1")
    out = subprocess.run([sys.executable, "-c", code, *map(str, files)], env=env, check=True, capture_output=True)
    return float(out.stdout)


def bench(kind: str, files: list[Path], peer: Callable[[Path], Any], peer_name: str) -> None:
    import pyrunlens as rl

    files = [f for f in readable(files, peer) if f in set(readable(files, rl.read))]
    if not files:
        print(f"{kind}: no file both read")
        return
    mb = sum(f.stat().st_size for f in files) / 1e6
    runlens_s = timed(lambda: rl.read_many(files))
    single_s = one_core_seconds(files)
    peer_s = timed(lambda: [peer(f) for f in files], repeat=1)
    print(f"{kind}: {len(files)} files, {mb:.1f} MB")
    print(f"  pyrunlens.read_many, {os.cpu_count()} cores: {mb / runlens_s:8.1f} MB/s")
    print(f"  pyrunlens.read_many, 1 core:  {mb / single_s:8.1f} MB/s")
    print(f"  {peer_name}, 1 core: {mb / peer_s:8.2f} MB/s ({peer_s / single_s:.0f}x slower per core)")


def main() -> int:
    if os.environ.get("RUNLENS_BENCH_VENV") is None:
        path = venv()
        env = dict(os.environ, RUNLENS_BENCH_VENV=str(path))
        return subprocess.run([path / "bin" / "python", __file__, *sys.argv[1:]], env=env).returncode
    folders = [Path(a) for a in sys.argv[1:]] or [Path(os.environ.get("RUNLENS_REALDATA", "../shared/realdata"))]
    files = sorted(f for d in folders for f in d.rglob("*") if f.is_file())
    bench("FIT", [f for f in files if f.suffix.lower() == ".fit"], fitdecode_table, "fitdecode 0.11.0")
    bench("GPX", [f for f in files if f.suffix.lower() == ".gpx"], gpxpy_table, "gpxpy 1.6.2")
    return 0


if __name__ == "__main__":
    sys.exit(main())
