#!/usr/bin/python3
"""ThriftTest client on Apache Thrift 0.17's Python library (python3-thrift), a peer for
corothrift's interop tests. It calls every ThriftTest method with non-trivial values and
checks the replies against ThriftTest.thrift's doc comments (plus
SecondService.secondtestString with --multiplexed), and sends a call to a method the server
does not have, expecting a TApplicationException UNKNOWN_METHOD.

Each failed check prints one line "FAIL <check>: expected <...>, got <...>"; the last line
sums up. Exit status: 0 if every check passed, 1 otherwise, 2 for a bad command line.

usage: python_thrifttest_client.py (--idl ThriftTest.thrift [--thrift-compiler PATH] | --gen-py DIR)
           [--host H] [--port N] [--transport buffered|framed] [--protocol binary]
           [--domain-socket PATH] [--multiplexed] [--pure]
"""
import math
import os
import random
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import thrifttest_peer_common as common  # noqa: E402

args = common.parse_args("ThriftTest client (Apache Thrift Python library)", client=True)
common.exit_on_signals(None)
common.load_generated_code(args)

from thrift.Thrift import TApplicationException, TException, TMessageType  # noqa: E402
from thrift.protocol.TMultiplexedProtocol import TMultiplexedProtocol  # noqa: E402
from thrift.transport import TSocket, TTransport  # noqa: E402

from ThriftTest import SecondService, ThriftTest  # noqa: E402
from ThriftTest.ttypes import Insanity, Numberz, Xception, Xception2, Xtruct, Xtruct2  # noqa: E402

I32_MIN, I32_MAX = -(1 << 31), (1 << 31) - 1
I64_MIN, I64_MAX = -(1 << 63), (1 << 63) - 1
UTF8 = "\u00dcn\u00efc\u00f6d\u00e9 \u2713 \u65e5\u672c\u8a9e \U0001f389 \u0395\u03bb\u03bb\u03b7\u03bd\u03b9\u03ba\u03ac"
WITH_NUL = "a\x00b\x00c"


def describe(value, limit=1500):
    text = repr(value)
    if len(text) > limit:
        text = text[:limit] + "...(%d chars)" % len(text)
    return text


class Connection:
    def __init__(self, args):
        self.args = args
        self.transport = None

    def open(self):
        self.close()
        if self.args.domain_socket:
            sock = TSocket.TSocket(unix_socket=self.args.domain_socket)
        else:
            sock = TSocket.TSocket(self.args.host, self.args.port)
        sock.setTimeout(30000)
        if self.args.transport == "framed":
            self.transport = TTransport.TFramedTransport(sock)
        else:
            self.transport = TTransport.TBufferedTransport(sock)
        self.protocol = common.protocol_class(self.args)(self.transport)
        if self.args.multiplexed:
            self.test_protocol = TMultiplexedProtocol(self.protocol, "ThriftTest")
            second_protocol = TMultiplexedProtocol(self.protocol, "SecondService")
        else:
            self.test_protocol = self.protocol
            second_protocol = self.protocol
        self.test = ThriftTest.Client(self.test_protocol)
        self.second = SecondService.Client(second_protocol)
        self.transport.open()

    def close(self):
        if self.transport is not None:
            try:
                self.transport.close()
            except Exception:
                pass
        self.transport = None

    def is_open(self):
        return self.transport is not None and self.transport.isOpen()


class Checker:
    def __init__(self, conn):
        self.conn = conn
        self.checks = 0
        self.failures = 0

    def fail(self, what, expected, got):
        self.failures += 1
        print("FAIL %s: expected %s, got %s" % (what, expected, got), flush=True)

    def expect(self, what, got, want):
        self.checks += 1
        if got != want:
            extra = ""
            if isinstance(want, (str, bytes)) and isinstance(got, type(want)):
                i = 0
                while i < len(want) and i < len(got) and want[i] == got[i]:
                    i += 1
                extra = " (lengths %d and %d, first difference at %d)" % (len(want), len(got), i)
            limit = 300 if isinstance(want, (str, bytes)) else 1500
            self.fail(what, describe(want, limit), describe(got, limit) + extra)

    def expect_true(self, what, ok, expected, got):
        self.checks += 1
        if not ok:
            self.fail(what, expected, got)

    def ensure_open(self, what):
        if self.conn.is_open():
            return True
        try:
            self.conn.open()
            return True
        except Exception as e:
            self.checks += 1
            self.fail(what, "a connection to the server", describe_exception(e))
            return False

    def reopen(self, what):
        self.conn.close()
        self.ensure_open(what + " (reconnecting)")

    def call(self, what, body):
        """Runs one call (or a few that belong together); an unexpected exception is a failed
        check, and after anything but a TApplicationException the connection is reopened."""
        if not self.ensure_open(what):
            return
        self.checks += 1
        try:
            body()
        except TApplicationException as e:
            self.fail(what, "a normal reply", describe_exception(e))
        except Exception as e:
            self.fail(what, "a normal reply", describe_exception(e))
            self.reopen(what)


