#!/usr/bin/env bash
# Cold start to first answer of the release binary: a new process that loads knowledge/ and
# intents/, builds its index, answers one piped question and exits. Prints hyperfine's
# figures (and the same as a Markdown table) and the peak resident memory of that run.
#
# Usage: Benchmarks/cold-start.sh   (from anywhere; works in a fresh clone)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
# The binary reads its home from $POLICYCHAT_HOME before the current folder: measure this
# checkout, not whatever the environment points at.
unset POLICYCHAT_HOME

question='Do you sell personal information?'
binary=.build/release/policychat
command="printf '${question}\\n' | ${binary} --db :memory:"

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

swift build -c release --product policychat

# A broken binary would be timed as a fast failure: check that it answers first.
# (The answer is read whole: `grep -q` would close the pipe early and fail the run.)
answer=$(printf '%s\n' "$question" | "$binary" --db :memory:)
if [ -z "$answer" ]; then
  echo "cold-start.sh: $binary gave no answer" >&2
  exit 1
fi

markdown=$(mktemp)
usage=$(mktemp)
trap 'rm -f "$markdown" "$usage"' EXIT

echo
echo "== cold start to first answer: $command"
hyperfine --warmup 3 --runs 30 --export-markdown "$markdown" "$command"
echo
cat "$markdown"

echo
echo "== peak memory of the same one-question run (/usr/bin/time -v)"
printf '%s\n' "$question" | /usr/bin/time -v -o "$usage" "$binary" --db :memory: >/dev/null
grep -E 'Maximum resident set size|Elapsed \(wall clock\)' "$usage" | sed 's/^[[:space:]]*//'
