#!/usr/bin/python3
"""Runs one ThriftTest server against one ThriftTest client.

usage: run_pair.py [--name NAME] [--transport buffered|framed] [--protocol binary]
                   [--multiplexed] [--domain-socket] [--client-timeout SECONDS]
                   [--startup-timeout SECONDS]
                   --server CMD [ARG...] --client CMD [ARG...]

Everything after --server up to --client is the server's command line, everything after
--client is the client's. run_pair.py picks a free loopback port (or, with --domain-socket,
a fresh socket path in a temporary directory) and appends the connection flags:
  server: --port P | --domain-socket PATH, --transport T, --protocol binary [, --multiplexed]
  client: --host 127.0.0.1 --port P | --domain-socket PATH, --transport T,
          --protocol binary [, --multiplexed]
It starts the server, waits until it accepts connections (the server exiting first is a
failure; a TCP server that exits at start-up, e.g. because another process took the port
in between, is retried on a new port), runs the client with a timeout, then stops the server
(SIGTERM, then SIGKILL) and waits for it. It prints "PASS NAME" or "FAIL NAME: reason" and
exits with the client's status (1 if the server failed or the client timed out). No process
it started is left running.
"""
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time


def usage(message):
    sys.stderr.write("run_pair.py: %s\n%s" % (message, __doc__))
    sys.exit(2)


def parse(argv):
    opts = {"name": None, "transport": "buffered", "protocol": "binary", "multiplexed": False,
            "domain_socket": False, "client_timeout": 120.0, "startup_timeout": 15.0}
    server, client = None, None
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--server":
            try:
                j = argv.index("--client", i + 1)
            except ValueError:
                usage("--server needs a following --client")
            server, client = argv[i + 1:j], argv[j + 1:]
            break
        if arg == "--multiplexed":
            opts["multiplexed"] = True
        elif arg == "--domain-socket":
            opts["domain_socket"] = True
        elif arg in ("--name", "--transport", "--protocol", "--client-timeout", "--startup-timeout"):
            if i + 1 >= len(argv):
                usage("missing value for " + arg)
            key = arg[2:].replace("-", "_")
            value = argv[i + 1]
            opts[key] = float(value) if key.endswith("timeout") else value
            i += 1
        else:
            usage("unknown argument " + arg)
        i += 1
    if not server or not client:
        usage("need --server CMD... --client CMD...")
    if opts["name"] is None:
        opts["name"] = "%s-vs-%s" % (os.path.basename(server[-1]), os.path.basename(client[-1]))
    return opts, server, client


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def can_connect(address):
    family = socket.AF_UNIX if isinstance(address, str) else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.settimeout(1.0)
        try:
            s.connect(address)
            return True
        except OSError:
            return False


def stop(proc):
    """Ends a process this script started and waits for it; returns its status."""
    if proc is None:
        return None
    if proc.poll() is None:
        try:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return proc.returncode


def terminated(signum, frame):
    # Turn SIGTERM (e.g. a test runner's timeout) into an exception so that the finally
    # clause below still stops the processes started here.
    raise SystemExit(128 + signum)


def main():
    opts, server_cmd, client_cmd = parse(sys.argv[1:])
    signal.signal(signal.SIGTERM, terminated)
    name = opts["name"]
    common = ["--transport", opts["transport"], "--protocol", opts["protocol"]]
    if opts["multiplexed"]:
        common.append("--multiplexed")

    tmpdir = tempfile.mkdtemp(prefix="thrifttest-pair-")
    server = None
    client = None
    try:
        attempts = 1 if opts["domain_socket"] else 3
        address = None
        for attempt in range(attempts):
            if opts["domain_socket"]:
                address = os.path.join(tmpdir, "thrifttest.sock")
                where = ["--domain-socket", address]
                client_where = ["--domain-socket", address]
            else:
                port = free_port()
                address = ("127.0.0.1", port)
                where = ["--port", str(port)]
                client_where = ["--host", "127.0.0.1", "--port", str(port)]
            full_server = server_cmd + where + common
            sys.stderr.write("run_pair: server: %s\n" % " ".join(full_server))
            sys.stderr.flush()
            server = subprocess.Popen(full_server, stdin=subprocess.DEVNULL)
            deadline = time.monotonic() + opts["startup_timeout"]
            ready = False
            while time.monotonic() < deadline:
                if server.poll() is not None:
                    break
                if can_connect(address):
                    ready = True
                    break
                time.sleep(0.05)
            if ready:
                break
            exited = server.poll() is not None
            status = stop(server)
            server = None
            if not exited:
                print("FAIL %s: server did not accept connections within %g s"
                      % (name, opts["startup_timeout"]), flush=True)
                return 1
            if attempt + 1 == attempts:
                print("FAIL %s: server exited with status %s before accepting connections"
                      % (name, status), flush=True)
                return 1
            sys.stderr.write("run_pair: server exited with status %s at start-up; "
                             "retrying on another port\n" % status)

        full_client = client_cmd + client_where + common
        sys.stderr.write("run_pair: client: %s\n" % " ".join(full_client))
        sys.stderr.flush()
        client = subprocess.Popen(full_client, stdin=subprocess.DEVNULL)
        try:
            client_status = client.wait(timeout=opts["client_timeout"])
        except subprocess.TimeoutExpired:
            stop(client)
            print("FAIL %s: client did not finish within %g s" % (name, opts["client_timeout"]),
                  flush=True)
            return 1

        if server.poll() is not None:
            print("FAIL %s: server exited with status %s during the run (client status %d)"
                  % (name, server.returncode, client_status), flush=True)
            return client_status or 1
        if client_status != 0:
            print("FAIL %s: client exited with status %d" % (name, client_status), flush=True)
            return client_status if client_status > 0 else 1
        print("PASS %s" % name, flush=True)
        return 0
    finally:
        stop(client)
        stop(server)
        shutil.rmtree(tmpdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
