#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for CI and developers (issue 19: the PostgreSQL store).
#
#   .ci/postgres.sh start   install PostgreSQL if missing, create and start the cluster (or
#                           start the one already there), print its URL on stdout
#   .ci/postgres.sh url     print the URL of the running cluster
#   .ci/postgres.sh stop    stop the cluster and remove its folder
#
# The cluster lives in $POLICYCHAT_PG_DIR (default /tmp/policychat-pg) and listens on
# 127.0.0.1 only, port $POLICYCHAT_PG_PORT (default 55432); its socket is inside the folder.
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

running() {
  [ -f "$dir/data/PG_VERSION" ] && as_owner "$bin/pg_ctl" status -D "$dir/data" >/dev/null 2>&1
}

server_start() {
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
  # Over TCP, from 127.0.0.1 only, every role needs its password.
  as_owner tee "$dir/data/pg_hba.conf" >/dev/null <<EOF
local all postgres trust
host all all 127.0.0.1/32 scram-sha-256
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
EOF
  server_start
  as_owner "$bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$dir/run" -p "$port" -U postgres -d postgres >/dev/null <<EOF
CREATE ROLE policychat LOGIN CREATEDB PASSWORD '$password';
CREATE DATABASE policychat OWNER policychat;
EOF
  local url="postgres://policychat:$password@127.0.0.1:$port/policychat"
  (umask 077 && printf '%s\n' "$url" >"$dir/url.new")
  chmod 0600 "$dir/url.new"
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
    # Already made: start it if it is not running, and give its URL.
    running || server_start
  else
    say "creating a cluster in $dir on 127.0.0.1:$port ($bin)"
    create_cluster
  fi
  cat "$dir/url"
}

stop() {
  if [ ! -e "$dir" ]; then
    return 0
  fi
  [ -e "$marker" ] || die "$dir is not a cluster made by this script; not removing it"
  bin=$(bindir)
  if [ -n "$bin" ] && running; then
    as_owner "$bin/pg_ctl" stop -D "$dir/data" -m fast -w -t 60 >/dev/null \
      || as_owner "$bin/pg_ctl" stop -D "$dir/data" -m immediate -w -t 60 >/dev/null
  fi
  rm -rf "$dir"
}

url() {
  [ -f "$dir/url" ] || die "no cluster in $dir (run: .ci/postgres.sh start)"
  cat "$dir/url"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  url) url ;;
  *) echo "usage: $0 start|stop|url" >&2; exit 2 ;;
esac
