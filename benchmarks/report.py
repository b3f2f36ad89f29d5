#!/usr/bin/env python3
"""Turns JMH JSON results (-rf json) of this module into the markdown tables of docs/benchmarks.md.

usage: python3 benchmarks/report.py set.json single.json guard.json
"""
import json
import sys
from collections import defaultdict


def load(path):
    with open(path) as f:
        return json.load(f)


def short(name):
    return name.rsplit(".", 1)[-1]


def alloc(r):
    m = r.get("secondaryMetrics", {}).get("gc.alloc.rate.norm")
    return m["score"] if m else float("nan")


def fmt_us(x):
    return f"{x:,.1f}" if x >= 10 else f"{x:.2f}"


def set_tables(results):
    by = {}
    for r in results:
        p = r["params"]
        by[(short(r["benchmark"]), p["input"], int(p["size"]))] = r
    inputs = []
    for (_, inp, _) in by:
        if inp not in inputs:
            inputs.append(inp)
    sizes = sorted({k[2] for k in by})
    for phase in ("prompt", "response"):
        print(f"\n#### {phase} phase (all {phase}-phase detectors)\n")
        print("| input | size | µs/op | MB/s | × prose | alloc B/op | alloc ÷ input |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        for inp in inputs:
            for size in sizes:
                r = by.get((phase, inp, size))
                if r is None:
                    continue
                us = r["primaryMetric"]["score"]
                prose = by.get((phase, "prose", size))
                ratio = us / prose["primaryMetric"]["score"] if prose else float("nan")
                mbs = size / us  # bytes per µs == MB/s (10^6)
                a = alloc(r)
                print(f"| {inp} | {size // 1024} KB | {fmt_us(us)} | {mbs:,.1f} | {ratio:.1f} | {a:,.0f} | {a / size:.2f} |")
        p1 = by.get((phase, "prose", 1024))
        p100 = by.get((phase, "prose", 102400))
        if p1 and p100:
            variants = p1["params"].get("variants", "1")
            print(f"\n100 KB ÷ 1 KB on prose ({phase}, {variants} different texts of each size): "
                  f"{p100['primaryMetric']['score'] / p1['primaryMetric']['score']:.0f}× (target ≤ 120×)")


def single_table(results):
    rows = defaultdict(dict)
    for r in results:
        p = r["params"]
        rows[p["detector"]][(p["input"], int(p["size"]))] = (r["primaryMetric"]["score"], alloc(r))
    cols = sorted({c for d in rows.values() for c in d}, key=lambda c: (c[0] != "prose", c[1]))
    head = " | ".join(f"{inp} {size // 1024} KB µs (B)" for inp, size in cols)
    print(f"\n| detector | {head} |")
    print("| --- |" + " ---: |" * len(cols))
    for det in sorted(rows, key=lambda d: -rows[d].get(("prose", 102400), (0, 0))[0]):
        cells = []
        for c in cols:
            v = rows[det].get(c)
            cells.append(f"{fmt_us(v[0])} ({v[1]:,.0f})" if v else "–")
        print(f"| {det} | " + " | ".join(cells) + " |")


def guard_table(results):
    print("\n| benchmark | samples | mean µs | p50 | p90 | p99 | p99.9 |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in results:
        pm = r["primaryMetric"]
        pc = pm["scorePercentiles"]
        n = sum(count for fork in pm.get("rawDataHistogram", []) for it in fork for _, count in it)
        print(f"| {short(r['benchmark'])} | {n:,} | {fmt_us(pm['score'])} | {fmt_us(pc['50.0'])} | {fmt_us(pc['90.0'])} | "
              f"{fmt_us(pc['99.0'])} | {fmt_us(pc['99.9'])} |")


if __name__ == "__main__":
    for path in sys.argv[1:]:
        data = load(path)
        if not data:
            continue
        name = short(data[0]["benchmark"].rsplit(".", 1)[0])
        print(f"\n### {name}")
        if name == "DetectorSetBenchmark":
            set_tables(data)
        elif name == "SingleDetectorBenchmark":
            single_table(data)
        else:
            guard_table(data)
