#!/usr/bin/env bash
# One command for the browser test of the web example: installs Debian's chromium when it is
# missing (apt), then runs examples/web/test.py (stdlib Python, DevTools protocol over a pipe).
# POLICYCHAT_BIN picks the binary; otherwise .build/debug/policychat, built if missing.
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1; then
  echo "web test: installing chromium"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
fi
exec python3 examples/web/test.py "$@"
