#!/usr/bin/python3
"""Generate C++ for every .thrift file of the shared IDL corpus (twice: the output must be
the same bytes), compile it with the project's compiler and -Wall -Wextra -Werror, and
run the generated self-test (a default instance of every struct round-trips through
encode/decode).

With --rpc RPC_INCLUDE_DIR (before GEN), also generate FILE_rpc.hpp and check that it
compiles (-fsyntax-only) with every client stub and server dispatch instantiated.

With --dyn-sample PROGRAM (before GEN), also check the runtime (dynamic) codec against the
generated code: PROGRAM (tests/dynamic/dyn_sample.cpp) writes, for every type of FILE, the
dynamic encoding of a random value (<type>.bin) and of the IDL defaults (<type>.default.bin),
and the self-test, run with that directory, decodes and re-encodes each .bin with generated
code (the same bytes must come out) and compares each .default.bin with its own default
instance; every file written must have been checked.

usage: corpus_compile.py [--rpc RPC_INCLUDE_DIR] [--dyn-sample PROGRAM] GEN CORPUS_DIR WORK_DIR CXX [CXX_ARGS...] -- INCLUDE_DIR...
"""
import concurrent.futures
import os
import pathlib
import re
import shutil
import subprocess
import sys


def main() -> int:
    argv = sys.argv[1:]
    rpc_include = None
    dyn_sample = None
    while argv and argv[0] in ("--rpc", "--dyn-sample"):
        if argv[0] == "--rpc":
            rpc_include = argv[1]
        else:
            dyn_sample = argv[1]
        argv = argv[2:]
    gen, corpus, work = argv[0:3]
    rest = argv[3:]
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
        rpc_flag = ["--rpc"] if rpc_include else []
        g = subprocess.run([gen, "-r", "--selftest", *rpc_flag, "-o", str(out), *inc_args, str(path)],
                           capture_output=True, text=True)
        if g.returncode != 0:
            return rel, False, "generate: " + g.stderr.strip()
        again = work / f"{i:02d}-again"
        subprocess.run([gen, "-r", "--selftest", *rpc_flag, "-o", str(again), *inc_args, str(path)], capture_output=True, check=True)
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
        selftest_args = []
        if dyn_sample:
            dyn_dir = out / "dyn"
            d = subprocess.run([dyn_sample, *inc_args, str(path), str(dyn_dir)], capture_output=True, text=True, timeout=60)
            if d.returncode != 0:
                return rel, False, "dyn-sample: " + (d.stdout + d.stderr).strip()
            written = len(list(dyn_dir.glob("*.bin")))
            selftest_args = [str(dyn_dir)]
        r = subprocess.run([str(exe), *selftest_args], capture_output=True, text=True, timeout=60)
        if r.returncode != 0:
            return rel, False, "self-test: " + (r.stdout + r.stderr).strip()
        note = r.stdout.strip()
        if dyn_sample:
            m = re.search(r"(\d+) dynamic encodings checked", note)
            if not m or int(m.group(1)) != written:
                return rel, False, (f"self-test: dyn_sample wrote {written} files but the self-test checked "
                                    f"{m.group(1) if m else 'none'} (type names differ?): {note}")
        if rpc_include:
            rpc_header = out / (path.stem + "_rpc.hpp")
            services = re.findall(r"^class ClientStub<(::[\w:]+), Core>", rpc_header.read_text(), re.M)
            if services:
                check = out / "rpc_check.cpp"
                lines = [f'#include "{rpc_header.name}"']
                for i, svc in enumerate(services):
                    lines.append(f"template class corothrift::ClientStub<{svc}, corothrift::ClientCore>;")
                    lines.append(f"[[maybe_unused]] static auto* dispatch{i} = "
                                 f"&corothrift::ServiceTraits<{svc}>::dispatch<corothrift::ServerConnection>;")
                check.write_text("\n".join(lines) + "\n")
                defines = ["-DASIO_STANDALONE"]
                if "clang" in " ".join(cxx):
                    defines.append("-DASIO_HAS_CO_AWAIT=1")
                c = subprocess.run([*cxx, "-std=c++20", "-fsyntax-only", "-Wall", "-Wextra", "-Werror", *defines,
                                    "-I", str(out), f"-I{rpc_include}", *[f"-I{d}" for d in includes], str(check)],
                                   capture_output=True, text=True)
                if c.returncode != 0:
                    return rel, False, "rpc compile: " + "\n".join(c.stderr.strip().splitlines()[:15])
                note += f"; rpc: {len(services)} service(s) compile"
        return rel, True, note

    workers = max(1, min(4, os.cpu_count() or 1))
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(one, enumerate(files)))
    bad = 0
    for rel, ok, msg in results:
        print(f"{'ok  ' if ok else 'FAIL'} {rel}: {msg}")
        bad += not ok
    rpc = " (and their services' RPC stubs compile)" if rpc_include else ""
    dyn = "; the dynamic codec's encodings of their types match generated code" if dyn_sample else ""
    print(f"corpus: {len(results) - bad} of {len(results)} IDL files generate, compile (-Werror) and round-trip{rpc}{dyn}")
    return 1 if bad or not results else 0


if __name__ == "__main__":
    sys.exit(main())
