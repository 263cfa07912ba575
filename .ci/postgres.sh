#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for CI and developers (issue 19: the PostgreSQL store).
#
#   .ci/postgres.sh start   install PostgreSQL if missing, create and start the cluster (or
#                           start the one already there), print its URL on stdout
#   .ci/postgres.sh url     print the URL of the running cluster
#   .ci/postgres.sh netns-url  print the URL with host 10.251.0.1, the bridge's address, for
#                           servers in network namespaces (multiprocess-load.py --netns);
#                           fails if the cluster has no bridge
#   .ci/postgres.sh stop    stop the cluster, remove its folder and the bridge
#
# The cluster lives in $POLICYCHAT_PG_DIR (default /tmp/policychat-pg) and listens on
# 127.0.0.1, port $POLICYCHAT_PG_PORT (default 55432); its socket is inside the folder.
# As root, if a bridge can be made, it also listens on 10.251.0.1: start makes (or reuses)
# the bridge pcpg0 with 10.251.0.1/24 before the server starts, and makes it again when
# a cluster is restarted without it; anything in 10.251.0.0/24 may connect with the password.
# Without the bridge (not root, no bridge support) it listens on 127.0.0.1 only, and says so.
# The bridge's name and subnet are fixed: the clusters of one machine share the bridge.
# stop deletes it (if this cluster used it) and any policychat-w* namespaces and veths
# that multiprocess-load.py --netns left behind (a run killed with -9).
# It has a role `policychat` with a random password (scram-sha-256) that owns a database
# `policychat`; the URL is postgres://policychat:PASSWORD@127.0.0.1:PORT/policychat, also
# kept in FOLDER/url (mode 0600). As root the server runs as the `postgres` system user
# (PostgreSQL refuses to run as root); otherwise as the caller. fsync is off: the cluster
# survives its clients being killed (the kill loop), not the machine losing power.
# Both start and stop are safe to call twice. Only the URL goes to stdout, so that
# PG_URL=$(.ci/postgres.sh start) works; everything else goes to stderr.
set -euo pipefail

dir=${POLICYCHAT_PG_DIR:-/tmp/policychat-pg}
port=${POLICYCHAT_PG_PORT:-55432}
marker="$dir/.policychat-pg"
bridge=pcpg0
bridge_address=10.251.0.1
bridge_subnet=10.251.0.0/24

say() { echo "postgres.sh: $*" >&2; }
die() { say "$*"; exit 1; }

