#!/usr/bin/env bash
# Makes a PostgreSQL server available for gwenmap's PostgreSQL queue tests and
# prints its URL (postgres://...) as the last line on stdout; everything else
# goes to stderr.
#
# 1. GWENMAP_TEST_POSTGRES_URL is set and answers: print it, done.
# 2. A cluster this script started earlier still runs: print its URL, done.
# 3. No PostgreSQL binaries: install Debian's `postgresql` package (as root,
#    or through sudo), without letting it create its default cluster.
# 4. Start a throwaway cluster (initdb into a temporary directory owned by
#    the `postgres` user when run as root, since initdb refuses root), on
#    127.0.0.1 only, on a free port, with trust authentication on loopback;
#    create a database; print its URL.
#
# The cluster keeps running after the script exits, so that later runs reuse
# it. Stop it with: pg_ctl -D "$GWENMAP_PG_HOME/data" stop (as its owner).
#
# With GWENMAP_PG_PRIVATE_HOME set, a cluster found running (1, 2) is still
# reused, but one this run must start goes into that folder instead of the
# shared one: nobody else finds it, so its starter may stop it afterwards with
#   scripts/ensure-postgres.sh --stop "$GWENMAP_PG_PRIVATE_HOME"
# (npm test does so; it never stops a cluster it did not start).
set -euo pipefail

STATE_DIR="${GWENMAP_PG_HOME:-${TMPDIR:-/tmp}/gwenmap-test-postgres}"
DATABASE="gwenmap_test"

say() { echo "ensure-postgres: $*" >&2; }

reachable() {
  local url="$1" bin
  bin="$(pg_bin_dir 2>/dev/null || true)"
  if [[ -n "$bin" ]]; then
    "$bin/psql" "$url" -Atqc "SELECT 1" >/dev/null 2>&1
  else
    node -e '
      const pg = require(require.resolve("pg", { paths: [process.cwd()] }));
      const client = new pg.Client({ connectionString: process.argv[1], connectionTimeoutMillis: 3000 });
      client.connect().then(() => client.end()).then(() => process.exit(0), () => process.exit(1));
    ' "$url" >/dev/null 2>&1
  fi
}

pg_bin_dir() {
  local candidate
  if command -v pg_config >/dev/null 2>&1; then
    candidate="$(pg_config --bindir)"
    if [[ -x "$candidate/initdb" ]]; then echo "$candidate"; return 0; fi
  fi
  for candidate in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [[ -x "$candidate/initdb" ]]; then echo "$candidate"; return 0; fi
  done
  if command -v initdb >/dev/null 2>&1; then dirname "$(command -v initdb)"; return 0; fi
  return 1
}

as_root() {
  if [[ "$(id -u)" == 0 ]]; then "$@"; else sudo -n "$@"; fi
}

apt_update() {
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
}

# Installs packages; when that fails (package lists missing or stale), updates the lists and tries again.
apt_install() {
  local install=(env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@")
  as_root "${install[@]}" >&2 || { apt_update && as_root "${install[@]}" >&2; }
}

install_postgres() {
  say "no PostgreSQL binaries found: installing Debian's postgresql package"
  if [[ -z "$(ls -A /var/lib/apt/lists 2>/dev/null | grep -v -e '^lock$' -e '^partial$' || true)" ]]; then
    apt_update
  fi
  apt_install postgresql-common
  # Only our throwaway cluster is wanted: stop the package from creating and starting its own
  # (as the official postgres Docker image does).
  as_root sed -ri 's/^#?[[:space:]]*create_main_cluster[[:space:]]*=.*$/create_main_cluster = false/' \
    /etc/postgresql-common/createcluster.conf
  apt_install postgresql
}

# Runs a command as the cluster's owner: `postgres` when we are root, else ourselves.
as_owner() {
  if [[ "$(id -u)" != 0 ]]; then "$@"; return; fi
  if command -v runuser >/dev/null 2>&1; then
    runuser -u postgres -- "$@"
  else
    su postgres -s /bin/sh -c "$(printf '%q ' "$@")"
  fi
}

free_port() {
  node -e '
    const server = require("node:net").createServer();
    server.listen(0, "127.0.0.1", () => { console.log(server.address().port); server.close(); });
  '
}

stop_cluster() {
  local dir="$1" bin
  [[ -f "$dir/url" ]] || { say "no cluster was started in $dir"; return 0; }
  bin="$(pg_bin_dir)"
  as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 20 stop >/dev/null 2>&1 || true
  as_root rm -rf "$dir" 2>/dev/null || rm -rf "$dir"
  say "stopped the cluster in $dir"
}

if [[ "${1:-}" == "--stop" ]]; then
  [[ -n "${2:-}" ]] || { say "usage: ensure-postgres.sh --stop DIR"; exit 2; }
  stop_cluster "$2"
  exit 0
fi

if [[ -n "${GWENMAP_TEST_POSTGRES_URL:-}" ]] && reachable "$GWENMAP_TEST_POSTGRES_URL"; then
  say "using GWENMAP_TEST_POSTGRES_URL"
  echo "$GWENMAP_TEST_POSTGRES_URL"
  exit 0
fi

if ! pg_bin_dir >/dev/null; then install_postgres; fi
BIN="$(pg_bin_dir)"

if [[ -f "$STATE_DIR/url" ]]; then
  url="$(cat "$STATE_DIR/url")"
  if reachable "$url"; then
    say "reusing the cluster in $STATE_DIR"
    echo "$url"
    exit 0
  fi
  if [[ -z "${GWENMAP_PG_PRIVATE_HOME:-}" ]]; then
    # Left over from a run whose server is gone (reboot, killed): start afresh.
    as_owner "$BIN/pg_ctl" -D "$STATE_DIR/data" -m immediate stop >/dev/null 2>&1 || true
    as_root rm -rf "$STATE_DIR" 2>/dev/null || rm -rf "$STATE_DIR"
  fi
fi

if [[ -n "${GWENMAP_PG_PRIVATE_HOME:-}" ]]; then STATE_DIR="$GWENMAP_PG_PRIVATE_HOME"; fi

if [[ "$(id -u)" == 0 ]] && ! id postgres >/dev/null 2>&1; then
  useradd --system --home-dir "$STATE_DIR" --shell /bin/sh postgres
fi

mkdir -p "$STATE_DIR"
chmod 700 "$STATE_DIR"
if [[ "$(id -u)" == 0 ]]; then chown postgres "$STATE_DIR"; fi

say "initdb into $STATE_DIR/data ($BIN)"
# --no-sync only skips syncing initdb's own files; the server keeps its default fsync settings.
as_owner "$BIN/initdb" -D "$STATE_DIR/data" -U postgres -A trust -E UTF8 --locale=C --no-sync >/dev/null

port="$(free_port)"
as_owner "$BIN/pg_ctl" -D "$STATE_DIR/data" -l "$STATE_DIR/server.log" -w -t 20 start \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $STATE_DIR -c max_connections=200" >/dev/null

as_owner "$BIN/createdb" -h 127.0.0.1 -p "$port" -U postgres "$DATABASE"
url="postgres://postgres@127.0.0.1:$port/$DATABASE"
echo "$url" >"$STATE_DIR/url"
say "PostgreSQL $("$BIN/postgres" --version | awk '{print $3}') listening on 127.0.0.1:$port"
echo "$url"
