"""Run every benchmark and write docs/performance.md (``make bench``).

Each module in ``MODULES`` has a ``run()`` returning a list of dicts of figures; they run
one after another, each in a fresh interpreter, on this machine, so the ratios in one
table compare figures measured in the same run. Benchmarks print and record figures;
they never fail on a timing.
"""

import datetime
import importlib
import importlib.util
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "docs" / "performance.md"

# (module, title, what it compares against)
MODULES = [
    ("bench.bench_allocation", "Allocation (verdeelregel)", "the 1,000-candidate case"),
    (
        "bench.bench_letters",
        "Letters, raw reportlab",
        "none: this is the baseline for round letters",
    ),
    (
        "bench.bench_round_letters",
        "Letters for a round, with the database",
        "raw reportlab letters",
    ),
    (
        "bench.bench_vaststelling",
        "Vaststellingen with their letters, with the database",
        "reportlab alone rendering the same 1,000 vaststelling letters",
    ),
    ("bench.bench_queue", "Assessor queue page", "the queue with 100 applications"),
    (
        "bench.bench_exports",
        "Exports",
        "one SQL query written by csv or openpyxl (COPY on PostgreSQL)",
    ),
    (
        "bench.bench_payments",
        "Payment batch to a SEPA file",
        "sepaxml alone building the same 1,000 transfers",
    ),
    ("bench.bench_pages", "Page latency", "a bare Django view"),
    ("bench.bench_load", "Deadline rush (load test)", "the same pages without load"),
    (
        "bench.bench_rush",
        "Deadline rush at saturation",
        "a bare view on the same gunicorn server (2 workers)",
    ),
]


def machine():
    def first_line(command):
        try:
            return subprocess.run(
                command, capture_output=True, text=True, check=False
            ).stdout.strip()
        except OSError:
            return "?"

    cpu = "?"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = "?"
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kib = int(meminfo.read_text().split()[1])
        memory = f"{kib / 1024 / 1024:.1f} GiB"
    return {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "python": platform.python_version(),
        "cpu": f"{cpu} ({os.cpu_count()} cores)",
        "memory": memory,
        "load average": (
            " ".join(f"{x:.1f}" for x in os.getloadavg())
            if hasattr(os, "getloadavg")
            else "?"
        ),
        "commit": first_line(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"])
        or "?",
    }


def table(rows):
    if not rows:
        return "_no figures_\n"
    columns = list(dict.fromkeys(key for row in rows for key in row))
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for row in rows:
        lines.append(
            "| " + " | ".join(str(row.get(column, "")) for column in columns) + " |"
        )
    return "\n".join(lines) + "\n"


#: Runs one benchmark in a fresh interpreter and writes its rows and notes as JSON.
CHILD = """
import importlib, json, sys
module = importlib.import_module(sys.argv[1])
rows = module.run()
with open(sys.argv[2], "w") as out:
    json.dump({"rows": rows, "notes": getattr(module, "NOTES", "")}, out, default=str)
"""


def run_isolated(name):
    """Each benchmark sets Django up, makes its own test database and URLs: one
    interpreter each, so none inherits another's state. Returns (rows, notes)."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "rows.json"
        subprocess.run(
            [sys.executable, "-c", CHILD, name, str(out)], cwd=ROOT, check=True
        )
        result = json.loads(out.read_text())
    return result["rows"], result["notes"]


def main(argv=None):
    only = set(argv if argv is not None else sys.argv[1:])
    sys.path.insert(0, str(ROOT))
    sections = []
    failed = []
    for name, title, baseline in MODULES:
        if only and name.rsplit(".", 1)[-1] not in only:
            continue
        if importlib.util.find_spec(name) is None:
            continue  # that benchmark does not exist (yet)
        print(f"== {title}", flush=True)
        started = time.perf_counter()
        try:
            rows, notes = run_isolated(name)
        except subprocess.CalledProcessError as error:
            # One broken benchmark must not hide the others; its traceback is above.
            failed.append(title)
            rows, notes = [{"error": f"exit status {error.returncode}"}], ""
        took = time.perf_counter() - started
        print(table(rows), flush=True)
        sections.append((title, baseline, rows, took, notes))

    info = machine()
    parts = [
        "# Performance\n",
        "Figures from one run of `make bench` on one machine; the ratios compare figures "
        "measured in that same run. They are measurements, not requirements: no test "
        "fails on a timing.\n",
        "| machine | |\n|---|---|\n"
        + "".join(f"| {key} | {value} |\n" for key, value in info.items()),
    ]
    for title, baseline, rows, took, notes in sections:
        parts.append(
            f"## {title}\n\nBaseline: {baseline}. The benchmark took {took:.1f} s.\n\n"
            f"{table(rows)}" + (f"\n{notes}" if notes else "")
        )
    OUTPUT.write_text("\n".join(parts))
    print(f"wrote {OUTPUT.relative_to(ROOT)}")
    if failed:
        sys.exit(f"these benchmarks failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
