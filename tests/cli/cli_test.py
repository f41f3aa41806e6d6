#!/usr/bin/python3
"""The corothrift command-line tool as a user runs it: help and usage errors, golden decode
outputs, encode/decode round trips, error messages and exit codes, and `call` / `bench`
against corothrift's ThriftTest server and (when built) Apache Thrift's C++ one.

usage: cli_test.py --corothrift PATH --golden-dir DIR --features-dir DIR --phonebook FILE
                   [--thrifttest-server PATH --thrifttest-idl FILE]
                   [--apache-server PATH --apache-idl FILE] [--update-golden]

Prints "PASS name", "FAIL name: why" or "SKIP name: why" for each check and exits 1 if any
failed. Every server it starts is stopped before it exits.

Golden files (tests/cli/golden): the inputs (*.hex, *.bin) are checked in and never
rewritten; the expected outputs (*.json) are compared byte for byte. To regenerate the
outputs after an intended change, run with UPDATE_GOLDEN=1 in the environment (or
--update-golden), e.g. `UPDATE_GOLDEN=1 meson test -C build cli`, and review the diff.
"""
import argparse
import json
import os
import pathlib
import re
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import traceback

# Exit codes of `corothrift --help`.
OK, BAD_DATA, USAGE, IDL_ERROR, IO_ERROR, RPC_ERROR, DECLARED = 0, 1, 2, 3, 4, 5, 6


class CheckFailed(Exception):
    pass


def expect(cond, why):
    if not cond:
        raise CheckFailed(why)


class Result:
    def __init__(self, args, rc, stdout, stderr, seconds):
        self.args, self.rc, self.stdout, self.seconds = args, rc, stdout, seconds
        self.out = stdout.decode("utf-8", "replace")
        self.err = stderr.decode("utf-8", "replace")

    def json(self):
        try:
            return json.loads(self.out)
        except ValueError as e:
            raise CheckFailed("stdout is not JSON (%s): %r" % (e, self.out[:300]))

    def describe(self):
        return "exit %d, stdout %r, stderr %r" % (self.rc, self.out[:300], self.err[:400])

    def expect_rc(self, rc):
        expect(self.rc == rc, "wanted exit %d, got %s" % (rc, self.describe()))
        return self

    def expect_err(self, *pieces):
        for p in pieces:
            if isinstance(p, re.Pattern):
                expect(p.search(self.err), "stderr does not match /%s/: %r" % (p.pattern, self.err[:400]))
            else:
                expect(p in self.err, "stderr does not mention %r: %r" % (p, self.err[:400]))
        return self


def canon(v):
    """A JSON value with floats told apart from ints and -0.0 from 0.0 (== would not)."""
    if isinstance(v, float):
        return ("float", repr(v))
    if isinstance(v, dict):
        return {k: canon(x) for k, x in v.items()}
    if isinstance(v, list):
        return [canon(x) for x in v]
    return v


def same_json(got, want, what="JSON"):
    expect(canon(got) == canon(want), "%s differs:\n  got  %s\n  want %s" % (
        what, json.dumps(got, ensure_ascii=False), json.dumps(want, ensure_ascii=False)))


class Suite:
    def __init__(self, opts):
        self.opts = opts
        self.cli_path = opts.corothrift
        self.failed = []
        self.passed = 0
        self.skipped = 0
        self.tmp = pathlib.Path(tempfile.mkdtemp(prefix="corothrift-cli-test-"))

    # -- running things ---------------------------------------------------------------------

    def cli(self, *args, input=None, timeout=30):
        argv = [self.cli_path] + [str(a) for a in args]
        start = time.monotonic()
        try:
            r = subprocess.run([a.encode("utf-8") for a in argv],
                               input=input.encode("utf-8") if isinstance(input, str) else input,
                               stdin=None if input is not None else subprocess.DEVNULL,
                               capture_output=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            raise CheckFailed("%s did not finish within %d s" % (" ".join(argv[1:4]), timeout))
        return Result(argv, r.returncode, r.stdout, r.stderr, time.monotonic() - start)

    def check(self, name, fn, *args):
        try:
            note = fn(*args)
        except CheckFailed as e:
            self.failed.append(name)
            print("FAIL %s: %s" % (name, e), flush=True)
            return
        except Exception:  # a bug in the test, or something unexpected: still one FAIL line
            self.failed.append(name)
            print("FAIL %s: %s" % (name, traceback.format_exc().strip().replace("\n", "\n    ")), flush=True)
            return
        self.passed += 1
        print("PASS %s%s" % (name, " (%s)" % note if note else ""), flush=True)

    def skip(self, name, why):
        self.skipped += 1
        print("SKIP %s: %s" % (name, why), flush=True)


# -- servers --------------------------------------------------------------------------------

def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def can_connect(port):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(0.5)
        try:
            s.connect(("127.0.0.1", port))
            return True
        except OSError:
            return False


class Server:
    """A ThriftTest server on a free loopback port, started by start() and stopped by stop()."""

    def __init__(self, name, program, transport, multiplexed, logdir):
        self.name, self.program, self.transport, self.multiplexed = name, program, transport, multiplexed
        self.proc = None
        self.port = None
        self.log = pathlib.Path(logdir) / ("server-%s.log" % name)

    def start(self, timeout=20.0):
        last = "not started"
        for _attempt in range(3):  # another process may take the port in between: retry
            self.port = free_port()
            cmd = [self.program, "--port", str(self.port), "--transport", self.transport]
            if self.multiplexed:
                cmd.append("--multiplexed")
            with open(self.log, "wb") as log:
                self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                if self.proc.poll() is not None:
                    last = "exited with %d: %s" % (self.proc.returncode, self.log.read_text(errors="replace")[-300:])
                    break
                if can_connect(self.port):
                    return
                time.sleep(0.05)
            else:
                self.stop()
                raise RuntimeError("server %s does not accept connections after %.0f s" % (self.name, timeout))
        raise RuntimeError("server %s does not start: %s" % (self.name, last))

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self):
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    @property
    def target(self):
        return "127.0.0.1:%d" % self.port


