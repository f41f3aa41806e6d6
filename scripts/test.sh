#!/usr/bin/env bash
# The README test command: installs what is needed, builds corothrift three ways and runs
# every test in each, then prints one closing line "N passed, M failed" computed from the
# real results (doctest test cases, plus one per non-doctest test, plus one failure per
# build that did not compile). Exit status is non-zero when anything failed.
#   gcc   : g++ 12, -Wall -Wextra -Werror, release, with the Apache interop tests and the
#           benchmark smoke run
#   clang : clang 14, -Wall -Wextra -Werror
#   asan  : g++ 12, AddressSanitizer + UndefinedBehaviorSanitizer, debug (asserts on)
#   tsan  : g++ 12, ThreadSanitizer, the RPC tests
#   fuzz  : clang 14 libFuzzer targets, about a minute each (scripts/fuzz.sh)
# Set COROTHRIFT_SKIP_INSTALL=1 to skip apt-get.
set -uo pipefail
cd "$(dirname "$0")/.."

if [ "${COROTHRIFT_SKIP_INSTALL:-0}" != 1 ]; then
  if ! bash scripts/install-deps.sh; then
    echo "package installation failed"
    echo "0 passed, 1 failed"
    exit 1
  fi
fi

PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:halt_on_error=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
root=.build-test
mkdir -p "$root"
dirs=()
build_failures=0

# run_build NAME [env VAR=... --] meson-options...
run_build() {
  local name=$1; shift
  local dir="$root/$name"
  local envs=()
  while [ "$#" -gt 0 ] && [ "$1" != "--" ]; do envs+=("$1"); shift; done
  shift
  echo "=== build $name: $* ==="
  local setup=(meson setup "$dir" "$@")
  [ -d "$dir/meson-private" ] && setup=(meson setup --reconfigure "$dir" "$@")
  if ! env "${envs[@]}" "${setup[@]}" >"$root/$name-setup.log" 2>&1 \
     || ! meson compile -C "$dir" >"$root/$name-compile.log" 2>&1; then
    echo "build $name FAILED:"
    tail -n 40 "$root/$name-setup.log" "$root/$name-compile.log" 2>/dev/null
    build_failures=$((build_failures + 1))
    return
  fi
  meson test -C "$dir" --print-errorlogs --num-processes 2
  dirs+=("$dir")
}

run_build gcc CXX=g++ -- -Dwerror=true -Dbuildtype=release -Dapache_peer=enabled -Dbench=enabled
run_build clang CXX=clang++ -- -Dwerror=true -Dbuildtype=release -Dapache_peer=enabled -Dbench=disabled
run_build asan CXX=g++ -- -Dwerror=true -Dbuildtype=debug -Db_sanitize=address,undefined \
  -Dcpp_args=-fno-sanitize-recover=all -Dapache_peer=enabled -Dbench=disabled

# tsan: g++ 12, ThreadSanitizer, for the code that runs on more than one thread (the RPC
# server on a multi-threaded io_context): the RPC test suite only. Asio's fenced blocks use
# atomic_thread_fence, which GCC warns TSan does not model (-Wno-tsan); Asio's real
# synchronisation is mutexes and atomics, which it does.
echo "=== build tsan: RPC tests under ThreadSanitizer ==="
tsan=$root/tsan
tsan_opts=(-Dwerror=true -Dbuildtype=debugoptimized -Db_sanitize=thread -Dcpp_args=-Wno-tsan
           -Dapache_peer=disabled -Dbench=disabled -Dexamples=false)
tsan_setup=(meson setup "$tsan" "${tsan_opts[@]}")
[ -d "$tsan/meson-private" ] && tsan_setup=(meson setup --reconfigure "$tsan" "${tsan_opts[@]}")
if CXX=g++ "${tsan_setup[@]}" >"$root/tsan-setup.log" 2>&1 \
   && meson compile -C "$tsan" tests/rpc/test_rpc >"$root/tsan-compile.log" 2>&1; then
  TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 meson test -C "$tsan" --no-rebuild --print-errorlogs --num-processes 1 rpc
  dirs+=("$tsan")
else
  echo "build tsan FAILED:"
  tail -n 40 "$root/tsan-setup.log" "$root/tsan-compile.log" 2>/dev/null
  build_failures=$((build_failures + 1))
fi

# fuzz: clang 14 libFuzzer targets (fuzz/), each run for FUZZ_SECONDS (60) on its seed
# corpus; any crash, leak, timeout or out-of-memory fails (scripts/fuzz.sh).
echo "=== fuzz: every target for ${FUZZ_SECONDS:-60} s ==="
bash scripts/fuzz.sh | tee "$root/fuzz.log"
fuzz_line=$(tail -n 1 "$root/fuzz.log")
fuzz_passed=0
fuzz_failed=1
if [[ $fuzz_line =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
  fuzz_passed=${BASH_REMATCH[1]}
  fuzz_failed=${BASH_REMATCH[2]}
fi

"$PY" scripts/summarize.py --build-failures "$build_failures" --extra fuzz "$fuzz_passed" "$fuzz_failed" "${dirs[@]}"
