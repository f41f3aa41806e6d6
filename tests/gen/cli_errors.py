#!/usr/bin/python3
"""corothrift-gen on IDL it cannot represent: exit status 1 and one exact error line each.

usage: cli_errors.py GEN
"""
import pathlib
import subprocess
import sys
import tempfile

CASES = [
    ("struct Node { 1: i32 v, 2: optional Node & next }\nstruct H { 1: set<Node> s }\n",
     "x.thrift:2:15: error: struct Node is a set element or map key but holds a reference (&) field, "
     "which has no ordering; use a list, or a key without references"),
    # a field held by reference only to break a by-value cycle (B.a) has no ordering either
    ("struct A { 1: B b }\nstruct B { 1: A a }\nstruct K { 1: set<A> s }\n",
     "x.thrift:3:15: error: struct A is a set element or map key but holds a reference (&) field, "
     "which has no ordering; use a list, or a key without references"),
    ("exception E { 1: i32 code }\nservice S { i32 f() throws (1: E success) }\n",
     "x.thrift:2:34: error: the exception of S.f is named 'success', the name of the result's return value field"),
    ("union U { 1: i32 a, 2: string b }\nconst U BOTH = {\"a\": 1, \"b\": \"x\"}\n",
     "x.thrift:2:16: error: a constant of union U sets 2 fields; a union holds exactly one"),
    ("struct A {\n  1: i32 x\n  1: i32 y\n}\n",
     "x.thrift:3:3: error: duplicate field id 1 in struct A (first used by 'x' at line 2)"),
]


def main() -> int:
    gen = str(pathlib.Path(sys.argv[1]).resolve())
    failures = 0
    with tempfile.TemporaryDirectory() as d:
        for text, want in CASES:
            path = pathlib.Path(d) / "x.thrift"
            path.write_text(text)
            r = subprocess.run([gen, "-o", d, "x.thrift"], cwd=d, capture_output=True, text=True)
            lines = [l for l in r.stderr.splitlines() if ": error: " in l]
            if r.returncode != 1 or lines != [want]:
                failures += 1
                print(f"FAIL: exit {r.returncode}, stderr:\n{r.stderr}\nwanted:\n{want}\n")
    print(f"{len(CASES) - failures} passed, {failures} failed (corothrift-gen error cases)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