case "$dir" in
  /*) ;;
  *) dir="$PWD/$dir"; marker="$dir/.policychat-pg" ;;
esac
case "$dir" in
  / | /tmp | /tmp/ | /root | /home | /usr | /var | /etc) die "refusing to use $dir as the cluster folder" ;;
esac
[[ "$port" =~ ^[0-9]+$ ]] || die "POLICYCHAT_PG_PORT is not a port: $port"

root=false
[ "$(id -u)" = 0 ] && root=true

# Runs a command as the cluster's owner, in a folder that user can enter.
as_owner() {
  if $root; then
    (cd "$dir" && runuser -u postgres -- "$@")
  else
    (cd "$dir" && "$@")
  fi
}

bindir() {
  local found="" candidate
  # The highest version installed (sort -V: 9.6 before 15).
  for candidate in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V); do
    [ -x "$candidate/initdb" ] && [ -x "$candidate/pg_ctl" ] && found=$candidate
  done
  if [ -z "$found" ] && command -v pg_config >/dev/null 2>&1; then
    candidate=$(pg_config --bindir 2>/dev/null || true)
    [ -n "$candidate" ] && [ -x "$candidate/initdb" ] && [ -x "$candidate/pg_ctl" ] && found=$candidate
  fi
  echo "$found"
}

install_postgres() {
  $root || die "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb); install it: apt-get install postgresql"
  say "installing PostgreSQL from Debian's packages"
  # Our cluster is the only one wanted: no default cluster on port 5432.
  mkdir -p /etc/postgresql-common/createcluster.d
  echo "create_main_cluster = false" >/etc/postgresql-common/createcluster.d/policychat.conf
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
}

# Makes the bridge (or reuses it) with its address, up; false if it cannot be made.
bridge_up() {
  $root || return 1
  command -v ip >/dev/null 2>&1 || return 1
  if ! ip link show "$bridge" >/dev/null 2>&1; then
    ip link add "$bridge" type bridge 2>/dev/null || return 1
  fi
  ip addr replace "$bridge_address/24" dev "$bridge" 2>/dev/null || return 1
  ip link set "$bridge" up 2>/dev/null || return 1
}

# Before each start of the server: which addresses it listens on (FOLDER/data/listen.conf,
# included last by postgresql.conf), and FOLDER/netns-url only when the bridge is there.
listen_setup() {
  local addresses=127.0.0.1
  rm -f "$dir/netns-url"
  if bridge_up; then
    addresses="127.0.0.1,$bridge_address"
    # From the URL (url.new before the cluster's first start): only its host differs.
    local from="$dir/url"
    [ -f "$from" ] || from="$dir/url.new"
    (umask 077 && sed "s/@127\.0\.0\.1:/@$bridge_address:/" "$from" >"$dir/netns-url.new")
    chmod 0600 "$dir/netns-url.new"
    mv "$dir/netns-url.new" "$dir/netns-url"
  else
    say "no bridge $bridge (needs root and bridge support): listening on 127.0.0.1 only, no netns-url"
  fi
  # A cluster made before the bridge: give it the include and the pg_hba line.
  grep -q "^include_if_exists = 'listen.conf'" "$dir/data/postgresql.conf" \
    || echo "include_if_exists = 'listen.conf'" | as_owner tee -a "$dir/data/postgresql.conf" >/dev/null
  grep -q "$bridge_subnet" "$dir/data/pg_hba.conf" \
    || echo "host all all $bridge_subnet scram-sha-256" | as_owner tee -a "$dir/data/pg_hba.conf" >/dev/null
  echo "listen_addresses = '$addresses'" | as_owner tee "$dir/data/listen.conf" >/dev/null
}

running() {
  [ -f "$dir/data/PG_VERSION" ] && as_owner "$bin/pg_ctl" status -D "$dir/data" >/dev/null 2>&1
}

server_start() {
  listen_setup
  if ! as_owner "$bin/pg_ctl" start -D "$dir/data" -l "$dir/log/postgres.log" -w -t 60 >/dev/null; then
    say "the server did not start; the end of its log:"
    tail -n 20 "$dir/log/postgres.log" >&2 || true
    exit 1
  fi
}

create_cluster() {
  if [ -e "$dir" ] && [ -n "$(ls -A "$dir" 2>/dev/null)" ]; then
    # A half-made cluster of ours is made again; anything else is left alone.
    [ -e "$marker" ] || die "$dir exists and is not a cluster made by this script; remove it or set POLICYCHAT_PG_DIR"
    rm -rf "$dir"
  fi
  mkdir -p "$dir"
  touch "$marker"
  mkdir -p "$dir/data" "$dir/run" "$dir/log"
  if $root; then
    chown -R postgres:postgres "$dir"
    # The server's user must be able to reach the folder.
    runuser -u postgres -- test -x "$dir" || die "the postgres user cannot enter $dir (give a folder under /tmp)"
  fi
  chmod 0700 "$dir" "$dir/data" "$dir/run"

  local password
  password=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
  as_owner "$bin/initdb" -D "$dir/data" -U postgres --encoding=UTF8 --locale=C \
    --auth-local=trust --auth-host=scram-sha-256 >"$dir/log/initdb.log" 2>&1 \
    || { tail -n 20 "$dir/log/initdb.log" >&2; die "initdb failed"; }
  # The socket is in a folder only the owner can enter: "trust" on it lets nobody else in.
  # Over TCP, from 127.0.0.1 or the bridge's subnet only, every role needs its password.
  as_owner tee "$dir/data/pg_hba.conf" >/dev/null <<EOF
local all postgres trust
host all all 127.0.0.1/32 scram-sha-256
host all all $bridge_subnet scram-sha-256
EOF
  as_owner tee -a "$dir/data/postgresql.conf" >/dev/null <<EOF

# .ci/postgres.sh
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir/run'
unix_socket_permissions = 0700
password_encryption = 'scram-sha-256'
fsync = off
max_connections = 200
# listen_addresses again, with 10.251.0.1 when the bridge is there (written before each start)
include_if_exists = 'listen.conf'
EOF
  # The URL before the server's first start: listen_setup derives netns-url from it.
  local url="postgres://policychat:$password@127.0.0.1:$port/policychat"
  (umask 077 && printf '%s\n' "$url" >"$dir/url.new")
  chmod 0600 "$dir/url.new"
  server_start
  as_owner "$bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$dir/run" -p "$port" -U postgres -d postgres >/dev/null <<EOF
CREATE ROLE policychat LOGIN CREATEDB PASSWORD '$password';
CREATE DATABASE policychat OWNER policychat;
EOF
  mv "$dir/url.new" "$dir/url"
}

start() {
  bin=$(bindir)
  if [ -z "$bin" ]; then
    install_postgres
    bin=$(bindir)
    [ -n "$bin" ] || die "PostgreSQL installed, but no initdb found under /usr/lib/postgresql"
  fi
  if [ -e "$marker" ] && [ -f "$dir/url" ] && [ -f "$dir/data/PG_VERSION" ]; then
    # Already made: start it if it is not running (with the bridge made again if it is
    # missing), and give its URL. A running server that had the bridge gets it back.
    if ! running; then
      server_start
    elif [ -f "$dir/netns-url" ] && ! ip link show "$bridge" >/dev/null 2>&1; then
      bridge_up || { say "the bridge $bridge is gone and cannot be made again: no netns-url"; rm -f "$dir/netns-url"; }
    fi
  else
    say "creating a cluster in $dir on 127.0.0.1:$port ($bin)"
    create_cluster
  fi
  cat "$dir/url"
}

# What multiprocess-load.py --netns left behind (it removes its own, but not when killed
# with -9): the policychat-w* veths (deleting one end deletes both) and namespaces.
netns_leftovers() {
  $root && command -v ip >/dev/null 2>&1 || return 0
  local name
  for name in $(ip -o link show 2>/dev/null | sed -n 's/^[0-9]*: \(policychat-w[0-9]*\)[@:].*/\1/p'); do
    ip link del "$name" 2>/dev/null || true
  done
  for name in $(ip netns list 2>/dev/null | awk '$1 ~ /^policychat-w[0-9]+$/ {print $1}'); do
    ip netns del "$name" 2>/dev/null || true
  done
}

