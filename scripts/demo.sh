#!/usr/bin/env bash
# The README demo command: installs what is needed, builds corothrift (release), runs the
# RPC demo (server + pipelined coroutine client in one process), the codec demo (encode a
# struct, frame it, deframe it in chunks, decode it), reports the size of
# the minimal protocol-only program, and runs a short benchmark against Apache Thrift 0.17.
# Set COROTHRIFT_SKIP_INSTALL=1 to skip apt-get; BENCH_REPS / BENCH_MIN_TIME tune the bench.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${COROTHRIFT_SKIP_INSTALL:-0}" != 1 ]; then bash scripts/install-deps.sh; fi
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3

dir=.build-demo
if [ -d "$dir/meson-private" ]; then
  meson setup --reconfigure "$dir" -Dbuildtype=release -Dbench=enabled >/dev/null
else
  meson setup "$dir" -Dbuildtype=release -Dbench=enabled >/dev/null
fi
meson compile -C "$dir" >/dev/null

echo "== RPC demo: corothrift server and coroutine client in one process =="
"$dir/examples/rpc_demo"
echo
echo "== the corothrift command-line tool on the same service (no code generated for it) =="
cli="$dir/cli/corothrift"
idl=examples/phonebook.thrift
port=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$dir/examples/rpc_demo" --serve "$port" &
server_pid=$!
trap 'kill $server_pid 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  "$PY" -c "import socket; socket.create_connection(('127.0.0.1', $port), 0.2)" 2>/dev/null && break
  sleep 0.05
done
show() {  # print the command as one would type it, then run it
  local line='$' a
  for a in "$@"; do
    case $a in *[\ \{\"]*) line+=" '$a'" ;; *) line+=" $a" ;; esac
  done
  echo "${line//$dir\/cli\//}"
  "$@" || echo "(exit status $?)"
}
show "$cli" encode --idl "$idl" --type Entry --hex '{"name": "Ada", "phone": "+1-555-0100"}'
echo '{"name": "Ada", "phone": "+1-555-0100"}' | "$cli" encode --idl "$idl" --type Entry >"$dir/entry.bin"
show "$cli" decode "$dir/entry.bin"
show "$cli" decode --idl "$idl" --type Entry --compact "$dir/entry.bin"
show "$cli" call --idl "$idl" "127.0.0.1:$port" Phonebook.add '{"entry": {"name": "Bob", "phone": "+1-555-0199"}}'
show "$cli" call --idl "$idl" --compact "127.0.0.1:$port" Phonebook.find '{"name": "Bob"}'
show "$cli" call --idl "$idl" --compact "127.0.0.1:$port" Phonebook.find '{"name": "Mallory"}'
show "$cli" bench --idl "$idl" -d 2 -c 2 -k 16 -q "127.0.0.1:$port" Phonebook.find '{"name": "Bob"}'
kill "$server_pid" 2>/dev/null || true
wait "$server_pid" 2>/dev/null || true
trap - EXIT
echo

echo "== runtime codec: phonebook.thrift read at run time, no generated code (examples/dynamic_demo.cpp) =="
"$dir/examples/dynamic_demo"
echo

echo "== codec demo =="
"$dir/examples/demo"
echo
echo "== size of the minimal protocol-only program (examples/minimal_codec.cpp: -Os -fno-exceptions -fno-rtti, --gc-sections, stripped) =="
text=$(size -A "$dir/examples/minimal_codec" | awk '$1 == ".text" {print $2}')
echo ".text: $text bytes (whole file: $(stat -c %s "$dir/examples/minimal_codec") bytes; libstdc++ and libc are shared)"
echo
echo "== benchmark: corothrift vs Apache Thrift 0.17 C++ (short run; see README for the full one) =="
"$dir/bench/serialization_bench" --benchmark_repetitions="${BENCH_REPS:-5}" \
  --benchmark_min_time="${BENCH_MIN_TIME:-0.1}" --benchmark_report_aggregates_only=true \
  --benchmark_format=json --benchmark_out="$dir/bench.json" --benchmark_out_format=json >/dev/null
"$PY" bench/report.py "$dir/bench.json"
