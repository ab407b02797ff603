"""`make bench`: run every ``bench/*_bench.py`` and print each figure next to its baseline.

Each benchmark module has a ``main()`` returning ``{name: (value, unit)}``. The recorded
figures are in ``bench/baseline.json`` (name → value, unit, date measured, machine).
``--record`` writes this run's figures there as the new baseline.

Benchmarks are never run by pytest: a timer in a test fails on a busy machine and proves
nothing on a fast one. Compare figures here, on the same machine, instead.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
from datetime import date
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
BASELINE = BENCH_DIR / "baseline.json"


def bench_modules(names: list[str] | None = None) -> list[Path]:
    paths = sorted(BENCH_DIR.glob("*_bench.py"))
    if names:
        paths = [p for p in paths if p.stem in names or p.stem.removesuffix("_bench") in names]
    return paths


def run_module(path: Path) -> dict[str, tuple[float, str]]:
    spec = importlib.util.spec_from_file_location(f"bench_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return {name: (float(value), unit) for name, (value, unit) in module.main().items()}


def load_baseline() -> dict[str, dict]:
    if not BASELINE.exists():
        return {}
    return json.loads(BASELINE.read_text(encoding="utf-8"))


def _number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.3g}"


def table(results: dict[str, tuple[float, str]], baseline: dict[str, dict]) -> str:
    rows = [("benchmark", "this run", "baseline", "change", "baseline measured")]
    for name, (value, unit) in results.items():
        recorded = baseline.get(name)
        if recorded is None:
            rows.append((name, f"{_number(value)} {unit}", "-", "-", "-"))
            continue
        base = float(recorded["value"])
        change = f"{(value - base) / base:+.1%}" if base else "-"
        if recorded.get("unit") != unit:
            change = f"unit was {recorded.get('unit')}"
        rows.append(
            (
                name,
                f"{_number(value)} {unit}",
                f"{_number(base)} {recorded.get('unit', '')}".strip(),
                change,
                f"{recorded.get('measured', '?')}, {recorded.get('machine', '?')}",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def record(results: dict[str, tuple[float, str]], baseline: dict[str, dict]) -> None:
    machine = f"{os.cpu_count()} cores"
    for name, (value, unit) in results.items():
        baseline[name] = {
            "value": int(value) if value.is_integer() else value,
            "unit": unit,
            "measured": date.today().isoformat(),
            "machine": machine,
        }
    BASELINE.write_text(json.dumps(baseline, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("only", nargs="*", help="run only these benchmarks (e.g. seed)")
    parser.add_argument(
        "--record", action="store_true", help="write this run's figures to bench/baseline.json"
    )
    args = parser.parse_args(argv)

    paths = bench_modules(args.only)
    if not paths:
        print(f"no benchmark matches {' '.join(args.only)}", file=sys.stderr)
        return 2
    results: dict[str, tuple[float, str]] = {}
    for path in paths:
        print(f"running {path.name} …", file=sys.stderr, flush=True)
        results.update(run_module(path))
    baseline = load_baseline()
    print(table(results, baseline))
    if args.record:
        record(results, baseline)
        print(f"recorded in {BASELINE.relative_to(BENCH_DIR.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