stop() {
  if [ ! -e "$dir" ]; then
    netns_leftovers
    return 0
  fi
  [ -e "$marker" ] || die "$dir is not a cluster made by this script; not removing it"
  bin=$(bindir)
  if [ -n "$bin" ] && running; then
    as_owner "$bin/pg_ctl" stop -D "$dir/data" -m fast -w -t 60 >/dev/null \
      || as_owner "$bin/pg_ctl" stop -D "$dir/data" -m immediate -w -t 60 >/dev/null
  fi
  netns_leftovers
  if $root && grep -qs "$bridge_address" "$dir/data/listen.conf" && ip link show "$bridge" >/dev/null 2>&1; then
    ip link del "$bridge" 2>/dev/null || say "could not delete the bridge $bridge"
  fi
  rm -rf "$dir"
}

url() {
  [ -f "$dir/url" ] || die "no cluster in $dir (run: .ci/postgres.sh start)"
  cat "$dir/url"
}

netns_url() {
  [ -f "$dir/url" ] || die "no cluster in $dir (run: .ci/postgres.sh start)"
  [ -f "$dir/netns-url" ] || die "the cluster in $dir has no bridge $bridge (start it as root; see the header)"
  ip link show "$bridge" >/dev/null 2>&1 || die "the bridge $bridge is gone (run: .ci/postgres.sh start)"
  cat "$dir/netns-url"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  url) url ;;
  netns-url) netns_url ;;
  *) echo "usage: $0 start|stop|url|netns-url" >&2; exit 2 ;;
esac
