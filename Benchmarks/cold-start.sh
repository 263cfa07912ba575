#!/usr/bin/env bash
# Cold start to first answer of the release binary: a new process that loads knowledge/ and
# intents/, builds its index, answers one piped question and exits. Prints hyperfine's
# figures (and the same as a Markdown table) and the peak resident memory of that run.
# With --peer NAME, does the same for a peer of Benchmarks/peers.py: a new
# `peers.py --worker NAME` process in the peers' virtualenv that builds its index (or loads
# its model), answers the same question as one JSON line and exits.
#
# Usage: Benchmarks/cold-start.sh [--json FILE] [--runs N] [--warmup N] [--no-build]
#                                 [--peer NAME]... [--dense-runs N]
#   --json FILE     also write every figure to FILE: hyperfine's --export-json of each tool
#                   (times in seconds) and the one-question run's ru_maxrss in KiB (median of 5 runs)
#   --runs N        timed runs per tool (default 30), after --warmup N untimed ones (default 3)
#   --peer NAME     also time the peer NAME (bm25, rivescript, dense); may be repeated
#   --dense-runs N  timed runs of the dense peer, which starts in seconds (default 5, 1 warm-up)
#   --no-build      do not build; the binary must exist
# The binary is $POLICYCHAT_BINARY, else .build-bench/release/policychat, built here with
# `swift build -c release --scratch-path .build-bench` (unless --no-build or
# $POLICYCHAT_BINARY is set). The peers' virtualenv is $PEERS_VENV, else .venv-peers (made by
# `python3 Benchmarks/peers.py --setup-only`). Works from anywhere, and in a fresh clone.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
# The binary reads its home from $POLICYCHAT_HOME before the current folder: measure this
# checkout, not whatever the environment points at.
unset POLICYCHAT_HOME

json=''
runs=30
warmup=3
dense_runs=5
build=1
peers=()
usage() { sed -n '9,21p' "$0" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case "$1" in
    --json) json=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --dense-runs) dense_runs=$2; shift 2 ;;
    --peer) peers+=("$2"); shift 2 ;;
    --no-build) build=0; shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "cold-start.sh: unknown option $1" >&2; usage >&2; exit 64 ;;
  esac
done

question='Do you sell personal information?'
if [ -n "${POLICYCHAT_BINARY:-}" ]; then
  binary=$POLICYCHAT_BINARY
  build=0
else
  binary=.build-bench/release/policychat
fi
venv_python="${PEERS_VENV:-.venv-peers}/bin/python"

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    echo "cold-start.sh: need root (or sudo) to run: $*" >&2
    return 1
  fi
}

# Installs a Debian package, refreshing the package lists only if the first try fails
# (a fresh container has none).
apt_install() {
  if ! as_root apt-get install -y "$1"; then
    as_root apt-get update
    as_root apt-get install -y "$1"
  fi
}

command -v hyperfine >/dev/null 2>&1 || apt_install hyperfine
[ -x /usr/bin/time ] || apt_install time

if [ "$build" -eq 1 ]; then
  # Linked as Benchmarks/run.sh links it (static Swift runtime on Linux).
  link=()
  [ "$(uname -s)" = Linux ] && link=(--static-swift-stdlib)
  swift build -c release "${link[@]}" --scratch-path .build-bench --product policychat
fi
if [ ! -x "$binary" ]; then
  echo "cold-start.sh: no executable at $binary" >&2
  exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The quiet peers: no progress bars, no network, no tokenizer threads.
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 TOKENIZERS_PARALLELISM=false TQDM_DISABLE=1
export HF_HUB_DISABLE_PROGRESS_BARS=1

# time_tool NAME RUNS WARMUP INPUT PROGRAM...: checks that PROGRAM answers INPUT, times it
# with hyperfine, then measures one run's peak memory. Leaves NAME.json (hyperfine's export)
# and NAME.kib in $work; returns 1 (after a warning) when the tool gives no answer.
time_tool() {
  local name=$1 tool_runs=$2 tool_warmup=$3 input=$4
  shift 4
  # (The inputs hold no single quote.)
  local command="printf '%s\\n' '$input' | $*"
  # A broken program would be timed as a fast failure: check that it answers first. (The
  # answer is read whole: `grep -q` would close the pipe early and fail the run.)
  local answer
  answer=$(printf '%s\n' "$input" | "$@" 2>"$work/$name.stderr") || true
  if [ -z "$answer" ]; then
    echo "cold-start.sh: $name gave no answer; leaving it out. Its errors:" >&2
    tail -5 "$work/$name.stderr" >&2
    return 1
  fi
  echo
  echo "== cold start to first answer, $name: $command"
  hyperfine --warmup "$tool_warmup" --runs "$tool_runs" --export-markdown "$work/$name.md" \
    --export-json "$work/$name.json" "$command"
  echo
  cat "$work/$name.md"
  echo
  # One run's peak moves by a few MiB with what the page cache maps around each fault: the
  # median of several runs (one for a tool that starts in seconds) is the figure kept.
  local memory_runs=5 peaks=()
  [ "$name" = dense ] && memory_runs=1
  echo "== peak memory of the same one-question run, $name (/usr/bin/time -v, median of $memory_runs)"
  for _ in $(seq "$memory_runs"); do
    printf '%s\n' "$input" | /usr/bin/time -v -o "$work/$name.usage" "$@" >/dev/null 2>&1
    peaks+=("$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/$name.usage")")
  done
  echo "Maximum resident set size (kbytes) of each run: ${peaks[*]}"
  printf '%s\n' "${peaks[@]}" | sort -n | sed -n "$(((memory_runs + 1) / 2))p" >"$work/$name.kib"
}

done_tools=()
time_tool PolicyChat "$runs" "$warmup" "$question" "$binary" --db :memory:
done_tools+=(PolicyChat)
for peer in "${peers[@]}"; do
  if [ ! -x "$venv_python" ]; then
    echo "cold-start.sh: no $venv_python; run python3 Benchmarks/peers.py --setup-only first" >&2
    break
  fi
  peer_runs=$runs
  peer_warmup=$warmup
  if [ "$peer" = dense ]; then
    peer_runs=$dense_runs
    peer_warmup=1
  fi
  if time_tool "$peer" "$peer_runs" "$peer_warmup" "{\"q\": \"$question\"}" \
    "$venv_python" Benchmarks/peers.py --worker "$peer"; then
    done_tools+=("$peer")
  fi
done

if [ -n "$json" ]; then
  mkdir -p "$(dirname "$json")"
  {
    printf '{\n  "question": "%s",\n  "tools": {' "$question"
    separator=''
    for name in "${done_tools[@]}"; do
      printf '%s\n    "%s": {\n      "max_rss_kib": %s,\n      "hyperfine": ' "$separator" "$name" \
        "$(cat "$work/$name.kib")"
      cat "$work/$name.json"
      printf '    }'
      separator=','
    done
    printf '\n  }\n}\n'
  } >"$json"
  echo
  echo "figures written to $json"
fi
