#!/usr/bin/python3
"""Interop with Apache Thrift 0.17's Python library (Debian python3-thrift).

Python builds random Everything values, encodes each as a message (strict and old header
forms) with both the pure-Python TBinaryProtocol and the C-accelerated one (fastbinary),
which must agree. corothrift decodes every message and re-encodes it (reencode helper);
Python decodes corothrift's bytes and requires the same header and value, and the same
bytes wherever the value has no set of more than one element (a Python set's iteration
order is its own, so only there may the element order differ; maps are built in key order,
which is the order of the std::map corothrift decodes into).

usage: python_peer.py THRIFT_COMPILER IDL REENCODE_EXE
"""
import os
import random
import subprocess
import sys
import tempfile

THRIFT, IDL, REENCODE = sys.argv[1:4]

work = tempfile.mkdtemp(prefix="corothrift-py-")
subprocess.run([THRIFT, "--gen", "py", "-out", work, IDL], check=True, capture_output=True)
sys.path.insert(0, work)

import thrift  # noqa: E402
from thrift.protocol import TBinaryProtocol  # noqa: E402
from thrift.Thrift import TMessageType  # noqa: E402
from thrift.transport import TTransport  # noqa: E402

from interop_usual.ttypes import Color, Everything, Inner  # noqa: E402

try:
    from thrift.protocol import fastbinary  # noqa: F401
    HAVE_FAST = True
except ImportError:
    HAVE_FAST = False

rng = random.Random(4242)


def rstr(n):
    return "".join(chr(rng.randrange(32, 0x2FF)) for _ in range(rng.randrange(n + 1)))


def rbytes(n):
    return bytes(rng.randrange(256) for _ in range(rng.randrange(n + 1)))


def i(bits):
    return rng.randrange(-(1 << (bits - 1)), 1 << (bits - 1))


def sorted_dict(d):
    """A dict that iterates in key order, like the std::map corothrift decodes into (UTF-8
    byte order and code point order agree, so string keys sort the same on both sides)."""
    return dict(sorted(d.items()))


def value(small_sets):
    k = 1 if small_sets else 5
    e = Everything(
        flag=rng.random() < 0.5, tiny=i(8), small=i(16), medium=i(32), large=i(64),
        real=rng.uniform(-1e300, 1e300), text=rstr(20), raw=rbytes(50),
        ints=[i(32) for _ in range(rng.randrange(10))],
        tags={rstr(4) for _ in range(rng.randrange(k + 1))},
        names=sorted_dict({i(32): rstr(5) for _ in range(rng.randrange(5))}),
        series=sorted_dict({rstr(3): [i(64) for _ in range(rng.randrange(4))] for _ in range(rng.randrange(4))}),
        deep=[sorted_dict({rstr(2): {i(16) for _ in range(rng.randrange(k + 1))} for _ in range(rng.randrange(3))})
              for _ in range(rng.randrange(3))],
        color=rng.choice([Color.RED, Color.GREEN, Color.BLUE]),
        maybe_int=i(32) if rng.random() < 0.5 else None,
        maybe_text=rstr(6) if rng.random() < 0.5 else None,
        inner=Inner(x=i(32), label=rstr(5)),
        inners=[Inner(x=i(32), label=rstr(3)) for _ in range(rng.randrange(4))],
        must=i(64),
        bits=[rng.random() < 0.5 for _ in range(rng.randrange(9))],
        colors={rng.choice([Color.RED, Color.BLUE]) for _ in range(rng.randrange(k + 1))},
        reals=[rng.uniform(-1e6, 1e6) for _ in range(rng.randrange(4))],
    )
    return e


def encode(obj, name, mtype, seqid, strict, accelerated):
    buf = TTransport.TMemoryBuffer()
    if accelerated:
        proto = TBinaryProtocol.TBinaryProtocolAccelerated(buf, strictWrite=strict)
    else:
        proto = TBinaryProtocol.TBinaryProtocol(buf, strictWrite=strict)
    proto.writeMessageBegin(name, mtype, seqid)
    obj.write(proto)
    proto.writeMessageEnd()
    return buf.getvalue()


def decode(data):
    proto = TBinaryProtocol.TBinaryProtocol(TTransport.TMemoryBuffer(data))
    name, mtype, seqid = proto.readMessageBegin()
    if isinstance(name, bytes):  # python3-thrift returns the old-form header's name undecoded
        name = name.decode("utf-8")
    obj = Everything()
    obj.read(proto)
    proto.readMessageEnd()
    return name, mtype, seqid, obj


cases = []
for n in range(200):
    small_sets = n % 2 == 0
    obj = value(small_sets)
    strict = n % 3 != 0
    mtype = [TMessageType.CALL, TMessageType.REPLY, TMessageType.EXCEPTION, TMessageType.ONEWAY][n % 4]
    name = "method%d" % n
    seqid = i(32)
    data = encode(obj, name, mtype, seqid, strict, accelerated=False)
    if HAVE_FAST:
        fast = encode(obj, name, mtype, seqid, strict, accelerated=True)
        assert fast == data, "python: pure and accelerated encodings differ"
    path = os.path.join(work, "m%03d.bin" % n)
    with open(path, "wb") as f:
        f.write(data)
    cases.append((path, obj, name, mtype, seqid, small_sets, data))

run = subprocess.run([REENCODE, work], capture_output=True, text=True)
if run.returncode != 0:
    print("corothrift could not decode Python's bytes:", run.stderr)
    sys.exit(1)

failures = 0
byte_checks = 0
for path, obj, name, mtype, seqid, small_sets, data in cases:
    with open(path + ".cpp", "rb") as f:
        ours = f.read()
    got = decode(ours)
    if got != (name, mtype, seqid, obj):
        failures += 1
        print("MISMATCH (value) for", path)
    if small_sets:
        byte_checks += 1
        if ours != data:
            failures += 1
            print("MISMATCH (bytes) for", path, "\n python:", data.hex(), "\n ours:  ", ours.hex())

print("interop peer: Apache Thrift python3-thrift (%s; pure-Python TBinaryProtocol%s)"
      % (os.path.dirname(thrift.__file__), " and fastbinary" if HAVE_FAST else ""))
print("%d messages decoded by corothrift and read back by Python, %d byte-for-byte; %d failures"
      % (len(cases), byte_checks, failures))
sys.exit(1 if failures else 0)
