#!/usr/bin/python3
"""ThriftTest server on Apache Thrift 0.17's Python library (python3-thrift), a peer for
corothrift's interop tests. The handler follows the doc comments of ThriftTest.thrift.
Nothing is printed per call; the server runs until it is killed (SIGTERM / SIGINT).

usage: python_thrifttest_server.py (--idl ThriftTest.thrift [--thrift-compiler PATH] | --gen-py DIR)
           [--port N] [--transport buffered|framed] [--protocol binary]
           [--domain-socket PATH] [--multiplexed] [--pure]
"""
import logging
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import thrifttest_peer_common as common  # noqa: E402

args = common.parse_args("ThriftTest server (Apache Thrift Python library)", client=False)
common.exit_on_signals(0)  # being stopped is how the server ends
common.load_generated_code(args)

from thrift.Thrift import TException  # noqa: E402
from thrift.TMultiplexedProcessor import TMultiplexedProcessor  # noqa: E402
from thrift.server import TServer  # noqa: E402
from thrift.transport import TSocket  # noqa: E402

from ThriftTest import SecondService, ThriftTest  # noqa: E402
from ThriftTest.ttypes import Insanity, Numberz, Xception, Xception2, Xtruct  # noqa: E402

# testException("TException") raises this undeclared exception on purpose; the generated
# processor logs every such exception with a traceback. Only this expected one is silenced.
EXPECTED_TEXCEPTION = 'testException("TException")'


class _DropExpected(logging.Filter):
    def filter(self, record):
        exc = record.exc_info[1] if record.exc_info else None
        return not (type(exc) is TException and exc.message == EXPECTED_TEXCEPTION)


logging.getLogger().addFilter(_DropExpected())


class ThriftTestHandler:
    def testVoid(self):
        pass

    def testString(self, thing):
        return thing

    def testBool(self, thing):
        return thing

    def testByte(self, thing):
        return thing

    def testI32(self, thing):
        return thing

    def testI64(self, thing):
        return thing

    def testDouble(self, thing):
        return thing

    def testBinary(self, thing):
        return thing

    def testStruct(self, thing):
        return thing

    def testNest(self, thing):
        return thing

    def testMap(self, thing):
        return thing

    def testStringMap(self, thing):
        return thing

    def testSet(self, thing):
        return thing

    def testList(self, thing):
        return thing

    def testEnum(self, thing):
        return thing

    def testTypedef(self, thing):
        return thing

    def testMapMap(self, hello):
        return {-4: {-4: -4, -3: -3, -2: -2, -1: -1}, 4: {1: 1, 2: 2, 3: 3, 4: 4}}

    def testInsanity(self, argument):
        return {
            1: {Numberz.TWO: argument, Numberz.THREE: argument},
            2: {Numberz.SIX: Insanity(userMap={}, xtructs=[])},
        }

    def testMulti(self, arg0, arg1, arg2, arg3, arg4, arg5):
        return Xtruct(string_thing="Hello2", byte_thing=arg0, i32_thing=arg1, i64_thing=arg2)

    def testException(self, arg):
        if arg == "Xception":
            raise Xception(errorCode=1001, message=arg)
        if arg == "TException":
            raise TException(message=EXPECTED_TEXCEPTION)

    def testMultiException(self, arg0, arg1):
        if arg0 == "Xception":
            raise Xception(errorCode=1001, message="This is an Xception")
        if arg0 == "Xception2":
            raise Xception2(errorCode=2002, struct_thing=Xtruct(string_thing="This is an Xception2"))
        return Xtruct(string_thing=arg1)

    def testOneway(self, secondsToSleep):
        if secondsToSleep > 0:
            time.sleep(secondsToSleep)


class SecondServiceHandler:
    def secondtestString(self, thing):
        return 'testString("%s")' % thing


def main():
    test_processor = ThriftTest.Processor(ThriftTestHandler())
    if args.multiplexed:
        processor = TMultiplexedProcessor()
        processor.registerProcessor("ThriftTest", test_processor)
        processor.registerProcessor("SecondService", SecondService.Processor(SecondServiceHandler()))
    else:
        processor = test_processor

    if args.domain_socket:
        server_socket = TSocket.TServerSocket(unix_socket=args.domain_socket)
    else:
        server_socket = TSocket.TServerSocket(port=args.port)

    server = TServer.TThreadedServer(processor, server_socket, common.transport_factory(args),
                                     common.protocol_factory(args), daemon=True)
    server.serve()


if __name__ == "__main__":
    main()
