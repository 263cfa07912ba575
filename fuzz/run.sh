#!/usr/bin/env bash
# Builds the libFuzzer targets and runs each for a while over a scratch copy of its seed
# corpus, then prints a table. Exits non-zero if any target crashed, timed out or leaked.
#
#   fuzz/run.sh [--seconds N] [--target NAME] [--jobs N] [--merge] [--no-build]
#
#   --seconds N   how long each target runs (default 60)
#   --target NAME only this target (a folder of fuzz/corpus/, e.g. redactor); repeatable
#   --jobs N      targets run N at a time (default 1; each libFuzzer process uses one core)
#   --merge       afterwards, merge the new inputs that add coverage into fuzz/corpus/
#                 (libFuzzer -merge=1); otherwise the committed corpus is never written
#   --no-build    use the binaries already built
#
# See docs/FUZZING.md.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
scratch="$root/.build-fuzz"
# Not .build-fuzz/artifacts: SwiftPM owns that folder (binary targets) and may clear it.
artifacts="$scratch/fuzz-artifacts"
work="$scratch/fuzz-work"

seconds=60
jobs=1
merge=0
build=1
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
  --seconds) seconds=$2; shift 2 ;;
  --target) targets+=("$2"); shift 2 ;;
  --jobs) jobs=$2; shift 2 ;;
  --merge) merge=1; shift ;;
  --no-build) build=0; shift ;;
  -h | --help) sed -n '2,14p' "$0"; exit 0 ;;
  *) echo "fuzz/run.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

# Corpus folder -> executable. Keep in step with FuzzTarget's raw values.
declare -A executable=(
  [protocol-line]=FuzzProtocolLine
  [transcript]=FuzzTranscript
  [date-of-birth]=FuzzDateOfBirth
  [redactor]=FuzzRedactor
  [intent-file]=FuzzIntentFile
  [knowledge-section]=FuzzKnowledgeSection
)
# Longest input each target is given: protocol lines up to a little over the harness's
# 2 KiB line limit, files up to the size of the largest real ones.
declare -A maxlen=(
  [protocol-line]=4096
  [transcript]=8192
  [date-of-birth]=256
  [redactor]=2048
  [intent-file]=24576
  [knowledge-section]=8192
)
if [ ${#targets[@]} -eq 0 ]; then
  targets=(protocol-line transcript date-of-birth redactor intent-file knowledge-section)
fi
for target in "${targets[@]}"; do
  [ -n "${executable[$target]:-}" ] || { echo "fuzz/run.sh: no target $target (known: ${!executable[*]})" >&2; exit 2; }
done

if [ "$build" = 1 ]; then
  echo "fuzz: building (release, -sanitize=fuzzer,address)"
  start=$(date +%s)
  # Each main.swift defines LLVMFuzzerTestOneInput and hands the command line to libFuzzer's
  # driver (SwiftPM gives every Linux executable a main of its own, so libFuzzer's main,
  # which -parse-as-library would rely on, is never linked in). The whole dependency graph
  # is instrumented, which is what guides the fuzzer into the engine.
  swift build --package-path fuzz --scratch-path "$scratch" -c release \
    -Xswiftc -sanitize=fuzzer,address
  echo "fuzz: built in $(($(date +%s) - start)) s"
fi
bin="$scratch/release"

# The engine the protocol target builds reads knowledge/ and intents/ from here.
export POLICYCHAT_HOME="$root"
# Swift's crash reporter reads the crashed process's memory itself, which AddressSanitizer
# reports as a bad read in place of the real failure; libFuzzer prints the stack instead.
export SWIFT_BACKTRACE=enable=no
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}"
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$root/fuzz/lsan-suppressions.txt:print_suppressions=0}"

run_target() {
  local target=$1 exe=${executable[$1]}
  local corpus="$work/$target" out="$artifacts/$target" log="$work/$target.log"
  rm -rf "$corpus"
  mkdir -p "$corpus" "$out"
  # A scratch copy: the fuzzer adds inputs to its first corpus folder.
  cp "$root/fuzz/corpus/$target/"* "$corpus/"
  if [ -d "$root/fuzz/regressions/$target" ]; then cp "$root/fuzz/regressions/$target/"* "$corpus/" 2>/dev/null || true; fi
  touch "$work/$target.start"
  local status=0
  "$bin/$exe" "$corpus" -max_total_time="$seconds" -max_len="${maxlen[$target]}" -timeout=10 \
    -rss_limit_mb=3072 -print_final_stats=1 -artifact_prefix="$out/" >"$log" 2>&1 || status=$?
  echo "$status" >"$work/$target.status"
  if [ "$merge" = 1 ] && [ "$status" = 0 ]; then
    "$bin/$exe" -merge=1 "$root/fuzz/corpus/$target" "$corpus" -max_len="${maxlen[$target]}" \
      >>"$log.merge" 2>&1 || true
  fi
}

mkdir -p "$work"
running=0
for target in "${targets[@]}"; do
  echo "fuzz: $target for ${seconds} s"
  run_target "$target" &
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then
    wait -n || true
    running=$((running - 1))
  fi
done
wait || true

failed=0
printf '\n%-18s %12s %9s %7s %8s %7s %8s\n' target executions execs/s cov ft corpus crashes
for target in "${targets[@]}"; do
  log="$work/$target.log"
  status=$(cat "$work/$target.status" 2>/dev/null || echo 1)
  runs=$(awk '/stat::number_of_executed_units:/ {print $2}' "$log" | tail -1)
  speed=$(awk '/stat::average_exec_per_sec:/ {print $2}' "$log" | tail -1)
  # The last status line: "#123 REDUCE cov: 456 ft: 789 corp: 12/3456b ..."
  last=$(grep -E '^#[0-9]+.*cov: ' "$log" | tail -1 || true)
  cov=$(sed -nE 's/.* cov: ([0-9]+).*/\1/p' <<<"$last")
  ft=$(sed -nE 's/.* ft: ([0-9]+).*/\1/p' <<<"$last")
  corp=$(sed -nE 's/.* corp: ([0-9]+).*/\1/p' <<<"$last")
  crashes=$(find "$artifacts/$target" -type f -newer "$work/$target.start" 2>/dev/null | wc -l)
  printf '%-18s %12s %9s %7s %8s %7s %8s\n' "$target" "${runs:-?}" "${speed:-?}" "${cov:-?}" "${ft:-?}" \
    "${corp:-?}" "$crashes"
  if [ "$status" != 0 ]; then
    failed=1
    echo "  $target failed (exit $status); log: $log" >&2
    grep -E '^==[0-9]+==ERROR|^SUMMARY|Fatal error|Precondition failed|Test unit written to' "$log" | head -5 | sed 's/^/  /' >&2
  fi
done
if [ "$failed" = 1 ]; then
  cat >&2 <<EOF

fuzz: a target failed. Its input is in $artifacts/<target>/ (crash-*, timeout-*, leak-*, oom-*).
To reproduce:      $bin/<Executable> $artifacts/<target>/crash-...
To keep it as a regression test: copy the file into fuzz/regressions/<target>/ (give it a
name that says what it found), fix the engine, and run 'swift test --filter FuzzCorpusTests'.
EOF
  exit 1
fi
echo "fuzz: no crashes"
