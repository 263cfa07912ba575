#!/usr/bin/env bash
# Every benchmark, then one table: builds the release binaries once (in .build-bench), runs
# policychat-bench (in process), cold-start.sh (hyperfine, PolicyChat and the peers),
# serve-bench.py (the stdio server), `policychat replay` and peers.py (answer quality and
# latency beside BM25, RiveScript and a MiniLM dense retriever), each writing JSON, and
# prints the merged table (Markdown) with Benchmarks/table.py. Figures only; nothing here
# passes or fails on a time.
#
# Usage: Benchmarks/run.sh [--quick] [--skip-dense] [--startup-runs N] [--no-build] [--verbose]
#   --quick           fewer rounds and runs everywhere (a smoke test; the accuracy figures
#                     still cover every question)
#   --skip-dense      leave out the dense peer (no torch)
#   --startup-runs N  fresh processes per tool for peers.py's start-up (default 3; 1 quick)
#   --no-build        use the binaries already in .build-bench/release
#   --verbose         show each step's own printout (otherwise in its log beside its JSON)
# Environment: POLICYCHAT_BINARY (default .build-bench/release/policychat),
#   PEERS_VENV (the peers' virtualenv, default .venv-peers; made on first use),
#   BENCH_RESULTS (folder of the JSON of each step, default .build-bench/benchmarks).
# Writes the merged figures to .build-bench/benchmarks.json and the table to
# .build-bench/benchmarks.md; each step's JSON and log stay in $BENCH_RESULTS. Works in a fresh clone: installs hyperfine and time (apt) and
# creates the virtualenv when missing.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
unset POLICYCHAT_HOME
command_line="Benchmarks/run.sh${*:+ $*}"
load_at_start=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || true)

quick=0
dense=1
build=1
verbose=0
startup_runs=''
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1; shift ;;
    --skip-dense) dense=0; shift ;;
    --startup-runs) startup_runs=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    --verbose) verbose=1; shift ;;
    -h | --help) sed -n '9,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown option $1" >&2; exit 64 ;;
  esac
done

scratch=.build-bench
export POLICYCHAT_BINARY="${POLICYCHAT_BINARY:-$scratch/release/policychat}"
bench_binary="$scratch/release/policychat-bench"
results="${BENCH_RESULTS:-$scratch/benchmarks}"
if [ "$quick" -eq 1 ]; then
  bench_options=(--rounds 5 --startup-runs 5)
  cold_options=(--runs 5 --warmup 1 --dense-runs 2)
  serve_options=(--lockstep 300 --pipelined 1000)
  startup_runs=${startup_runs:-1}
else
  bench_options=()
  cold_options=()
  serve_options=()
  startup_runs=${startup_runs:-3}
fi
peers=(bm25 rivescript)
peer_flags=()
if [ "$dense" -eq 1 ]; then
  peers+=(dense)
else
  peer_flags+=(--skip-dense)
fi

step() { printf '==== %s\n' "$*"; }

# run_step NAME TITLE COMMAND...: runs COMMAND with its printout in $results/NAME.log (and on
# the terminal with --verbose); says how long it took; on failure shows the log's end and stops.
run_step() {
  local name=$1 title=$2 started status=0
  shift 2
  started=$(date +%s)
  printf '==== %s ... ' "$title"
  if [ "$verbose" -eq 1 ]; then
    echo
    "$@" 2>&1 | tee "$results/$name.log" || status=$?
  else
    "$@" >"$results/$name.log" 2>&1 || status=$?
  fi
  if [ "$status" -ne 0 ]; then
    echo "failed (status $status); the end of $results/$name.log:"
    tail -30 "$results/$name.log"
    exit "$status"
  fi
  echo "$(($(date +%s) - started)) s"
}

rm -rf "$results"
mkdir -p "$results"

# On Linux the Swift runtime and Foundation are linked statically, as a release would ship:
# a process starts in about 9 ms instead of 15 and peaks about 5 MiB lower. The toolchain's
# lld then packs the binary's 2 MiB of relative relocations into RELR (glibc 2.36 reads
# them): fewer pages are read and dirtied at load, and the one-question peak drops about
# 1.7 MiB. Without lld the build falls back to the default linker.
link=()
if [ "$(uname -s)" = Linux ]; then
  link=(--static-swift-stdlib)
  if [ -x "$(dirname "$(readlink -f "$(command -v swift)")")/ld.lld" ]; then
    link+=(-Xswiftc -Xclang-linker -Xswiftc -fuse-ld=lld -Xlinker -z -Xlinker pack-relative-relocs)
  fi
fi
build_release() {
  swift build -c release "${link[@]}" --scratch-path "$scratch" --product policychat
  swift build -c release "${link[@]}" --scratch-path "$scratch" --product policychat-bench
}
if [ "$build" -eq 1 ]; then
  # Its own build folder, so that it never waits on the lock of another build in .build.
  run_step build "build (release, --scratch-path $scratch)" build_release
fi
for program in "$POLICYCHAT_BINARY" "$bench_binary"; do
  [ -x "$program" ] || { echo "run.sh: no executable at $program" >&2; exit 1; }
done

build_flags=""
[ "$build" -eq 1 ] && build_flags="${link[*]}"
python3 Benchmarks/table.py facts "$results/facts.json" --binary "$POLICYCHAT_BINARY" \
  --load-at-start "$load_at_start" --build-flags="$build_flags"

# The first run installs the peers' packages (minutes, with torch): its progress is shown.
step "peers' virtualenv (${PEERS_VENV:-.venv-peers})"
python3 Benchmarks/peers.py --setup-only "${peer_flags[@]}"

run_step bench "policychat-bench (in process)" \
  "$bench_binary" --home . "${bench_options[@]}" --json "$results/bench.json"

peer_options=()
for peer in "${peers[@]}"; do peer_options+=(--peer "$peer"); done
run_step cold-start "cold start (hyperfine: PolicyChat, ${peers[*]})" \
  Benchmarks/cold-start.sh --no-build "${cold_options[@]}" "${peer_options[@]}" --json "$results/cold-start.json"

# The BM25 peer answers the same questions over its own pipe, so that the throughput and
# round-trip targets of issue 21 (ratios to it) stand beside it in the table.
run_step serve "serve (stdio server; bm25 over its pipe)" \
  python3 Benchmarks/serve-bench.py "$POLICYCHAT_BINARY" "${serve_options[@]}" --peer bm25 --json "$results/serve.json"

# A failing transcript is reported in the table, not fatal: the time taken is still the figure.
replay() {
  /usr/bin/time -o "$results/replay-usage.txt" -f $'wall_seconds=%e\nmax_rss_kib=%M\nexit_status=%x' \
    "$POLICYCHAT_BINARY" replay --db :memory: transcripts/ || true
}
run_step replay "replay (every transcript)" replay
cp "$results/replay.log" "$results/replay.txt"

run_step peers "peers (answer quality; latency over pipes: PolicyChat, ${peers[*]})" \
  python3 Benchmarks/peers.py --binary "$POLICYCHAT_BINARY" --startup-runs "$startup_runs" "${peer_flags[@]}" \
  --json "$results/peers.json"

echo
python3 Benchmarks/table.py merge "$results" --command "$command_line" --out "$scratch/benchmarks.json" \
  --markdown "$scratch/benchmarks.md"
