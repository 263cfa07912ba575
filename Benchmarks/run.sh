#!/usr/bin/env bash
# All the benchmarks: the in-process figures of policychat-bench, the cold start of the
# policychat binary, the stdio server, and replay throughput. Figures only; nothing here
# passes or fails on a time.
#
# Usage: Benchmarks/run.sh [policychat-bench options, e.g. --rounds 100]
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Its own build folder, so that it never waits on the lock of another build in .build.
swift run -c release --scratch-path .build-bench policychat-bench --home . "$@"
echo
Benchmarks/cold-start.sh
echo
# The stdio server: lockstep latency, pipelined throughput, peak memory.
python3 Benchmarks/serve-bench.py .build/release/policychat
echo
# Replay throughput over every transcript (the runner prints turns per second).
.build/release/policychat replay transcripts/
