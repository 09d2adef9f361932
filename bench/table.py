"""Turns bench/run.sh's JSON lines into one table: each lpconfig figure beside
its baselines, as medians, spreads and ratios. Stdlib only.

    python3 bench/table.py results.jsonl
"""

from __future__ import annotations

import json
import statistics
import sys
from collections import OrderedDict
from typing import Dict, List


# Units in which less is better (ratios are then baseline / lpconfig).
LOWER_IS_BETTER = ("s", "µs/call")


def fmt(x: float, unit: str) -> str:
    if unit == "s":
        return f"{x * 1000:.0f} ms"
    if unit == "µs/call":
        return f"{x:.0f} µs"
    if unit in ("calls/s", "req/s"):
        return f"{x:,.0f}/s"
    return f"{x:.2f} {unit}"


def spread(xs: List[float]) -> str:
    m = statistics.median(xs)
    if len(xs) < 2 or m == 0:
        return ""
    return f"±{(max(xs) - min(xs)) / 2 / m * 100:.0f}%"


def main() -> None:
    benches: "OrderedDict[str, Dict[str, dict]]" = OrderedDict()
    notes: List[str] = []
    for line in open(sys.argv[1]):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        row = json.loads(line)
        if "note" in row:
            notes.append(row["note"])
            continue
        benches.setdefault(row["bench"], OrderedDict())[row["client"]] = row
    out = []
    out.append("| benchmark | client | median | spread | lpconfig ratio (per-round median, min–max) |")
    out.append("| --- | --- | --- | --- | --- |")
    for bench, clients in benches.items():
        lp = clients.get("lpconfig")
        base = next(((n, r) for n, r in clients.items() if n.endswith("(baseline)")), None)
        for name, row in clients.items():
            xs = row["samples"]
            unit = row["unit"]
            ratio = ""
            if lp is not None and name.endswith("ceiling"):
                # Measured apart from the alternating rounds: medians only, never per-round ratios.
                lp_median = statistics.median(lp["samples"])
                lp_rate = 1 / lp_median if lp["unit"] in LOWER_IS_BETTER else lp_median
                frac = lp_rate / statistics.median(xs)
                ratio = f"lpconfig reaches {frac * 100:.0f}% of it"
                # The best baseline's share tells what a target of "k× that baseline" asks of the
                # machine: beyond 100% it asks for more than the load generator itself reaches.
                others = [
                    (statistics.median(r["samples"]), n)
                    for n, r in clients.items()
                    if n not in ("lpconfig", name) and r["unit"] == lp["unit"] and lp["unit"] not in LOWER_IS_BETTER
                ]
                if others:
                    best, best_name = max(others)
                    ratio += f"; {best_name} {best / statistics.median(xs) * 100:.0f}%"
            elif lp is not None and name != "lpconfig" and lp["unit"] == unit:
                # Rates: lpconfig / baseline; times and CPU: baseline / lpconfig (>1: lpconfig wins).
                # Rounds alternate, so round i of both clients ran under the same load.
                pairs = list(zip(lp["samples"], xs))
                rs = [(b / a) if unit in LOWER_IS_BETTER else (a / b) for a, b in pairs]
                ratio = f"**{statistics.median(rs):.2f}×** ({min(rs):.2f}–{max(rs):.2f})"
            elif lp is None and base is not None and name != base[0] and base[1]["unit"] == unit:
                # No lpconfig row: lpconfig's variants against a reference (the CLI against the
                # core's list), per round, as "× the reference's time" (<1.3 is the target).
                rs = [a / b for a, b in zip(xs, base[1]["samples"])]
                ratio = f"**{statistics.median(rs):.2f}×** its time ({min(rs):.2f}–{max(rs):.2f})"
            out.append(f"| {bench} | {name} | {fmt(statistics.median(xs), unit)} | {spread(xs)} | {ratio} |")
    print("\n".join(out))
    for n in notes:
        print(f"- {n}")


if __name__ == "__main__":
    main()