class SilentListener:
    """Accepts connections and never answers (for --timeout)."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.1)
        self.port = self.sock.getsockname()[1]
        self.conns = []
        self.stopping = False
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while not self.stopping:
            try:
                c, _ = self.sock.accept()
                self.conns.append(c)
            except socket.timeout:
                continue
            except OSError:
                return

    def close(self):
        self.stopping = True
        self.thread.join(2)
        for c in self.conns:
            c.close()
        self.sock.close()


# -- 1. help and usage ----------------------------------------------------------------------

HELP_MENTIONS = {
    None: ["gen", "decode", "encode", "call", "bench", "exit status", "--version"],
    "decode": ["--idl", "-I,--include", "--type", "--message", "--service", "--framed", "--hex", "--compact", "input",
               "exit status"],
    "encode": ["--idl", "-I,--include", "--type", "--call", "--seqid", "--framed", "--hex", "-o,--output", "json",
               "exit status"],
    "call": ["--idl", "--framed", "--buffered", "--multiplexed", "--timeout", "--connect-timeout", "--compact",
             "target", "method", "exit status"],
    "bench": ["--idl", "--framed", "--buffered", "--multiplexed", "--timeout", "-n,--requests", "-d,--duration",
              "-c,--connections", "-k,--concurrency", "--rps", "--warmup", "-q,--quiet", "--json-out", "exit status"],
    "gen": ["-o, --out", "-I, --include"],
}


def check_help(s, sub):
    args = ([sub] if sub else []) + ["--help"]
    r = s.cli(*args).expect_rc(OK)
    for word in HELP_MENTIONS[sub]:
        expect(word in r.out, "`corothrift %s` does not mention %r" % (" ".join(args), word))
    if sub not in (None, "gen"):
        for code in range(7):
            expect(re.search(r"^\s+%d\s" % code, r.out, re.M), "exit code %d not documented in %s --help" % (code, sub))


def check_gen_same_as_corothrift_gen(s):
    """`corothrift gen ARGS` writes exactly what `corothrift-gen ARGS` writes."""
    out_a, out_b = s.tmp / "gen-a", s.tmp / "gen-b"
    idl = s.opts.features_dir / "features.thrift"
    s.cli("gen", "--rpc", "-r", "-o", out_a, idl).expect_rc(OK)
    r = subprocess.run([s.opts.corothrift_gen, "--rpc", "-r", "-o", str(out_b), str(idl)], capture_output=True)
    expect(r.returncode == 0, "corothrift-gen failed: %s" % r.stderr.decode(errors="replace"))
    files_a = sorted(p.name for p in out_a.iterdir())
    files_b = sorted(p.name for p in out_b.iterdir())
    expect(files_a == files_b and files_a, "different files: %s vs %s" % (files_a, files_b))
    for name in files_a:
        expect((out_a / name).read_bytes() == (out_b / name).read_bytes(), "%s differs from corothrift-gen's" % name)
    r = s.cli("gen", s.tmp / "missing.thrift")
    expect(r.rc == 1, "corothrift gen of a missing file: exit %d (want 1, as corothrift-gen)" % r.rc)


def check_bad_options(s):
    s.cli("decode", "--bogus").expect_rc(USAGE).expect_err("--bogus")
    s.cli("encode", "--idl", s.opts.phonebook, "--type", "Entry", "--nope", "{}").expect_rc(USAGE).expect_err("--nope")
    s.cli("gen", "--bogus").expect_rc(USAGE).expect_err("--bogus")
    r = s.cli("--bogus").expect_rc(USAGE)
    expect(r.err.strip(), "`corothrift --bogus`: no message on stderr")
    s.cli().expect_rc(USAGE).expect_err("subcommand")
    s.cli("call").expect_rc(USAGE).expect_err("required")
    s.cli("bench", "--idl", s.opts.phonebook, "-n", "many", "127.0.0.1:1", "Phonebook.add").expect_rc(USAGE).expect_err("many")
    # Contradictory or incomplete options: usage errors with a message.
    s.cli("encode", "--idl", s.opts.phonebook, "{}").expect_rc(USAGE).expect_err("--type", "--call")
    s.cli("encode", "--idl", s.opts.phonebook, "--type", "Entry", "--call", "Phonebook.add", "{}").expect_rc(USAGE)
    s.cli("decode", "--type", "Entry", input=b"\x00").expect_rc(USAGE).expect_err("--idl")
    s.cli("call", "--idl", s.opts.phonebook, "--framed", "--buffered", "127.0.0.1:1", "Phonebook.add").expect_rc(USAGE)
    s.cli("call", "--idl", s.opts.phonebook, "localhost", "Phonebook.add").expect_rc(USAGE).expect_err("HOST:PORT")
    r = s.cli("--version").expect_rc(OK)
    expect("corothrift" in r.out, "--version prints %r" % r.out)


# -- 2. golden decode outputs ---------------------------------------------------------------

def golden_cases(s):
    g = s.opts.golden_dir
    gi = ["--idl", g / "golden.thrift", "-I", s.opts.features_dir]
    pb = ["--idl", s.opts.phonebook]
    # name, decode arguments (input last), expected output file
    return [
        ("golden-struct-typed", gi + ["--type", "Golden", "--hex", g / "struct_golden.hex"], "struct_typed.json"),
        ("golden-struct-schemaless", ["--hex", "--compact", g / "struct_golden.hex"], "struct_raw.json"),
        ("golden-message-call", pb + ["--message", "--hex", g / "msg_call.hex"], "msg_call.json"),
        ("golden-message-replies", pb + ["--message", "--service", "Phonebook", "--hex", g / "msg_reply.hex"],
         "msg_reply.json"),
        ("golden-message-replies-schemaless", ["--message", "--compact", "--hex", g / "msg_reply.hex"],
         "msg_reply_raw.json"),
        ("golden-message-exception", pb + ["--message", "--hex", g / "msg_exception.hex"], "msg_exception.json"),
        ("golden-framed-two-messages", pb + ["--message", "--framed", g / "framed_two.bin"], "framed_two.json"),
    ]


def check_golden(s, args, expected_name):
    path = s.opts.golden_dir / expected_name
    r = s.cli("decode", *args).expect_rc(OK)
    if s.opts.update_golden:
        old = path.read_bytes() if path.exists() else None
        if old != r.stdout:
            path.write_bytes(r.stdout)
            return "updated %s" % expected_name
        return None
    expect(path.exists(), "%s is missing (run with UPDATE_GOLDEN=1 to create it)" % path)
    want = path.read_bytes()
    if r.stdout != want:
        import difflib
        diff = "".join(difflib.unified_diff(want.decode("utf-8", "replace").splitlines(True),
                                            r.out.splitlines(True), str(path), "decode output", n=1))
        raise CheckFailed("output differs from %s (UPDATE_GOLDEN=1 regenerates):\n%s" % (expected_name, diff[:2000]))
    return None


def hex_file_bytes(path):
    return bytes.fromhex("".join(pathlib.Path(path).read_text().split()))


def check_golden_encode(s):
    """The hand-derived golden inputs are exactly what `corothrift encode` writes."""
    g = s.opts.golden_dir
    gi = ["--idl", g / "golden.thrift", "-I", s.opts.features_dir]
    pb = ["--idl", s.opts.phonebook]
    want = hex_file_bytes(g / "struct_golden.hex")
    typed = (g / "struct_typed.json").read_text()
    r = s.cli("encode", *gi, "--type", "Golden", typed).expect_rc(OK)
    expect(r.stdout == want, "encode of struct_typed.json:\n  got  %s\n  want %s" % (r.stdout.hex(), want.hex()))

    want = hex_file_bytes(g / "msg_call.hex")
    r = s.cli("encode", *pb, "--call", "Phonebook.add", "--seqid", "1",
              '{"entry": {"name": "Ann", "phone": "555"}}').expect_rc(OK)
    expect(r.stdout == want, "encode --call Phonebook.add:\n  got  %s\n  want %s" % (r.stdout.hex(), want.hex()))

    framed = (g / "framed_two.bin").read_bytes()
    first_len = struct.unpack(">i", framed[:4])[0]
    r = s.cli("encode", *pb, "--call", "Phonebook.find", "--seqid", "3", "--framed", '{"name": "Bob"}').expect_rc(OK)
    expect(r.stdout == framed[:4 + first_len],
           "encode --framed --call Phonebook.find:\n  got  %s\n  want %s" % (r.stdout.hex(), framed[:4 + first_len].hex()))
    # The frames of framed_two.bin are the messages of msg_call/msg_reply's kind, by hand:
    expect(framed[4 + first_len:8 + first_len] == struct.pack(">i", len(framed) - 8 - first_len),
           "framed_two.bin: the second frame's length is wrong")


# -- 3. round trips -------------------------------------------------------------------------

ROUND_TRIPS = [
    # (name, type, JSON in, JSON expected out (None: the same))
    ("golden", "Golden", {
        "id": -7, "level": "MEDIUM", "blob": "AP8QgA==", "note": "n",
        "nested": [{"a": [1, -32768, 32767], "": []}, {}],
        "by_level": {"LOW": {"name": "x"}, "HIGH": {"name": "y", "count": -1}},
        "ids": [-1, 0, 9223372036854775807], "choice": {"n": -9223372036854775808}, "ratio": 0.25}, None),
    ("enum-without-name", "Golden", {"id": 0, "level": 42, "blob": "", "nested": [], "by_level": {"7": {"name": ""}},
                                     "choice": {"s": ""}}, None),
    ("non-string-map-keys", "Keys", {
        "by_i32": {"-1": "m", "2147483647": "s"},
        "by_i64": {"9223372036854775807": True, "-9223372036854775808": False},
        "by_bool": {"true": 1, "false": -128},
        "by_list": [[[1, 2], "a"], [[], "e"]],
        "by_struct": [[{"name": "k", "count": 3}, 1.5]],
        "by_double": [[0.5, "h"], ["-Infinity", "i"]]}, None),
    ("scalar-extremes", "Scalars", {
        "b": True, "i8v": -128, "i16v": 32767, "i32v": -2147483648, "i64v": -9223372036854775808,
        "d": "NaN", "s": "h\u00e9llo \u2603 \U0001d11e \u0000 \"q\" end", "bin": "",
        "ds": ["NaN", "Infinity", "-Infinity", -0.0, 5e-324, 1.7976931348623157e308, 0.1],
        "ls": [9223372036854775807, "-9223372036854775808", 0],
        "uid": "00112233-4455-6677-8899-aabbccddeeff"},
     {"b": True, "i8v": -128, "i16v": 32767, "i32v": -2147483648, "i64v": -9223372036854775808,
      "d": "NaN", "s": "h\u00e9llo \u2603 \U0001d11e \u0000 \"q\" end", "bin": "",
      "ds": ["NaN", "Infinity", "-Infinity", -0.0, 5e-324, 1.7976931348623157e308, 0.1],
      "ls": [9223372036854775807, -9223372036854775808, 0],
      "uid": "00112233-4455-6677-8899-aabbccddeeff"}),
    ("string-not-utf8", "Scalars", {"s": {"base64": "/w=="}, "bin": "AAECAwQFBgcICQ=="}, None),
    ("uuid-and-recursion", "features.WithUuid", {
        "id": "ffffffff-0000-0000-0000-000000000001", "other": "00000000-0000-0000-0000-000000000000",
        "many": [], "levels": {"12345678-9abc-def0-1234-56789abcdef0": "HIGH"}},
     # uuid keys are not among the JSON-object key types: decoded as [key, value] pairs
     {"id": "ffffffff-0000-0000-0000-000000000001", "other": "00000000-0000-0000-0000-000000000000",
      "many": [], "levels": [["12345678-9abc-def0-1234-56789abcdef0", "HIGH"]]}),
    ("recursive-node", "features.Node", {"value": 1, "next": {"value": 2, "children": []},
                                         "children": [{"value": 3, "children": [{"value": 4, "children": []}]}]},
     None),
]


def check_round_trip(s, type_name, value, want):
    gi = ["--idl", s.opts.golden_dir / "golden.thrift", "-I", s.opts.features_dir]
    text = json.dumps(value, ensure_ascii=False)
    enc = s.cli("encode", *gi, "--type", type_name, text).expect_rc(OK)
    expect(enc.stdout, "encode wrote nothing")
    dec = s.cli("decode", *gi, "--type", type_name, "-", input=enc.stdout).expect_rc(OK)
    got = dec.json()
    want = value if want is None else want
    # Fields the JSON leaves out are decoded with their defaults: compare what was given.
    if isinstance(got, dict):
        got = {k: v for k, v in got.items() if k in want}
    same_json(got, want, "decode(encode(JSON))")
    # A second round trip of the decoded JSON gives the same bytes.
    enc2 = s.cli("encode", *gi, "--type", type_name, input=dec.out).expect_rc(OK)
    expect(enc2.stdout == enc.stdout, "encode(decode(bytes)) != bytes:\n  %s\n  %s" % (enc.stdout.hex(), enc2.stdout.hex()))


def check_hex_and_files(s):
    gi = ["--idl", s.opts.golden_dir / "golden.thrift", "-I", s.opts.features_dir]
    value = '{"name": "\u00fcber", "count": 12}'
    raw = s.cli("encode", *gi, "--type", "Inner", value).expect_rc(OK).stdout
    expect(raw == bytes.fromhex("0b0001 00000005 c3bc626572 080002 0000000c 00".replace(" ", "")),
           "Inner encodes as %s" % raw.hex())
    hx = s.cli("encode", *gi, "--type", "Inner", "--hex", value).expect_rc(OK)
    expect(hx.out == raw.hex() + "\n", "--hex prints %r, wanted %r" % (hx.out, raw.hex() + "\n"))
    # -o FILE: nothing on stdout, the bytes in the file.
    binf, hexf = s.tmp / "inner.bin", s.tmp / "inner.hex"
    r = s.cli("encode", *gi, "--type", "Inner", "-o", binf, value).expect_rc(OK)
    expect(r.stdout == b"", "encode -o FILE also wrote to stdout: %r" % r.stdout[:100])
    expect(binf.read_bytes() == raw, "-o FILE holds %s" % binf.read_bytes().hex())
    s.cli("encode", *gi, "--type", "Inner", "--hex", "--output", hexf, value).expect_rc(OK)
    expect(hexf.read_text() == raw.hex() + "\n", "--hex -o FILE holds %r" % hexf.read_text())
    # JSON from standard input, given as - and by default.
    expect(s.cli("encode", *gi, "--type", "Inner", "-", input=value).expect_rc(OK).stdout == raw, "encode - (stdin)")
    expect(s.cli("encode", *gi, "--type", "Inner", input=value).expect_rc(OK).stdout == raw, "encode (stdin)")
    # Decoding the files, and hex with upper case, 0x and line breaks.
    want = {"name": "\u00fcber", "count": 12}
    same_json(s.cli("decode", *gi, "--type", "Inner", binf).expect_rc(OK).json(), want, "decode FILE")
    same_json(s.cli("decode", *gi, "--type", "Inner", "--hex", hexf).expect_rc(OK).json(), want, "decode --hex FILE")
    spaced = "0x" + " ".join(raw.hex().upper()[i:i + 8] for i in range(0, len(raw) * 2, 8)) + "\n"
    same_json(s.cli("decode", *gi, "--type", "Inner", "--hex", input=spaced).expect_rc(OK).json(), want,
              "decode --hex of spaced upper-case hex")
    # --compact: one line.
    c = s.cli("decode", *gi, "--type", "Inner", "--compact", binf).expect_rc(OK)
    expect(c.out.count("\n") == 1, "--compact prints %r" % c.out)
    # --framed encode, then decode --framed --type of two frames back to back.
    fr = s.cli("encode", *gi, "--type", "Inner", "--framed", value).expect_rc(OK).stdout
    expect(fr == struct.pack(">i", len(raw)) + raw, "encode --framed wrote %s" % fr.hex())
    d = s.cli("decode", *gi, "--type", "Inner", "--framed", "--compact", input=fr + fr).expect_rc(OK)
    lines = d.out.splitlines()
    expect(len(lines) == 2, "two frames decode to %r" % d.out)
    for line in lines:
        same_json(json.loads(line), want, "a frame")


def check_call_round_trip(s):
    tt = ["--idl", s.opts.thrifttest_idl]
    args = {"arg0": -1, "arg1": 2147483647, "arg2": -9223372036854775808, "arg3": {"1": "a", "-2": "\u00e9"},
            "arg4": "EIGHT", "arg5": 7}
    enc = s.cli("encode", *tt, "--call", "ThriftTest.testMulti", "--seqid", "42", json.dumps(args)).expect_rc(OK)
    dec = s.cli("decode", *tt, "--message", input=enc.stdout).expect_rc(OK)
    same_json(dec.json(), {"method": "testMulti", "type": "call", "seqid": 42, "args": args}, "decoded message")
    # The same with --hex, --framed and --service.
    enc = s.cli("encode", *tt, "--call", "ThriftTest.testMulti", "--seqid", "-5", "--framed", "--hex",
                json.dumps(args)).expect_rc(OK)
    dec = s.cli("decode", *tt, "--message", "--service", "ThriftTest", "--framed", "--hex", input=enc.out).expect_rc(OK)
    same_json(dec.json(), {"method": "testMulti", "type": "call", "seqid": -5, "args": args}, "decoded framed message")
    # A oneway method makes a ONEWAY message.
    pb = ["--idl", s.opts.phonebook]
    enc = s.cli("encode", *pb, "--call", "Phonebook.note", '{"text": "hi"}').expect_rc(OK)
    same_json(s.cli("decode", *pb, "--message", input=enc.stdout).expect_rc(OK).json(),
              {"method": "note", "type": "oneway", "seqid": 0, "args": {"text": "hi"}}, "oneway message")
    # Without the IDL: the raw body.
    same_json(s.cli("decode", "--message", input=enc.stdout).expect_rc(OK).json(),
              {"method": "note", "type": "oneway", "seqid": 0, "body": [{"id": 1, "type": "string", "value": "hi"}]},
              "schema-less message")
    # A service the IDL does not have.
    s.cli("decode", *pb, "--message", "--service", "Nope", input=enc.stdout).expect_rc(USAGE).expect_err("Nope")


# -- 4. errors ------------------------------------------------------------------------------

def check_errors(s, what):
    g = s.opts.golden_dir
    gi = ["--idl", g / "golden.thrift", "-I", s.opts.features_dir]
    golden = hex_file_bytes(g / "struct_golden.hex")
    if what == "truncated":
        # struct_golden.hex cut after 30 bytes: field 4's string length (an i32 at byte 27) has 3.
        s.cli("decode", *gi, "--type", "Golden", input=golden[:30]).expect_rc(BAD_DATA).expect_err(
            "unexpected_end", "byte 27")
        s.cli("decode", input=golden[:30]).expect_rc(BAD_DATA).expect_err("byte 27")
        call = hex_file_bytes(g / "msg_call.hex")
        # msg_call.hex cut 3 bytes short: the phone's string length (at byte 31) says 3, 2 remain after it.
        s.cli("decode", "--idl", s.opts.phonebook, "--message", input=call[:-3]).expect_rc(BAD_DATA).expect_err(
            "unexpected_end", "byte 31", "string length", "declared size 3")
        s.cli("decode", *gi, "--type", "Golden", input=golden[:30]).expect_rc(BAD_DATA).expect_err("3 bytes left")
        path = s.tmp / "cut.bin"
        path.write_bytes(golden[:30])
        s.cli("decode", *gi, "--type", "Golden", path).expect_rc(BAD_DATA).expect_err("byte 27", str(path))
        # A frame longer than the input, and a frame header cut short.
        s.cli("decode", "--framed", input=struct.pack(">i", 200) + golden).expect_rc(BAD_DATA).expect_err(
            "frame length 200", "byte 0")
        s.cli("decode", "--framed", "--message", input=struct.pack(">i", len(call)) + call + b"\x00\x00").expect_rc(
            BAD_DATA).expect_err("byte %d" % (4 + len(call)))
    elif what == "trailing":
        s.cli("decode", *gi, "--type", "Golden", input=golden + b"\x01\x02").expect_rc(BAD_DATA).expect_err(
            "trailing", "byte %d" % len(golden))
        s.cli("decode", input=golden + b"\x00").expect_rc(BAD_DATA).expect_err("trailing", "byte %d" % len(golden))
        frame = struct.pack(">i", len(golden) + 1) + golden + b"\x00"
        s.cli("decode", *gi, "--type", "Golden", "--framed", input=frame).expect_rc(BAD_DATA).expect_err(
            "trailing", "byte %d" % (4 + len(golden)))
    elif what == "bad-hex":
        s.cli("decode", "--hex", input="0800zz").expect_rc(BAD_DATA).expect_err("'z'", "character 4")
        s.cli("decode", "--hex", input="080").expect_rc(BAD_DATA).expect_err("odd")
    elif what == "bad-bytes":
        s.cli("decode", *gi, "--type", "Inner", "--hex", input="0b 0001 ffffffff 00").expect_rc(BAD_DATA).expect_err(
            "negative", "byte 3")
        s.cli("decode", "--hex", input="11 0001 00").expect_rc(BAD_DATA).expect_err("byte 0", "17")
        s.cli("decode", *gi, "--type", "Required", "--hex", input="00").expect_rc(BAD_DATA).expect_err("must")
        s.cli("decode", *gi, "--type", "Golden", input=b"").expect_rc(BAD_DATA).expect_err("empty")
    elif what == "json-syntax":
        s.cli("encode", *gi, "--type", "Inner", '{"name": "x",}').expect_rc(BAD_DATA).expect_err(
            "parse", re.compile(r"line 1, column 1[34]"))
    elif what == "json-type":
        s.cli("encode", *gi, "--type", "Required", '{"must": 1, "items": [{"name": "a"}, {"name": "b"}, {"name": 3}]}'
              ).expect_rc(BAD_DATA).expect_err("$.items[2].name", "string")
        s.cli("encode", *gi, "--type", "Scalars", '{"i8v": 128}').expect_rc(BAD_DATA).expect_err("$.i8v", "128")
        s.cli("encode", *gi, "--type", "Scalars", '{"i64v": 9223372036854775808}').expect_rc(BAD_DATA).expect_err(
            "$.i64v")
        s.cli("encode", *gi, "--type", "Golden", '{"level": "NOPE"}').expect_rc(BAD_DATA).expect_err("$.level", "NOPE")
        s.cli("encode", *gi, "--type", "Golden", '{"blob": "***"}').expect_rc(BAD_DATA).expect_err("$.blob", "base64")
        s.cli("encode", *gi, "--type", "Golden", '{"choice": {"s": "a", "n": 1}}').expect_rc(BAD_DATA).expect_err(
            "$.choice")
        s.cli("encode", *gi, "--type", "Golden", "[1]").expect_rc(BAD_DATA).expect_err("$", "object")
        s.cli("encode", *gi, "--type", "Required", "{}").expect_rc(BAD_DATA).expect_err("must", "required")
    elif what == "unknown-field":
        s.cli("encode", *gi, "--type", "Inner", '{"name": "x", "nope": 1}').expect_rc(BAD_DATA).expect_err("nope", "$")
        s.cli("encode", *gi, "--type", "Golden", '{"by_level": {"LOW": {"bad": 1}}}').expect_rc(BAD_DATA).expect_err(
            "bad", "$.by_level")
    elif what == "unknown-name":
        s.cli("encode", *gi, "--type", "Nope", "{}").expect_rc(USAGE).expect_err("Nope")
        s.cli("decode", *gi, "--type", "Nope", input=golden).expect_rc(USAGE).expect_err("Nope")
        s.cli("encode", "--idl", s.opts.phonebook, "--call", "Phonebook.nope", "{}").expect_rc(USAGE).expect_err("nope")
        s.cli("encode", "--idl", s.opts.phonebook, "--call", "Nope.add", "{}").expect_rc(USAGE).expect_err("Nope")
        s.cli("call", "--idl", s.opts.phonebook, "127.0.0.1:1", "Phonebook.nope").expect_rc(USAGE).expect_err("nope")
    elif what == "idl-syntax":
        bad = s.tmp / "bad.thrift"
        bad.write_text("struct A {\n  1: i32 x\n  2: i32 y,,\n}\n")
        s.cli("encode", "--idl", bad, "--type", "A", "{}").expect_rc(IDL_ERROR).expect_err("bad.thrift:3:12: error")
        s.cli("decode", "--idl", bad, "--type", "A", input=b"\x00").expect_rc(IDL_ERROR).expect_err("bad.thrift:3:12:")
        s.cli("call", "--idl", bad, "127.0.0.1:1", "S.f").expect_rc(IDL_ERROR).expect_err("bad.thrift:3:12:")
        unknown = s.tmp / "unknown.thrift"
        unknown.write_text("struct A {\n  1: Missing x\n}\n")
        s.cli("encode", "--idl", unknown, "--type", "A", "{}").expect_rc(IDL_ERROR).expect_err(
            "unknown.thrift:2:6:", "Missing")
        # An include that is not found (no -I).
        s.cli("encode", "--idl", g / "golden.thrift", "--type", "Golden", "{}").expect_rc(IDL_ERROR).expect_err(
            "golden.thrift:4:", "features.thrift")
    elif what == "missing-file":
        missing = s.tmp / "no-such-dir" / "input.bin"
        s.cli("decode", missing).expect_rc(IO_ERROR).expect_err(str(missing))
        s.cli("decode", "--hex", missing).expect_rc(IO_ERROR).expect_err(str(missing))
        s.cli("encode", *gi, "--type", "Inner", "-o", missing, "{}").expect_rc(IO_ERROR).expect_err(str(missing))


# -- 5./6. call -----------------------------------------------------------------------------

XTRUCT = {"string_thing": "z\u00fcrich", "byte_thing": -1, "i32_thing": -2147483648, "i64_thing": 9223372036854775807}
MAPMAP = {"-4": {"-4": -4, "-3": -3, "-2": -2, "-1": -1}, "4": {"1": 1, "2": 2, "3": 3, "4": 4}}
ECHO = object()

# name, method, arguments, expected exit code, expected stdout JSON (ECHO: the argument "thing")
CALLS = [
    ("testString", "ThriftTest.testString", {"thing": "h\u00e9llo \u2603 \U0001d11e"}, OK, ECHO),
    ("testI64", "ThriftTest.testI64", {"thing": -9223372036854775808}, OK, ECHO),
    ("testDouble", "ThriftTest.testDouble", {"thing": "-Infinity"}, OK, ECHO),
    ("testBinary", "ThriftTest.testBinary", {"thing": "AP8QgA=="}, OK, ECHO),
    ("testStruct", "ThriftTest.testStruct", {"thing": XTRUCT}, OK, ECHO),
    ("testNest", "ThriftTest.testNest", {"thing": {"byte_thing": 1, "struct_thing": XTRUCT, "i32_thing": 3}}, OK, ECHO),
    ("testMap", "ThriftTest.testMap", {"thing": {"1": 2, "-3": 4, "2147483647": -2147483648}}, OK, ECHO),
    ("testMapMap", "ThriftTest.testMapMap", {"hello": 1}, OK, MAPMAP),
    ("testList", "ThriftTest.testList", {"thing": [3, -1, 3]}, OK, ECHO),
    ("testEnum", "ThriftTest.testEnum", {"thing": "FIVE"}, OK, ECHO),
    ("testVoid", "ThriftTest.testVoid", {}, OK, None),
    ("testException-none", "ThriftTest.testException", {"arg": "fine"}, OK, None),
    ("testException-Xception", "ThriftTest.testException", {"arg": "Xception"}, DECLARED,
     {"err1": {"errorCode": 1001, "message": "Xception"}}),
    ("testMultiException-Xception2", "ThriftTest.testMultiException", {"arg0": "Xception2", "arg1": "x"}, DECLARED,
     {"err2": {"errorCode": 2002, "struct_thing": {"string_thing": "This is an Xception2", "byte_thing": 0,
                                                   "i32_thing": 0, "i64_thing": 0}}}),
    ("testException-TException", "ThriftTest.testException", {"arg": "TException"}, RPC_ERROR, "TApplicationException"),
    ("testOneway", "ThriftTest.testOneway", {"secondsToSleep": 2}, OK, ""),
]


def run_call(s, server, idl, method, args, extra=()):
    return s.cli("call", "--idl", idl, "--" + server.transport, "--timeout", "5000", *extra, server.target, method,
                 json.dumps(args, ensure_ascii=False))


def check_call(s, server, idl, case, results=None, extra=()):
    name, method, args, rc, want = case
    r = run_call(s, server, idl, method, args, extra).expect_rc(rc)
    if rc == OK and want is None:
        expect(r.out == "null\n", "a void method prints %r, wanted 'null'" % r.out)
    elif want == "":
        expect(r.out == "", "a oneway call prints %r" % r.out)
        expect(r.seconds < 1.5, "a oneway call took %.2f s (it waited for the server's sleep?)" % r.seconds)
    elif rc == RPC_ERROR:
        r.expect_err(want, method)
        expect(r.out == "", "stdout of a failed call: %r" % r.out)
    else:
        same_json(r.json(), args["thing"] if want is ECHO else want, "result")
    if rc == DECLARED:
        r.expect_err(list(want)[0])
    if results is not None:
        results[(name, tuple(extra))] = (r.rc, r.out)
    expect(server.alive(), "the server died")


def check_multiplexed(s, server, idl, results=None):
    extra = ("--multiplexed", "SecondService")
    r = run_call(s, server, idl, "SecondService.secondtestString", {"thing": "mux"}, extra).expect_rc(OK)
    same_json(r.json(), 'testString("mux")', "SecondService.secondtestString")
    r2 = run_call(s, server, idl, "ThriftTest.testStruct", {"thing": XTRUCT}, ("--multiplexed", "ThriftTest")).expect_rc(OK)
    same_json(r2.json(), XTRUCT, "ThriftTest.testStruct, multiplexed")
    r3 = run_call(s, server, idl, "ThriftTest.testException", {"arg": "Xception"},
                  ("--multiplexed", "ThriftTest")).expect_rc(DECLARED)
    # A service name the server does not have: the server answers with an error or hangs up.
    r4 = run_call(s, server, idl, "ThriftTest.testVoid", {}, ("--multiplexed", "NoSuchService")).expect_rc(RPC_ERROR)
    expect(r4.err.strip(), "no message for an unknown multiplexed service")
    if results is not None:
        results["multiplexed"] = [(r.rc, r.out), (r2.rc, r2.out), (r3.rc, r3.out), r4.rc]
    expect(server.alive(), "the server died")


def check_no_server(s):
    port = free_port()  # bound and released: nothing listens there
    r = s.cli("call", "--idl", s.opts.thrifttest_idl, "--connect-timeout", "3000", "127.0.0.1:%d" % port,
              "ThriftTest.testVoid").expect_rc(RPC_ERROR).expect_err("connect", str(port))
    s.cli("bench", "--idl", s.opts.thrifttest_idl, "-q", "-n", "5", "127.0.0.1:%d" % port,
          "ThriftTest.testVoid").expect_rc(RPC_ERROR).expect_err("connect")
    return "%.2f s" % r.seconds


def check_timeout(s):
    listener = SilentListener()
    try:
        for transport in ("--framed", "--buffered"):
            r = s.cli("call", "--idl", s.opts.thrifttest_idl, transport, "--timeout", "400",
                      "127.0.0.1:%d" % listener.port, "ThriftTest.testString", '{"thing": "x"}').expect_rc(RPC_ERROR)
            r.expect_err(re.compile(r"400 ms|time(d)? ?out", re.I))
            expect(0.3 < r.seconds < 5, "a 400 ms timeout took %.2f s" % r.seconds)
    finally:
        listener.close()


def check_wrong_transport(s, framed_server, buffered_server):
    # Buffered bytes to a framed server: the server sees an absurd frame length and hangs up.
    r = s.cli("call", "--idl", s.opts.thrifttest_idl, "--buffered", "--timeout", "3000", framed_server.target,
              "ThriftTest.testString", '{"thing": "x"}').expect_rc(RPC_ERROR)
    expect(r.err.strip(), "no message")
    # Frames to a buffered server: it waits for the rest of a "message" that never comes.
    r = s.cli("call", "--idl", s.opts.thrifttest_idl, "--framed", "--timeout", "800", buffered_server.target,
              "ThriftTest.testString", '{"thing": "x"}').expect_rc(RPC_ERROR)
    expect(r.err.strip(), "no message")
    expect(framed_server.alive() and buffered_server.alive(), "a server died")


def check_call_bad_args(s, server):
    r = run_call(s, server, s.opts.thrifttest_idl, "ThriftTest.testStruct", {"thing": {"i32_thing": "x"}})
    r.expect_rc(BAD_DATA).expect_err("$.thing.i32_thing")
    s.cli("call", "--idl", s.opts.thrifttest_idl, server.target, "ThriftTest.testString", "{").expect_rc(
        BAD_DATA).expect_err("parse")


# -- 7. bench -------------------------------------------------------------------------------

def check_bench(s, server, idl, name):
    out = s.tmp / ("bench-%s.json" % name)
    r = s.cli("bench", "--idl", idl, "--" + server.transport, "-d", "1", "-q", "--json-out", out, server.target,
              "ThriftTest.testString", '{"thing": "bench"}', timeout=30).expect_rc(OK)
    expect(out.exists(), "--json-out wrote nothing")
    j = json.loads(out.read_text())
    expect(j.get("calls", 0) > 0, "calls = %r" % j.get("calls"))
    expect(j.get("errors") == 0, "errors = %r (%r)" % (j.get("errors"), j.get("errors_by_kind")))
    expect(j.get("calls_per_second", 0) > 0, "calls_per_second = %r" % j.get("calls_per_second"))
    lat = j.get("latency", {})
    for k in ("p50_ns", "p99_ns"):
        expect(isinstance(lat.get(k), (int, float)) and lat[k] > 0, "latency.%s = %r" % (k, lat.get(k)))
    expect(lat["p50_ns"] <= lat["p99_ns"], "p50 %r > p99 %r" % (lat["p50_ns"], lat["p99_ns"]))
    expect(0.8 < j.get("seconds", 0) < 3, "seconds = %r for -d 1" % j.get("seconds"))
    expect("calls" in r.out and "p99" in r.out, "no report on stdout: %r" % r.out[:300])
    expect("[" not in r.err, "-q still printed progress: %r" % r.err[:200])
    return "%d calls/s" % j["calls_per_second"]


def check_bench_count(s, server, idl, name):
    out = s.tmp / ("bench-n-%s.json" % name)
    s.cli("bench", "--idl", idl, "--" + server.transport, "-n", "200", "-c", "2", "-k", "3", "-q", "--json-out", out,
          server.target, "ThriftTest.testI32", '{"thing": 7}').expect_rc(OK)
    j = json.loads(out.read_text())
    expect(j.get("calls") == 200, "-n 200 made %r calls" % j.get("calls"))
    expect(j.get("errors") == 0, "errors = %r" % j.get("errors"))
    expect(j.get("connections") == 2 and j.get("concurrency") == 3, "connections/concurrency %r/%r" % (
        j.get("connections"), j.get("concurrency")))


def check_bench_failing(s, server, idl, name):
    out = s.tmp / ("bench-fail-%s.json" % name)
    r = s.cli("bench", "--idl", idl, "--" + server.transport, "-n", "50", "-q", "--json-out", out, server.target,
              "ThriftTest.testException", '{"arg": "TException"}').expect_rc(RPC_ERROR)
    j = json.loads(out.read_text())
    expect(j.get("calls") == 50 and j.get("errors") == 50, "calls %r, errors %r" % (j.get("calls"), j.get("errors")))
    kinds = j.get("errors_by_kind", {})
    expect(any("TApplicationException" in k for k in kinds), "errors_by_kind = %r" % kinds)
    expect("TApplicationException" in r.out, "the report does not list the error kind: %r" % r.out[:400])
    # Declared exceptions are answers, not failures.
    r = s.cli("bench", "--idl", idl, "--" + server.transport, "-n", "20", "-q", "--json-out", out, server.target,
              "ThriftTest.testException", '{"arg": "Xception"}').expect_rc(OK)
    j = json.loads(out.read_text())
    expect(j.get("errors") == 0 and j.get("declared_exceptions") == 20, "declared exceptions: %r" % j)


# -- main -----------------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corothrift", required=True)
    ap.add_argument("--golden-dir", required=True, type=pathlib.Path)
    ap.add_argument("--features-dir", required=True, type=pathlib.Path, help="directory of features.thrift")
    ap.add_argument("--phonebook", required=True, type=pathlib.Path)
    ap.add_argument("--corothrift-gen", help="corothrift-gen, to compare `corothrift gen` with")
    ap.add_argument("--thrifttest-server")
    ap.add_argument("--thrifttest-idl", type=pathlib.Path)
    ap.add_argument("--apache-server")
    ap.add_argument("--apache-idl", type=pathlib.Path)
    ap.add_argument("--update-golden", action="store_true",
                    help="rewrite the expected outputs (also: UPDATE_GOLDEN=1 in the environment)")
    opts = ap.parse_args()
    opts.update_golden = opts.update_golden or os.environ.get("UPDATE_GOLDEN", "") not in ("", "0")
    opts.corothrift = os.path.abspath(opts.corothrift)
    for k in ("golden_dir", "features_dir", "phonebook", "thrifttest_idl", "apache_idl"):
        if getattr(opts, k) is not None:
            setattr(opts, k, getattr(opts, k).resolve())

    started = time.monotonic()
    s = Suite(opts)
    servers = []
    try:
        # 1. help and usage
        for sub in HELP_MENTIONS:
            s.check("help-%s" % (sub or "main"), check_help, s, sub)
        s.check("bad-options", check_bad_options, s)
        if opts.corothrift_gen:
            s.check("gen-same-as-corothrift-gen", check_gen_same_as_corothrift_gen, s)

        # 2. goldens
        for name, args, expected in golden_cases(s):
            s.check(name, check_golden, s, args, expected)
        s.check("golden-inputs-match-encode", check_golden_encode, s)

        # 3. round trips
        for name, type_name, value, want in ROUND_TRIPS:
            s.check("roundtrip-" + name, check_round_trip, s, type_name, value, want)
        s.check("roundtrip-hex-and-files", check_hex_and_files, s)
        if opts.thrifttest_idl and opts.thrifttest_idl.exists():
            s.check("roundtrip-encode-call-decode-message", check_call_round_trip, s)
        else:
            s.skip("roundtrip-encode-call-decode-message", "no ThriftTest.thrift (--thrifttest-idl)")

        # 4. errors
        for what in ("truncated", "trailing", "bad-hex", "bad-bytes", "json-syntax", "json-type", "unknown-field",
                     "unknown-name", "idl-syntax", "missing-file"):
            s.check("error-" + what, check_errors, s, what)

        # 5. call against our server
        ours = {}
        if opts.thrifttest_server and os.path.exists(opts.thrifttest_server) and opts.thrifttest_idl:
            try:
                for name, transport, mux in (("framed", "framed", False), ("buffered", "buffered", False),
                                             ("mux", "buffered", True)):
                    srv = Server("ours-" + name, opts.thrifttest_server, transport, mux, s.tmp)
                    servers.append(srv)
                    srv.start()
                    ours[name] = srv
            except RuntimeError as e:
                s.check("ours-server-start", lambda: (_ for _ in ()).throw(CheckFailed(str(e))))
        else:
            s.skip("call-ours", "thrifttest_server not given or not built (--thrifttest-server)")
        ours_results = {}
        if len(ours) == 3:
            tt = opts.thrifttest_idl
            for case in CALLS:
                for name in ("framed", "buffered"):
                    s.check("call-ours-%s-%s" % (name, case[0]), check_call, s, ours[name], tt, case,
                            ours_results if name == "framed" else None)
            s.check("call-ours-multiplexed", check_multiplexed, s, ours["mux"], tt, ours_results)
            s.check("call-ours-multiplexed-plain-name", check_call, s, ours["mux"], tt, CALLS[0])
            s.check("call-bad-arguments", check_call_bad_args, s, ours["framed"])
            s.check("call-no-server", check_no_server, s)
            s.check("call-timeout", check_timeout, s)
            s.check("call-wrong-transport", check_wrong_transport, s, ours["framed"], ours["buffered"])

        # 6. call against Apache's C++ server
        apache = {}
        if not (opts.apache_server and os.path.exists(opts.apache_server) and opts.apache_idl):
            s.skip("call-apache", "Apache Thrift's C++ ThriftTest server is not built (meson: have_apache is false)")
        else:
            try:
                for name, transport, mux in (("framed", "framed", False), ("buffered", "buffered", False),
                                             ("mux", "buffered", True)):
                    srv = Server("apache-" + name, opts.apache_server, transport, mux, s.tmp)
                    servers.append(srv)
                    srv.start()
                    apache[name] = srv
            except RuntimeError as e:
                s.check("apache-server-start", lambda: (_ for _ in ()).throw(CheckFailed(str(e))))
        if len(apache) == 3:
            ai = opts.apache_idl
            apache_results = {}
            for case in CALLS:
                for name in ("framed", "buffered"):
                    s.check("call-apache-%s-%s" % (name, case[0]), check_call, s, apache[name], ai, case,
                            apache_results if name == "framed" else None)
            s.check("call-apache-multiplexed", check_multiplexed, s, apache["mux"], ai, apache_results)

            def same_as_ours():
                expect(ours_results, "no results from our server to compare with")
                diffs = []
                for key, (rc, out) in sorted((k, v) for k, v in ours_results.items() if k != "multiplexed"):
                    a_rc, a_out = apache_results.get(key, (None, None))
                    if a_rc != rc or (rc != RPC_ERROR and canon(json.loads(a_out or "null")) != canon(json.loads(out or "null"))):
                        diffs.append("%s: ours exit %s %r, Apache's exit %s %r" % (key[0], rc, out, a_rc, a_out))
                if ours_results.get("multiplexed") != apache_results.get("multiplexed"):
                    diffs.append("multiplexed: ours %r, Apache's %r" % (ours_results.get("multiplexed"),
                                                                        apache_results.get("multiplexed")))
                expect(not diffs, "\n  ".join(diffs))
            s.check("call-apache-same-json-as-ours", same_as_ours)

        # 7. bench
        if len(ours) == 3:
            s.check("bench-ours-duration", check_bench, s, ours["framed"], opts.thrifttest_idl, "ours")
            s.check("bench-ours-count", check_bench_count, s, ours["buffered"], opts.thrifttest_idl, "ours")
            s.check("bench-ours-application-exception", check_bench_failing, s, ours["framed"], opts.thrifttest_idl, "ours")
        if len(apache) == 3:
            s.check("bench-apache-duration", check_bench, s, apache["framed"], opts.apache_idl, "apache")
            s.check("bench-apache-count", check_bench_count, s, apache["buffered"], opts.apache_idl, "apache")
            s.check("bench-apache-application-exception", check_bench_failing, s, apache["framed"], opts.apache_idl,
                    "apache")
    finally:
        for srv in servers:
            srv.stop()
        if not s.failed:
            import shutil
            shutil.rmtree(s.tmp, ignore_errors=True)
        else:
            print("(temporary files and server logs kept in %s)" % s.tmp)

    print("%d passed, %d failed, %d skipped in %.1f s%s" % (
        s.passed, len(s.failed), s.skipped, time.monotonic() - started,
        " (golden outputs regenerated)" if opts.update_golden else ""))
    return 1 if s.failed else 0


if __name__ == "__main__":
    sys.exit(main())
