#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/, clang, ASan + UBSan, -O1 -g) in .build-fuzz and runs
# each for FUZZ_SECONDS seconds on a fresh copy of its seed corpus (fuzz/corpus/<target>;
# the checked-in corpus is never written to). Prints one line per target,
#     fuzz_skip: OK, 1234567 runs in 60 s
# and last "N passed, M failed" (N, M count targets). Exit status is non-zero when a build
# failed or any target found a crash, leak, timeout or out-of-memory.
#
#   bash scripts/fuzz.sh                      # every target, 60 s each
#   FUZZ_SECONDS=3600 bash scripts/fuzz.sh fuzz_skip
#   FUZZ_RUNS=10000000 bash scripts/fuzz.sh   # stop after N runs instead of after a time
#
# Environment: FUZZ_SECONDS (60), FUZZ_RUNS (unset), FUZZ_MAX_LEN (65536), FUZZ_FLAGS (more
# libFuzzer flags, e.g. -entropic=0),
# FUZZ_BUILD_JOBS (1), FUZZ_NICE (19: the fuzzers run under nice), FUZZ_KEEP_CORPUS=1 (keep
# and extend .build-fuzz/work/<target>/corpus from earlier runs instead of starting over),
# FUZZ_SHARED_IDL (directory of extra IDL seeds for fuzz_idl, read in place; default
# ../shared/idl-corpus beside the repository, when present).
# Crash, leak, timeout and OOM inputs land in .build-fuzz/artifacts/<target>/ (kept across
# runs); the full libFuzzer output of the last run in .build-fuzz/work/<target>/log.
set -uo pipefail
cd "$(dirname "$0")/.."

all_targets=(fuzz_skip fuzz_generated fuzz_roundtrip fuzz_frames fuzz_idl fuzz_server fuzz_dynamic)
targets=("$@")
[ "${#targets[@]}" -eq 0 ] && targets=("${all_targets[@]}")
for t in "${targets[@]}"; do
  case " ${all_targets[*]} " in
    *" $t "*) ;;
    *) echo "unknown target '$t' (targets: ${all_targets[*]})"; echo "0 passed, 1 failed"; exit 2 ;;
  esac
done

seconds=${FUZZ_SECONDS:-60}
max_len=${FUZZ_MAX_LEN:-65536}
build=.build-fuzz
shared_idl=${FUZZ_SHARED_IDL:-../shared/idl-corpus}

# ---- build ------------------------------------------------------------------------------
options=(-Dfuzz=true -Doptimization=1 -Ddebug=true -Db_ndebug=false
         -Dtests=false -Dexamples=false -Drpc=enabled -Dbench=disabled -Dapache_peer=disabled)
mkdir -p "$build"
setup=(meson setup "$build" "${options[@]}")
[ -d "$build/meson-private" ] && setup=(meson setup --reconfigure "$build" "${options[@]}")
if ! CXX=${FUZZ_CXX:-clang++} "${setup[@]}" >"$build/setup.log" 2>&1; then
  echo "fuzz build: meson setup FAILED (see $build/setup.log):"
  tail -n 20 "$build/setup.log"
  echo "0 passed, ${#targets[@]} failed"
  exit 1
fi
build_targets=()
for t in "${targets[@]}"; do build_targets+=("fuzz/$t"); done
if ! nice -n 10 meson compile -C "$build" -j "${FUZZ_BUILD_JOBS:-1}" "${build_targets[@]}" >"$build/compile.log" 2>&1; then
  echo "fuzz build: compile FAILED (see $build/compile.log):"
  grep -E 'error|FAILED' "$build/compile.log" | head -n 20
  echo "0 passed, ${#targets[@]} failed"
  exit 1
fi

# ---- run --------------------------------------------------------------------------------
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
passed=0
failed=0
for t in "${targets[@]}"; do
  work=$build/work/$t
  artifacts=$build/artifacts/$t
  mkdir -p "$artifacts"
  if [ "${FUZZ_KEEP_CORPUS:-0}" != 1 ]; then rm -rf "$work/corpus"; fi
  mkdir -p "$work/corpus"
  cp fuzz/corpus/"$t"/* "$work/corpus/"
  if [ "$t" = fuzz_idl ] && [ -d "$shared_idl" ]; then
    # A handful of small real-world IDL files, read in place (not checked in).
    while IFS= read -r f; do
      cp "$f" "$work/corpus/shared-$(echo "${f#"$shared_idl"/}" | tr '/' '_')"
    done < <(find "$shared_idl" -name '*.thrift' -size -4k | LC_ALL=C sort | head -n 12)
  fi
  dict=()
  case $t in
    fuzz_idl) dict=(-dict=fuzz/idl.dict) ;;
    *) dict=(-dict=fuzz/thrift.dict) ;;
  esac
  limit=(-max_total_time="$seconds")
  [ -n "${FUZZ_RUNS:-}" ] && limit=(-runs="$FUZZ_RUNS")
  before=$(ls "$artifacts" | wc -l)
  nice -n "${FUZZ_NICE:-19}" "$build/fuzz/$t" "${limit[@]}" -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=512 \
    -max_len="$max_len" ${FUZZ_FLAGS:-} -print_final_stats=1 -artifact_prefix="$artifacts/" "${dict[@]}" "$work/corpus" \
    >"$work/log" 2>&1
  rc=$?
  done_line=$(grep -a -E '^Done [0-9]+ runs in [0-9]+ second' "$work/log" | tail -n 1)
  after=$(ls "$artifacts" | wc -l)
  if [ "$rc" -eq 0 ] && [ -n "$done_line" ] && [ "$after" -eq "$before" ]; then
    runs=$(echo "$done_line" | awk '{print $2}')
    secs=$(echo "$done_line" | awk '{print $5}')
    echo "$t: OK, $runs runs in $secs s"
    passed=$((passed + 1))
  else
    why=$(grep -a -m1 -E '^==[0-9]+==ERROR|^SUMMARY|ERROR: libFuzzer|fuzz check failed|runtime error' "$work/log")
    echo "$t: FAILED (exit $rc): ${why:-no result line}"
    echo "  log: $work/log"
    newest=$(ls -t "$artifacts" | head -n 1)
    [ -n "$newest" ] && echo "  input: $artifacts/$newest (reproduce: $build/fuzz/$t $artifacts/$newest)"
    failed=$((failed + 1))
  fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
