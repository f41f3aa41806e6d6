#!/usr/bin/python3
"""corothrift's ThriftTest server against Apache Thrift 0.17's C++ servers, driven by the
same client: `corothrift bench` (the CLI). Starts each server on a free loopback port, runs
the bench for every load shape, repeats the whole round REPS times (interleaved, so that
machine noise hits every server alike), and prints a markdown table of medians with the
ratio to corothrift.

usage: server_compare.py --corothrift BIN --ours SERVER --apache SERVER --idl THRIFTTEST_IDL
                         [--duration S] [--reps N] [--json FILE]
"""
import argparse
import json
import socket
import statistics
import subprocess
import sys
import tempfile
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_listening(port, proc, timeout=10.0):
    end = time.time() + timeout
    while time.time() < end:
        if proc.poll() is not None:
            raise RuntimeError("server exited: %s" % proc.args)
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("server did not listen: %s" % proc.args)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corothrift", required=True)
    ap.add_argument("--ours", required=True)
    ap.add_argument("--apache", required=True)
    ap.add_argument("--idl", required=True)
    ap.add_argument("--duration", type=float, default=3.0)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--json")
    a = ap.parse_args()

    servers = [
        ("corothrift (1 thread)", [a.ours, "--transport", "framed", "--workers", "1"]),
        ("Apache TNonblockingServer (4 workers)", [a.apache, "--transport", "framed", "--server", "nonblocking", "--workers", "4"]),
        ("Apache TThreadedServer", [a.apache, "--transport", "framed"]),
    ]
    struct = json.dumps({"thing": {"string_thing": "hello", "byte_thing": 1, "i32_thing": 2, "i64_thing": 3}})
    shapes = [
        ("testString, 1 connection x 1 in flight", "ThriftTest.testString", '{"thing":"hello"}', 1, 1),
        ("testString, 4 connections x 16 in flight", "ThriftTest.testString", '{"thing":"hello"}', 4, 16),
        ("testStruct, 16 connections x 4 in flight", "ThriftTest.testStruct", struct, 16, 4),
    ]
    results = {}  # (shape, server) -> list of (calls/s, p50, p99)
    for rep in range(a.reps):
        for sname, cmd in servers:
            port = free_port()
            proc = subprocess.Popen(cmd + ["--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                wait_listening(port, proc)
                for label, method, args, conns, inflight in shapes:
                    with tempfile.NamedTemporaryFile(suffix=".json") as out:
                        r = subprocess.run([a.corothrift, "bench", "--idl", a.idl, "-q", "-d", str(a.duration),
                                            "-c", str(conns), "-k", str(inflight), "--json-out", out.name,
                                            "127.0.0.1:%d" % port, method, args], capture_output=True, text=True)
                        if r.returncode != 0:
                            print("FAILED: %s on %s: %s" % (label, sname, r.stderr.strip()), file=sys.stderr)
                            return 1
                        j = json.load(open(out.name))
                    if j["errors"]:
                        print("errors: %s on %s: %s" % (label, sname, j["errors_by_kind"]), file=sys.stderr)
                        return 1
                    results.setdefault((label, sname), []).append(
                        (j["calls_per_second"], j["latency"]["p50_ns"], j["latency"]["p99_ns"]))
                    print("round %d: %-40s %-40s %10.0f calls/s" % (rep + 1, sname, label, j["calls_per_second"]),
                          file=sys.stderr)
            finally:
                proc.terminate()
                try:
                    proc.wait(5)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()

    def med(label, sname, i):
        return statistics.median(x[i] for x in results[(label, sname)])

    ours = servers[0][0]
    print("| load | server | calls/s | p50 us | p99 us | corothrift / this |")
    print("|---|---|---:|---:|---:|---:|")
    table = []
    for label, *_ in shapes:
        base = med(label, ours, 0)
        for sname, _ in servers:
            cps, p50, p99 = med(label, sname, 0), med(label, sname, 1), med(label, sname, 2)
            ratio = "" if sname == ours else "%.2fx" % (base / cps)
            print("| %s | %s | %s | %.1f | %.1f | %s |" % (label, sname, format(int(cps), ","), p50 / 1e3, p99 / 1e3, ratio))
            table.append({"load": label, "server": sname, "calls_per_second": cps, "p50_ns": p50, "p99_ns": p99})
    if a.json:
        json.dump(table, open(a.json, "w"), indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