def describe_exception(e):
    if isinstance(e, TApplicationException):
        return "TApplicationException(type %s): %s" % (e.type, e.message)
    if isinstance(e, TTransport.TTransportException):
        return "TTransportException(type %s): %s" % (e.type, e.message)
    return "%s: %s" % (type(e).__name__, describe(e))


def same_double(got, want):
    if math.isnan(want):
        return isinstance(got, float) and math.isnan(got)
    return isinstance(got, float) and struct.pack("<d", got) == struct.pack("<d", want)


def normalized_insanity(value):
    """Insanity with absent fields read as empty containers (a server may omit them)."""
    return (dict(value.userMap or {}), list(value.xtructs or []))


def normalized_insanity_map(m):
    return {k: {e: normalized_insanity(v) for e, v in inner.items()} for k, inner in m.items()}


def run_checks(ck, conn):
    t = lambda: conn.test  # noqa: E731  (the client object changes when reconnecting)

    ck.call("testVoid", lambda: t().testVoid())

    for s in ["", "Hello, world", UTF8, WITH_NUL, "x" * 70000 + UTF8]:
        what = "testString(%s)" % describe(s, 60)
        ck.call(what, lambda s=s, what=what: ck.expect(what, t().testString(s), s))

    for b in [True, False]:
        what = "testBool(%s)" % b
        ck.call(what, lambda b=b, what=what: ck.expect(what, t().testBool(b), b))

    for v in [0, 1, -1, 127, -128]:
        what = "testByte(%d)" % v
        ck.call(what, lambda v=v, what=what: ck.expect(what, t().testByte(v), v))

    for v in [0, -1, 1, I32_MIN, I32_MAX, -123456789]:
        what = "testI32(%d)" % v
        ck.call(what, lambda v=v, what=what: ck.expect(what, t().testI32(v), v))

    for v in [0, -1, I64_MIN, I64_MAX, -34359738368, 1 << 40]:
        what = "testI64(%d)" % v
        ck.call(what, lambda v=v, what=what: ck.expect(what, t().testI64(v), v))

    for v in [0.0, -0.0, -5.2098523, 1.0 / 3.0, -7.25, 1e308, -1e-308, 5e-324,
              sys.float_info.max, -sys.float_info.max, math.inf, -math.inf, math.nan]:
        what = "testDouble(%r)" % v

        def body(v=v, what=what):
            got = t().testDouble(v)
            ck.expect_true(what, same_double(got, v), repr(v), repr(got))
        ck.call(what, body)

    rng = random.Random(7)
    for b in [b"", bytes(range(256)), rng.randbytes(100 * 1024)]:
        what = "testBinary(%d bytes)" % len(b)
        ck.call(what, lambda b=b, what=what: ck.expect(what, t().testBinary(b), b))

    for x in [Xtruct("Zero", 1, -3, -5), Xtruct(UTF8 + WITH_NUL, -128, I32_MIN, I64_MAX),
              Xtruct("", 0, 0, 0)]:
        what = "testStruct(%s)" % describe(x, 120)
        ck.call(what, lambda x=x, what=what: ck.expect(what, t().testStruct(x), x))

    nest = Xtruct2(byte_thing=1, struct_thing=Xtruct("Zero", 1, -3, -5), i32_thing=5)
    ck.call("testNest", lambda: ck.expect("testNest", t().testNest(nest), nest))

    big_map = {i * 7919: -i for i in range(-500, 500)}
    big_map[I32_MIN] = I32_MAX
    big_map[I32_MAX] = I32_MIN
    for m in [{}, {0: -10, 1: -9, -5: 5}, big_map]:
        what = "testMap(%d entries)" % len(m)
        ck.call(what, lambda m=m, what=what: ck.expect(what, t().testMap(m), m))

    string_map = {"a": "2", "b": "blah", "some": "thing", "": "empty key", UTF8: WITH_NUL,
                  "empty value": ""}
    for m in [{}, string_map]:
        what = "testStringMap(%d entries)" % len(m)
        ck.call(what, lambda m=m, what=what: ck.expect(what, t().testStringMap(m), m))

    for s in [set(), {-2, -1, 0, 1, 2, I32_MIN, I32_MAX}, {i * 104729 - 50000000 for i in range(1000)}]:
        what = "testSet(%d elements)" % len(s)
        ck.call(what, lambda s=s, what=what: ck.expect(what, set(t().testSet(s)), s))

    big_list = [rng.randrange(I32_MIN, I32_MAX + 1) for _ in range(10000)]
    for lst in [[], [-2, -1, 0, 1, 2, I32_MIN, I32_MAX, 0, 0, -1], big_list]:
        what = "testList(%d elements)" % len(lst)
        ck.call(what, lambda lst=lst, what=what: ck.expect(what, t().testList(lst), lst))

    for e in [Numberz.ONE, Numberz.TWO, Numberz.THREE, Numberz.FIVE, Numberz.SIX, Numberz.EIGHT]:
        what = "testEnum(%d)" % e
        ck.call(what, lambda e=e, what=what: ck.expect(what, t().testEnum(e), e))

    for v in [309858235082523, -1, I64_MIN]:
        what = "testTypedef(%d)" % v
        ck.call(what, lambda v=v, what=what: ck.expect(what, t().testTypedef(v), v))

    want_mapmap = {-4: {-4: -4, -3: -3, -2: -2, -1: -1}, 4: {1: 1, 2: 2, 3: 3, 4: 4}}
    ck.call("testMapMap(1)", lambda: ck.expect("testMapMap(1)", t().testMapMap(1), want_mapmap))

    argument = Insanity(userMap={Numberz.FIVE: 5, Numberz.EIGHT: 8},
                        xtructs=[Xtruct("Goodbye4", 4, 4, 4), Xtruct("Hello2", 2, 2, 2)])
    want_insanity = {1: {Numberz.TWO: normalized_insanity(argument),
                         Numberz.THREE: normalized_insanity(argument)},
                     2: {Numberz.SIX: ({}, [])}}
    ck.call("testInsanity", lambda: ck.expect(
        "testInsanity", normalized_insanity_map(t().testInsanity(argument)), want_insanity))

    def multi():
        ck.expect("testMulti(9, 5, 12345678901, ...)",
                  t().testMulti(9, 5, 12345678901, {1: "abc", -2: UTF8}, Numberz.FIVE, 5),
                  Xtruct("Hello2", 9, 5, 12345678901))
        ck.expect("testMulti(-128, INT32_MIN, INT64_MIN, ...)",
                  t().testMulti(-128, I32_MIN, I64_MIN, {}, Numberz.EIGHT, -1),
                  Xtruct("Hello2", -128, I32_MIN, I64_MIN))
    ck.call("testMulti", multi)

    # testException: the declared Xception, an undeclared TException, and no exception.
    def exception_xception():
        what = 'testException("Xception")'
        try:
            t().testException("Xception")
            ck.expect_true(what, False, 'Xception(errorCode=1001, message="Xception")', "a normal reply")
        except Xception as e:
            ck.expect(what + " errorCode", e.errorCode, 1001)
            ck.expect(what + " message", e.message, "Xception")
    ck.call('testException("Xception")', exception_xception)

    def exception_texception():
        what = 'testException("TException")'
        try:
            t().testException("TException")
            ck.expect_true(what, False, "a TException", "a normal reply")
        except Xception as e:
            ck.expect_true(what, False, "a TException other than Xception", describe_exception(e))
        except TTransport.TTransportException as e:
            # The server dropped the connection: tolerated, the next calls use a new one.
            sys.stderr.write("note: %s: %s; reconnecting\n" % (what, describe_exception(e)))
            ck.reopen(what)
        except TException:
            pass
    ck.call('testException("TException")', exception_texception)

    def void_after_texception():
        if not conn.is_open():
            ck.reopen('testException("TException")')
        t().testVoid()
    ck.call('testVoid after testException("TException")', void_after_texception)
    ck.call('testException("success")', lambda: t().testException("success"))

    def multi_exception_1():
        what = 'testMultiException("Xception", "test 1")'
        try:
            t().testMultiException("Xception", "test 1")
            ck.expect_true(what, False, 'Xception(errorCode=1001, message="This is an Xception")',
                           "a normal reply")
        except Xception as e:
            ck.expect(what + " errorCode", e.errorCode, 1001)
            ck.expect(what + " message", e.message, "This is an Xception")
    ck.call('testMultiException("Xception", "test 1")', multi_exception_1)

    def multi_exception_2():
        what = 'testMultiException("Xception2", "test 2")'
        try:
            t().testMultiException("Xception2", "test 2")
            ck.expect_true(what, False, "Xception2(errorCode=2002, ...)", "a normal reply")
        except Xception2 as e:
            ck.expect(what + " errorCode", e.errorCode, 2002)
            ck.expect(what + " struct_thing.string_thing",
                      e.struct_thing.string_thing if e.struct_thing else None, "This is an Xception2")
    ck.call('testMultiException("Xception2", "test 2")', multi_exception_2)

    def multi_exception_3():
        what = 'testMultiException("success", "test 3")'
        ck.expect(what + " string_thing", t().testMultiException("success", "test 3").string_thing, "test 3")
    ck.call('testMultiException("success", "test 3")', multi_exception_3)

    # testOneway(1) must not wait for the server's one second of sleep.
    def oneway():
        start = time.monotonic()
        t().testOneway(1)
        elapsed = time.monotonic() - start
        ck.expect_true("testOneway(1) duration", elapsed < 0.5, "under 500 ms", "%d ms" % (elapsed * 1000))
    ck.call("testOneway(1)", oneway)
    ck.call("testVoid after testOneway", lambda: t().testVoid())

    # A method the server does not know, written by hand: the reply must be a
    # TApplicationException UNKNOWN_METHOD with our seqid.
    def unknown_method():
        seqid = 4711
        out = conn.test_protocol  # with --multiplexed: "ThriftTest:noSuchMethod"
        out.writeMessageBegin("noSuchMethod", TMessageType.CALL, seqid)
        out.writeStructBegin("noSuchMethod_args")
        out.writeFieldStop()
        out.writeStructEnd()
        out.writeMessageEnd()
        conn.transport.flush()
        (name, mtype, rseqid) = conn.protocol.readMessageBegin()
        if mtype != TMessageType.EXCEPTION:
            ck.expect_true("noSuchMethod reply type", False, "EXCEPTION (3)", str(mtype))
            conn.close()  # the reply's body is not read: start afresh
            return
        x = TApplicationException()
        x.read(conn.protocol)
        conn.protocol.readMessageEnd()
        ck.expect("noSuchMethod reply seqid", rseqid, seqid)
        ck.expect_true("noSuchMethod reply name", name in ("noSuchMethod", "ThriftTest:noSuchMethod"),
                       repr("noSuchMethod"), repr(name))
        ck.expect("noSuchMethod TApplicationException type", x.type, TApplicationException.UNKNOWN_METHOD)
    ck.call("noSuchMethod", unknown_method)
    ck.call("testVoid after noSuchMethod", lambda: t().testVoid())

    if args.multiplexed:
        for s in ["foo", UTF8]:
            what = "SecondService.secondtestString(%r)" % s
            ck.call(what, lambda s=s, what=what: ck.expect(
                what, conn.second.secondtestString(s), 'testString("%s")' % s))
        ck.call("testString after SecondService", lambda: ck.expect(
            "testString after SecondService", t().testString("back to ThriftTest"), "back to ThriftTest"))


def main():
    conn = Connection(args)
    ck = Checker(conn)
    if ck.ensure_open("connect"):
        run_checks(ck, conn)
    conn.close()
    print("%s: %d checks, %d failed" % ("OK" if ck.failures == 0 else "FAILED", ck.checks, ck.failures))
    return 0 if ck.failures == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
