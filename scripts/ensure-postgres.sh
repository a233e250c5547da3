#!/usr/bin/env bash
# Make the PostgreSQL server binaries (initdb, postgres, pg_ctl) available, for the tests and
# benchmarks of the PostgreSQL status store, which start a throw-away server of their own.
# Idempotent and silent when they are already installed; on a fresh Debian/Ubuntu machine
# (as root) installs the distribution's `postgresql` package. No cluster is started here.
set -euo pipefail

have_binaries() {
    compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || command -v initdb >/dev/null
}

if have_binaries; then
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    echo "ensure-postgres: PostgreSQL server binaries are missing; run this script as root" \
        "(or install the 'postgresql' package)" >&2
    exit 1
fi
if ! command -v apt-get >/dev/null; then
    echo "ensure-postgres: no apt-get here; install the PostgreSQL server binaries yourself" >&2
    exit 1
fi

echo "ensure-postgres: installing the PostgreSQL server (apt-get install postgresql)"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends postgresql >/dev/null

if ! have_binaries; then
    echo "ensure-postgres: postgresql installed but initdb is still missing" >&2
    exit 1
fi
if ! id postgres >/dev/null 2>&1; then
    echo "ensure-postgres: the 'postgres' user is missing (the tests run the server as it)" >&2
    exit 1
fi
