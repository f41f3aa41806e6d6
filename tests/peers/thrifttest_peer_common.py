"""Shared set-up of the Python ThriftTest peers (python_thrifttest_server.py and
python_thrifttest_client.py), both run by Debian's /usr/bin/python3 with python3-thrift
(Apache Thrift 0.17).

The ThriftTest Python code comes from Apache's compiler: either --gen-py DIR names a
directory that already holds gen-py output for ThriftTest.thrift, or the program runs
`THRIFT --gen py` on --idl into a temporary directory that is removed at exit.
"""
import argparse
import atexit
import os
import shutil
import signal
import subprocess
import sys
import tempfile


def add_common_arguments(parser, client):
    if client:
        parser.add_argument("--host", default="localhost")
    parser.add_argument("--port", type=int, default=9090)
    parser.add_argument("--transport", choices=["buffered", "framed"], default="buffered")
    parser.add_argument("--protocol", choices=["binary"], default="binary")
    parser.add_argument("--domain-socket", metavar="PATH",
                        help="use a Unix domain socket instead of TCP")
    parser.add_argument("--multiplexed", action="store_true",
                        help='services "ThriftTest" and "SecondService" behind a multiplexer')
    parser.add_argument("--pure", action="store_true",
                        help="pure-Python TBinaryProtocol even if fastbinary is available")
    parser.add_argument("--thrift-compiler", metavar="PATH",
                        default=os.environ.get("THRIFT_COMPILER", "thrift"),
                        help="Apache thrift compiler (default: $THRIFT_COMPILER or thrift)")
    parser.add_argument("--idl", metavar="PATH", default=os.environ.get("THRIFTTEST_IDL"),
                        help="ThriftTest.thrift (default: $THRIFTTEST_IDL)")
    parser.add_argument("--gen-py", metavar="DIR",
                        help="use this gen-py directory instead of running the compiler")


def parse_args(description, client):
    parser = argparse.ArgumentParser(description=description)
    add_common_arguments(parser, client)
    args = parser.parse_args()
    if args.gen_py is None and args.idl is None:
        parser.error("need --idl PATH (or $THRIFTTEST_IDL) or --gen-py DIR")
    return args


_temp_dirs = []


def cleanup():
    while _temp_dirs:
        shutil.rmtree(_temp_dirs.pop(), ignore_errors=True)


def exit_on_signals(status):
    """SIGTERM and SIGINT end the program at once (other threads included) with `status`
    (None: 128 + the signal number), after removing the temporary gen-py directory."""
    def handler(signum, frame):
        cleanup()
        os._exit(128 + signum if status is None else status)
    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)


def load_generated_code(args):
    """Makes `import ThriftTest` work; returns the gen-py directory used."""
    if args.gen_py is not None:
        directory = args.gen_py
    else:
        directory = tempfile.mkdtemp(prefix="thrifttest-py-")
        _temp_dirs.append(directory)
        atexit.register(cleanup)
        proc = subprocess.run([args.thrift_compiler, "--gen", "py", "-out", directory, args.idl],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if proc.returncode != 0:
            sys.stderr.write(proc.stdout + proc.stderr)
            sys.exit("%s --gen py %s failed with status %d" % (args.thrift_compiler, args.idl,
                                                                proc.returncode))
    sys.path.insert(0, directory)
    return directory


def have_fastbinary():
    try:
        from thrift.protocol import fastbinary  # noqa: F401
        return True
    except ImportError:
        return False


def protocol_class(args):
    from thrift.protocol import TBinaryProtocol
    if not args.pure and have_fastbinary():
        return TBinaryProtocol.TBinaryProtocolAccelerated
    return TBinaryProtocol.TBinaryProtocol


def protocol_factory(args):
    from thrift.protocol import TBinaryProtocol
    if not args.pure and have_fastbinary():
        return TBinaryProtocol.TBinaryProtocolAcceleratedFactory()
    return TBinaryProtocol.TBinaryProtocolFactory()


def transport_factory(args):
    from thrift.transport import TTransport
    if args.transport == "framed":
        return TTransport.TFramedTransportFactory()
    return TTransport.TBufferedTransportFactory()
