#!/usr/bin/python3
"""Misuses of the coroutine client that must not compile, each checked on its own with the
project's compiler (-std=c++20 -Wall -Wextra -Werror, like CI), plus a control snippet that
uses the same API correctly and must compile (so a broken setup cannot pass for "every
misuse was rejected"). A rejected snippet must also be rejected for the expected reason:
its diagnostics must match a pattern (GCC and Clang wording).

usage: compile_fail.py GEN IDL WORK_DIR CXX [CXX_ARGS...] -- INCLUDE_DIR... -- EXTRA_ARG...
  GEN      corothrift-gen (run with --rpc on IDL into WORK_DIR)
  IDL      the test IDL (service Calculator { i32 add(...), Inner describe(...), oneway ping })
"""
import concurrent.futures
import os
import pathlib
import re
import shutil
import subprocess
import sys

PRELUDE = """\
#include "rpcshapes_rpc.hpp"

#include <cstdint>
#include <string>

asio::awaitable<void> body(asio::any_io_executor ex) {
  auto calc = co_await corothrift::connect<shapes::Calculator>(ex, "127.0.0.1", 9090);
"""
EPILOGUE = """\
  co_return;
}
"""

# The correct use of everything the misuses below get wrong.
CONTROL = """\
  std::int32_t s = co_await calc.add(1, 2);
  auto t = co_await calc.add(s, 1);
  int x = t + 1;
  (void)x;
  co_await calc.ping("note");
  corothrift::Client<shapes::Calculator> c = co_await corothrift::connect<shapes::Calculator>(ex, "127.0.0.1", 9090);
  std::int32_t u = co_await c.add(1, 2);
  (void)u;
  co_await calc.reconnect();
  corothrift::Client<shapes::Calculator> moved = std::move(c);
  shapes::Calculator::add::args args;
  shapes::Calculator::add::result result;
  corothrift::CallStatus st = co_await calc.try_call<shapes::Calculator::add>(args, result);
  (void)st;
"""

# A handler with every method: compiles; the misuse drops one.
HANDLER = """\
struct MyCalc : shapes::CalculatorHandler {
  asio::awaitable<std::int32_t> add(std::int32_t a, std::int32_t b) override { co_return a + b; }
  asio::awaitable<shapes::Inner> describe(shapes::Small, shapes::Choice) override { co_return shapes::Inner{}; }
%s};

void serve(asio::io_context& io) {
  MyCalc handler;
  corothrift::Server server(io.get_executor());
  server.add_service<shapes::Calculator>(handler);
}
"""
PING = "  asio::awaitable<void> ping(std::string) override { co_return; }\n"

# name -> (statements in the coroutine, or a whole file; pattern the diagnostics must match)
MISUSES = {
    "member call on the connect() awaitable (no co_await)": (
        """  auto c = corothrift::connect<shapes::Calculator>(ex, "127.0.0.1", 9090);\n  c.add(1, 2);\n""",
        r"no member named .add."),
    "int from a call without co_await": (
        """  std::int32_t s = calc.add(1, 2);\n  (void)s;\n""",
        r"cannot convert|no viable conversion"),
    "arithmetic on a call without co_await": (
        """  auto s = calc.add(1, 2);\n  int x = s + 1;\n  (void)x;\n""",
        r"no match for .operator\+.|invalid operands to binary expression"),
    "a call whose awaitable is discarded ([[nodiscard]])": (
        """  calc.add(1, 2);\n""",
        r"ignoring return(ed)? value"),
    "a oneway call whose awaitable is discarded": (
        """  calc.ping("x");\n""",
        r"ignoring return(ed)? value"),
    "connect() discarded": (
        """  corothrift::connect<shapes::Calculator>(ex, "127.0.0.1", 9090);\n""",
        r"ignoring return(ed)? value"),
    "reconnect() discarded": (
        """  calc.reconnect();\n""",
        r"ignoring return(ed)? value"),
    "Client<Calculator> initialised from connect() without co_await": (
        """  corothrift::Client<shapes::Calculator> c = corothrift::connect<shapes::Calculator>(ex, "127.0.0.1", 9090);\n""",
        r"conversion from .* to non-scalar type|no viable conversion"),
    "copying a client": (
        """  auto copy = calc;\n  (void)copy;\n""",
        r"deleted"),
}

# Whole-file cases: (file text, pattern).
FILES = {
    "a handler that does not implement every method": (
        HANDLER % "",
        r"abstract"),
}
CONTROL_FILES = {
    "control: a handler with every method": HANDLER % PING,
}


def main() -> int:
    gen, idl, work = sys.argv[1:4]
    rest = sys.argv[4:]
    first = rest.index("--")
    cxx = rest[:first]
    rest = rest[first + 1:]
    second = rest.index("--") if "--" in rest else len(rest)
    includes, extra = rest[:second], rest[second + 1:]

    work = pathlib.Path(work)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    g = subprocess.run([gen, "-o", str(work), "--rpc", idl], capture_output=True, text=True)
    if g.returncode != 0:
        print("corothrift-gen failed:\n" + g.stdout + g.stderr)
        return 1

    cases = []  # (name, source text, must_compile, pattern)
    cases.append(("control: the correct version", PRELUDE + CONTROL + EPILOGUE, True, None))
    for name, text in CONTROL_FILES.items():
        cases.append((name, '#include "rpcshapes_rpc.hpp"\n#include <string>\n' + text, True, None))
    for name, (stmts, pattern) in MISUSES.items():
        cases.append((name, PRELUDE + stmts + EPILOGUE, False, pattern))
    for name, (text, pattern) in FILES.items():
        cases.append((name, '#include "rpcshapes_rpc.hpp"\n#include <string>\n' + text, False, pattern))

    def one(item):
        i, (name, text, must_compile, pattern) = item
        src = work / f"case{i:02d}.cpp"
        src.write_text(text)
        cmd = [*cxx, "-std=c++20", "-Wall", "-Wextra", "-Werror", "-fsyntax-only", *extra,
               "-I", str(work), *[f"-I{d}" for d in includes], str(src)]
        r = subprocess.run(cmd, capture_output=True, text=True)
        diag = r.stdout + r.stderr
        if must_compile:
            if r.returncode == 0:
                return name, True, "compiles, as it must"
            return name, False, "must compile but does not:\n" + "\n".join(diag.splitlines()[:25])
        if r.returncode == 0:
            return name, False, f"must NOT compile but does ({src.name})"
        if not re.search(pattern, diag):
            return name, False, (f"rejected, but not for the expected reason (/{pattern}/ not in the diagnostics):\n"
                                 + "\n".join(diag.splitlines()[:25]))
        return name, True, "rejected, as it must be"

    workers = max(1, min(2, os.cpu_count() or 1))
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(one, enumerate(cases)))
    bad = 0
    for name, ok, msg in results:
        print(f"{'ok  ' if ok else 'FAIL'} {name}: {msg}")
        bad += not ok
    print(f"compile-fail: {len(results) - bad} of {len(results)} snippets behave as expected")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
