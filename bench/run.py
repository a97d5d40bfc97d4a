"""`make bench`: scale scenarios, one module per area (bench/scenario_*.py).

Each scenario builds its data in a throw-away database (SQLite file by default, or the
PostgreSQL of BENCH_DATABASE_URL), times the work Placette does through the ORM and the same
work as raw SQL, and the whole run writes docs/benchmarks.md. Never part of the test suite.
"""

import importlib
import os
import platform
import re
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "bench" / "out"
OUT.mkdir(exist_ok=True)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "placette.settings")
# Development settings (production ones refuse to start without a mail relay and redirect the
# test client to HTTPS); DEBUG's query log costs microseconds per query.
os.environ.setdefault("DEBUG", "1")
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", f"sqlite:///{OUT / 'bench.sqlite3'}"
)
os.environ.setdefault("PLACETTE_MANIFEST_STATIC", "0")
os.environ.setdefault("TASKS_BACKEND", "django.tasks.backends.immediate.ImmediateBackend")


@dataclass
class Report:
    area: str
    rows: list[tuple[str, str, str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def timed(self, label: str, orm, raw_sql=None, repeat: int = 3, median: bool = False) -> None:
        """Best of `repeat` runs of the ORM work, beside the best of the same work in raw SQL
        (with `median`, the median of the runs: steadier on a machine shared with others)."""
        measure = _median if median else _best
        self.rows.append(
            (label, measure(orm, repeat), measure(raw_sql, repeat) if raw_sql else "—", "")
        )

    def fact(self, label: str, value: str) -> None:
        self.rows.append((label, value, "", ""))


def _times(func, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return times


def _text(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 10 else f"{seconds:.1f} s"


def _best(func, repeat: int) -> str:
    return _text(min(_times(func, repeat)))


def _median(func, repeat: int) -> str:
    return _text(statistics.median(_times(func, repeat)))


def main() -> None:
    import django

    if os.environ["DATABASE_URL"].startswith("sqlite:///"):
        Path(os.environ["DATABASE_URL"][len("sqlite:///") :]).unlink(missing_ok=True)
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    only = set(sys.argv[1:])
    reports = []
    for path in sorted((ROOT / "bench").glob("scenario_*.py")):
        name = path.stem.removeprefix("scenario_")
        if only and name not in only:
            continue
        print(f"— {name}", flush=True)
        module = importlib.import_module(f"bench.{path.stem}")
        report = Report(area=module.AREA)
        start = time.perf_counter()
        module.run(report)
        report.notes.append(
            f"scénario complet (données comprises) : {time.perf_counter() - start:.0f} s"
        )
        reports.append(report)
        for row in report.rows:
            print(f"   {row[0]:<60} {row[1]:>10} {row[2]:>10}")
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (bench/run.py). Timings are the best of 3 runs on the machine",
        f"below, database `{connection.vendor}`; « SQL brut » is the same work written by hand",
        "in SQL, the floor the ORM code is compared with. On PostgreSQL: "
        "`BENCH_DATABASE_URL=postgres://… make bench`.",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, run {time.strftime('%Y-%m-%d')}.",
        "",
    ]
    for report in reports:
        lines += [f"## {report.area}", "", "| work | Placette (ORM) | raw SQL |", "|---|---:|---:|"]
        lines += [f"| {label} | {orm} | {raw} |" for label, orm, raw, _ in report.rows]
        lines += [""] + [f"- {note}" for note in report.notes] + [""]
    if not only:
        doc = ROOT / "docs" / "benchmarks.md"
        # The load test's sections (bench/load.py) are kept as they are.
        kept = re.findall(r"<!-- load:start -->.*?<!-- load:end -->", doc.read_text(), re.S)
        doc.write_text("\n".join(lines + kept) + "\n")
        print("→ docs/benchmarks.md")


if __name__ == "__main__":
    main()
