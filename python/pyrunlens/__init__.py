"""runlens from Python: read runners' watch files (FIT, GPX, TCX; loose,
gzipped or inside zips) and analyze them into the same tables as the
``runlens analyze`` command line.

Tables cross from Rust through the Arrow PyCapsule interface
(``__arrow_c_stream__``) and become polars frames here (any polars
version that reads that interface); ``arrow=True``
hands back the stream objects instead, for pyarrow, pandas or DuckDB.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from typing import Any, Literal, Union

import polars as pl

from pyrunlens import _native
from pyrunlens._native import RunlensError

__all__ = ["RunlensError", "ArrowStream", "read", "read_summary", "read_many", "analyze", "analyze_summary"]
__version__: str = _native.__version__

PathLike = Union[str, "os.PathLike[str]"]

# Settings that only make sense for the command line's output folder and terminal.
_NOT_SETTINGS = {"out", "color", "strict", "progress"}


class ArrowStream:
    """One table as an Arrow C stream (the Arrow PyCapsule interface):
    ``pyarrow.table(s)``, ``polars.from_arrow(s)`` or DuckDB read it. It
    can be read once."""

    def __init__(self, capsule: object) -> None:
        self._capsule: object | None = capsule

    def __arrow_c_stream__(self, requested_schema: object | None = None) -> object:
        if self._capsule is None:
            raise RunlensError("this Arrow stream was already read")
        capsule, self._capsule = self._capsule, None
        return capsule


def _frame(capsule: object) -> pl.DataFrame:
    # polars' constructor takes any PyCapsule-interface object as a table
    # (``from_arrow`` reads a bare stream as a struct Series instead).
    return pl.DataFrame(ArrowStream(capsule))


def read(path: PathLike) -> pl.DataFrame:
    """One file's samples in time order, one row per sample: ``activity``
    (index within the file), ``time_utc``, then the channels in SI units
    (``lat_deg`` ... ``temperature_c``), null where not recorded.

    ``path`` is a FIT, GPX or TCX file, gzipped or not, or a member of a zip
    as ``archive.zip!folder/run.fit``. Raises :class:`RunlensError` naming
    the file when it cannot be read."""
    samples, _ = _native.read(os.fspath(path))
    return _frame(samples)


def read_summary(path: PathLike) -> pl.DataFrame:
    """One row per activity of the file: sport, start, duration, distance,
    heart rate, device... (what ``runlens inspect`` shows)."""
    _, summary = _native.read(os.fspath(path))
    return _frame(summary)


def read_many(
    paths: Iterable[PathLike],
    *,
    summaries: bool = False,
    on_error: Literal["raise", "skip"] = "raise",
) -> list[Any]:
    """Read many files in parallel (all cores, the GIL released), in the
    order given: a list of sample frames, or of ``(samples, summary)`` pairs
    with ``summaries=True``.

    With ``on_error="raise"`` the first unreadable file (in the order given)
    raises :class:`RunlensError`; with ``"skip"`` it gives ``None`` in its
    place and the rest are still returned."""
    if on_error not in ("raise", "skip"):
        raise ValueError(f"on_error must be 'raise' or 'skip', not {on_error!r}")
    results = _native.read_many([os.fspath(p) for p in paths])
    out: list[Any] = []
    for result in results:
        if isinstance(result, str):
            if on_error == "raise":
                raise RunlensError(result)
            out.append(None)
            continue
        samples, summary = result
        out.append((_frame(samples), _frame(summary)) if summaries else _frame(samples))
    return out


def _argv(paths: Sequence[PathLike], settings: dict[str, Any]) -> list[str]:
    """The settings as the command line's flags: ``max_hr=190`` is
    ``--max-hr 190``, ``sport=["running", "hiking"]`` is ``--sport
    running,hiking``, ``quiet=True`` is ``--quiet``."""
    argv = [os.fspath(p) for p in paths]
    for key, value in settings.items():
        if key in _NOT_SETTINGS:
            raise TypeError(f"analyze() does not take {key!r}: it writes nothing and prints nothing")
        flag = "--" + key.replace("_", "-")
        if value is None or value is False:
            continue
        if value is True:
            argv.append(flag)
        elif isinstance(value, (list, tuple)):
            argv += [flag, ",".join(str(v) for v in value)]
        else:
            argv += [flag, str(value)]
    return argv


def _analyze(paths: Sequence[PathLike] | None, settings: dict[str, Any]) -> tuple[list[Any], str]:
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    if paths is not None and len(paths) == 0:
        raise RunlensError("analyze() was given no paths (pass paths=None for the built-in demo export)")
    settings.setdefault("quiet", True)
    result: tuple[list[Any], str] = _native.analyze(_argv(paths or [], settings))
    return result


def analyze(paths: Sequence[PathLike] | PathLike | None, *, arrow: bool = False, **settings: Any) -> dict[str, Any]:
    """Analyze exports (zips, folders, files) like ``runlens analyze`` and
    return its tables by name: ``activities``, ``weekly``, ``daily``,
    ``routes``, ``route_tracks``, ``route_cells``, ``progression``,
    ``efforts``, ``skipped`` and ``findings`` (one sentence per row). ``paths=None`` analyzes the
    built-in demo export.

    Settings are the command line's flags in Python spelling
    (``max_hr=190``, ``since="2024-01-01"``, ``sport=["running"]``,
    ``units="imperial"``, ``jobs=4``, ``config="runlens.toml"``); a
    ``runlens.toml`` in the current folder applies as it does for the CLI.
    Per-file warnings are off unless ``quiet=False``; unreadable files are
    in ``skipped``. With ``arrow=True`` the values are :class:`ArrowStream`
    objects instead of polars frames."""
    tables, _ = _analyze(paths, settings)
    if arrow:
        return {name: ArrowStream(capsule) for name, capsule in tables}
    return {name: _frame(capsule) for name, capsule in tables}


def analyze_summary(paths: Sequence[PathLike] | PathLike | None, **settings: Any) -> dict[str, Any]:
    """What ``summary.json`` holds for the same analysis: counts, thresholds,
    findings."""
    _, summary = _analyze(paths, settings)
    parsed: dict[str, Any] = json.loads(summary)
    return parsed
