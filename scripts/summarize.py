#!/usr/bin/env python3
"""Add up the results of `meson test` in one or more build directories.

Reads each BUILD/meson-logs/testlog.json. A doctest executable counts its own test cases
(from its "[doctest] test cases: ..." line); any other test counts as one. A test that
crashed or timed out before doctest could report counts as one failure. Prints a line per
test, then the closing line "N passed, M failed", and exits non-zero if M > 0.
"""
import argparse
import json
import pathlib
import re
import sys

DOCTEST = re.compile(r"\[doctest\] test cases:\s*(\d+)\s*\|\s*(\d+) passed\s*\|\s*(\d+) failed\s*\|\s*(\d+) skipped")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--build-failures", type=int, default=0)
    ap.add_argument("--extra", nargs=3, action="append", default=[], metavar=("NAME", "PASSED", "FAILED"),
                    help="results counted elsewhere (e.g. the fuzz targets of scripts/fuzz.sh)")
    ap.add_argument("builds", nargs="*")
    args = ap.parse_args()
    passed = failed = skipped = 0
    failed += args.build_failures
    for build in args.builds:
        log = pathlib.Path(build) / "meson-logs" / "testlog.json"
        if not log.exists():
            print(f"{build}: no test log")
            failed += 1
            continue
        for line in log.read_text().splitlines():
            if not line.strip():
                continue
            t = json.loads(line)
            name, result, out = t.get("name", "?"), t.get("result", "?"), t.get("stdout", "") or ""
            m = DOCTEST.findall(out)
            if m and result in ("OK", "FAIL"):
                _, p, f, s = (int(x) for x in m[-1])
                passed, failed, skipped = passed + p, failed + f, skipped + s
                detail = f"{p} passed, {f} failed test cases"
            elif result == "OK":
                passed += 1
                detail = "1 passed"
            elif result in ("SKIP", "EXPECTEDFAIL"):
                skipped += 1
                detail = "skipped"
            else:
                failed += 1
                detail = "1 failed"
            print(f"{pathlib.Path(build).name:6} {name:28} {result:8} {detail}")
            for note in re.findall(r"^(?:interop peer|corpus|idl-parser): .*$", out, re.M):
                print(f"{'':6} {'':28} {'':8} {note}")
    for name, p, f in args.extra:
        passed, failed = passed + int(p), failed + int(f)
        print(f"{name:6} {'(' + name + ' targets)':28} {'FAIL' if int(f) else 'OK':8} {p} passed, {f} failed")
    if args.build_failures:
        print(f"{args.build_failures} build(s) failed to compile")
    print(f"{passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
