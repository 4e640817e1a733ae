#!/usr/bin/env bash
# ensure-postgresql.sh: install Debian's PostgreSQL server for the test of
# the Iceberg SQL catalog on PostgreSQL (sinks/lake/catalog_postgres_test.go,
# through internal/testpg), which `make test` runs. The test starts its own
# throwaway cluster (initdb in a temporary directory, 127.0.0.1, a free
# port); this script only makes the server binaries present. Idempotent:
# does nothing when initdb is on PATH, in $DTM_PG_BIN, or in
# /usr/lib/postgresql/*/bin.
#
# Exit status is always 0 so that the rest of the suite still runs; when the
# server cannot be installed the script says so loudly here, and the test
# skips with the same reason (or fails when DTM_REQUIRE_POSTGRESQL=1).
set -u

if [ -n "${DTM_PG_BIN:-}" ] && [ -x "${DTM_PG_BIN}/initdb" ]; then
	exit 0
fi
if command -v initdb >/dev/null 2>&1; then
	exit 0
fi
for d in /usr/lib/postgresql/*/bin; do
	if [ -x "$d/initdb" ]; then
		exit 0
	fi
done

loud() {
	{
		echo "################################################################"
		echo "## ensure-postgresql: $*"
		echo "## The PostgreSQL catalog test (sinks/lake/catalog_postgres_test.go) will SKIP."
		echo "################################################################"
	} >&2
	exit 0
}

command -v apt-get >/dev/null 2>&1 || loud "no apt-get on this machine: install the PostgreSQL server by hand (or set DTM_PG_BIN to its bin directory)"
SUDO=""
if [ "$(id -u)" != 0 ]; then
	command -v sudo >/dev/null 2>&1 || loud "not root and no sudo: cannot apt-get install postgresql"
	SUDO="sudo -n"
fi
echo "ensure-postgresql: installing Debian's postgresql (apt-get update; apt-get install postgresql)" >&2
$SUDO apt-get update -qq >&2 || loud "apt-get update failed"
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends postgresql >&2 ||
	loud "apt-get install postgresql failed"
for d in /usr/lib/postgresql/*/bin; do
	if [ -x "$d/initdb" ]; then
		echo "ensure-postgresql: $("$d/postgres" --version 2>/dev/null) in $d" >&2
		exit 0
	fi
done
loud "postgresql installed but no initdb in /usr/lib/postgresql/*/bin"
