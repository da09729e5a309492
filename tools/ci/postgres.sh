#!/bin/sh
# PostgreSQL 15 + PostGIS for the test suite, as `make test` runs it under CI=true:
# install the Debian packages when missing, start the cluster, and make the database
# named in $CEASEWATCH_TEST_PG (postgres:ceasewatch@127.0.0.1:5432/ceasewatch_test).
# Elsewhere the PostgreSQL tests skip and say why; run this by hand (as root) to enable them.
set -eu

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "tools/ci/postgres.sh: needs root (or sudo) to install and start PostgreSQL" >&2
    exit 1
  fi
}

if ! command -v pg_ctlcluster >/dev/null 2>&1 \
  || [ ! -e /usr/share/postgresql/15/extension/postgis.control ]; then
  echo "installing postgresql and postgresql-15-postgis-3 (Debian packages)..."
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    postgresql postgresql-15-postgis-3 >/dev/null
fi

if ! pg_lsclusters -h 2>/dev/null | grep -q '^15 *main'; then
  as_root pg_createcluster 15 main >/dev/null
fi
if ! pg_lsclusters -h | grep -q '^15 *main *5432 *online'; then
  as_root pg_ctlcluster 15 main start
fi

psql_su() { as_root su postgres -c "psql -v ON_ERROR_STOP=1 -qAt -c \"$1\""; }
psql_su "ALTER USER postgres PASSWORD 'ceasewatch'" >/dev/null
# a throwaway test server: durability off makes CREATE DATABASE and commits fast
for setting in "fsync = off" "synchronous_commit = off" "full_page_writes = off"; do
  psql_su "ALTER SYSTEM SET $setting" >/dev/null
done
psql_su "SELECT pg_reload_conf()" >/dev/null
if [ "$(psql_su "SELECT 1 FROM pg_database WHERE datname = 'ceasewatch_test'")" != 1 ]; then
  psql_su "CREATE DATABASE ceasewatch_test" >/dev/null
fi
as_root su postgres -c "PGOPTIONS='--client-min-messages=warning' psql -v ON_ERROR_STOP=1 -qAt -d ceasewatch_test -c 'CREATE EXTENSION IF NOT EXISTS postgis'" >/dev/null
echo "PostgreSQL + PostGIS ready: postgresql+psycopg://postgres:***@127.0.0.1:5432/ceasewatch_test"
