#!/usr/bin/env python3
"""Turn serialization_bench's JSON output into the README table.

Rows are named case/direction/implementation. Every time is the median of the
repetitions of one run of one binary; ratios are Apache's median time divided by
corothrift's (higher is better for corothrift), and for memcpy corothrift's share of
memcpy's bandwidth on the same number of bytes.

    serialization_bench --benchmark_repetitions=9 --benchmark_format=json > out.json
    python3 bench/report.py out.json
"""
import json
import platform
import sys

CASES = [
    ("small", "small struct (6 fields, 43 B)"),
    ("list_i64_1000", "list<i64> x 1,000"),
    ("binary_64k", "64 KiB binary"),
    ("nested_map_100", "nested, map<string,i32> x 100"),
    ("message_small", "message header + small struct"),
]


def cpu_model() -> str:
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def main() -> int:
    data = json.load(open(sys.argv[1]) if len(sys.argv) > 1 else sys.stdin)
    med = {}
    for b in data["benchmarks"]:
        if b.get("run_type") == "aggregate" and b.get("aggregate_name") != "median":
            continue
        name = b.get("run_name", b["name"])
        med[name] = b  # the median aggregate, or the single run when there are no repetitions
    ctx = data.get("context", {})
    reps = max((b.get("repetitions", 1) for b in data["benchmarks"]), default=1)

    def ns(name):
        b = med.get(name)
        if not b:
            return None
        scale = {"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9}[b.get("time_unit", "ns")]
        return b["real_time"] * scale

    def fmt(v):
        return "—" if v is None else (f"{v:,.1f}" if v < 100 else f"{v:,.0f}")

    def ratio(a, b):
        return "—" if a is None or b is None else f"{a / b:.1f}x"

    print(f"Machine: {cpu_model()}, {ctx.get('num_cpus', '?')} cores; "
          f"medians of {reps} repetitions, one run of one binary.")
    print()
    print("| case | direction | corothrift ns | Apache usual ns | Apache templates ns "
          "| vs usual | vs templates | memcpy ns | corothrift / memcpy bandwidth |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for key, label in CASES:
        copy = ns(f"{key}/copy/memcpy")
        for direction in ("encode", "decode", "decode_fresh", "decode_4k_aliased"):
            ours = ns(f"{key}/{direction}/corothrift")
            if ours is None:
                continue
            usual = ns(f"{key}/{direction}/apache_usual")
            tmpl = ns(f"{key}/{direction}/apache_templates")
            same = ns(f"{key}/{direction}/memcpy_same_placement")
            copy_here = same if same is not None else copy
            bw = f"{copy_here / ours:.2f}" if copy_here else "—"
            print(f"| {label} | {direction.replace('_', ' ')} | {fmt(ours)} | {fmt(usual)} | {fmt(tmpl)} "
                  f"| {ratio(usual, ours)} | {ratio(tmpl, ours)} | {fmt(copy_here)} | {bw} |")
        view = ns(f"{key}/decode/corothrift_view")
        if view is not None:
            print(f"| {label} | decode, zero-copy view | {fmt(view)} | | | | | {fmt(copy)} | "
                  f"{copy / view:.0f} |")
    print()
    print("memcpy ns: memcpy of the same number of bytes (for `decode 4k aliased`: memcpy with the "
          "same source/destination placement, 16 bytes apart modulo 4 KiB).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
