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
