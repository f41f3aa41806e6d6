#!/usr/bin/python3
"""Generate C++ for every .thrift file of the shared IDL corpus (twice: the output must be
the same bytes), compile it with the project's compiler and -Wall -Wextra -Werror, and
run the generated self-test (a default instance of every struct round-trips through
encode/decode).

usage: corpus_compile.py GEN CORPUS_DIR WORK_DIR CXX [CXX_ARGS...] -- INCLUDE_DIR...
"""
import concurrent.futures
import os
import pathlib
import shutil
import subprocess
import sys


def main() -> int:
    gen, corpus, work = sys.argv[1:4]
    rest = sys.argv[4:]
    sep = rest.index("--")
    cxx, includes = rest[:sep], rest[sep + 1:]
    corpus = pathlib.Path(corpus)
    if not corpus.is_dir():
        print(f"IDL corpus not found at {corpus}: it must sit at ../shared/idl-corpus beside the repository")
        return 1
    work = pathlib.Path(work)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    files = sorted(corpus.rglob("*.thrift"))
    inc_args = ["-I", str(corpus / "apache-thrift" / "contrib"), "-I", str(corpus / "hive" / "thrift-home")]

    def one(item):
        i, path = item
        out = work / f"{i:02d}"
        rel = path.relative_to(corpus)
        g = subprocess.run([gen, "-r", "--selftest", "-o", str(out), *inc_args, str(path)],
                           capture_output=True, text=True)
        if g.returncode != 0:
            return rel, False, "generate: " + g.stderr.strip()
        again = work / f"{i:02d}-again"
        subprocess.run([gen, "-r", "--selftest", "-o", str(again), *inc_args, str(path)], capture_output=True, check=True)
        for f in sorted(out.iterdir()):
            if f.read_bytes() != (again / f.name).read_bytes():
                return rel, False, f"output not deterministic: {f.name} differs between two runs"
        selftest = next(out.glob("*_thrift_selftest.cpp"))
        exe = out / "selftest"
        c = subprocess.run([*cxx, "-std=c++20", "-O0", "-Wall", "-Wextra", "-Werror", "-I", str(out),
                            *[f"-I{d}" for d in includes], str(selftest), "-o", str(exe)],
                           capture_output=True, text=True)
        if c.returncode != 0:
            return rel, False, "compile: " + "\n".join(c.stderr.strip().splitlines()[:15])
        r = subprocess.run([str(exe)], capture_output=True, text=True, timeout=60)
        if r.returncode != 0:
            return rel, False, "self-test: " + (r.stdout + r.stderr).strip()
        return rel, True, r.stdout.strip()

    workers = max(1, min(4, os.cpu_count() or 1))
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(one, enumerate(files)))
    bad = 0
    for rel, ok, msg in results:
        print(f"{'ok  ' if ok else 'FAIL'} {rel}: {msg}")
        bad += not ok
    print(f"corpus: {len(results) - bad} of {len(results)} IDL files generate, compile (-Werror) and round-trip")
    return 1 if bad or not results else 0


if __name__ == "__main__":
    sys.exit(main())
