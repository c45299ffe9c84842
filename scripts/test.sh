#!/usr/bin/env bash
# The whole check, as run by `make test` (after install) and CI:
#   ruff, mypy, pytest on SQLite, then pytest on a throw-away PostgreSQL server
#   (there, only the tests that use the database: see tests/conftest.py).
# Every step runs even if an earlier one failed; the exit status is non-zero
# if any step failed. The PostgreSQL server is stopped and removed in all cases.
set -euo pipefail

BIN="${BIN:-.venv/bin}"
failed=()

step() {
    local name="$1"
    shift
    echo
    echo "==> $name"
    if "$@"; then
        echo "==> $name: ok"
    else
        echo "==> $name: FAILED"
        failed+=("$name")
    fi
}

# --- throw-away PostgreSQL ---------------------------------------------------
pg_dir=""
pg_bin=""
as_postgres() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}
stop_postgres() {
    if [ -n "$pg_dir" ] && [ -d "$pg_dir" ]; then
        if [ -f "$pg_dir/data/postmaster.pid" ]; then
            as_postgres "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate -w stop >/dev/null 2>&1 || true
        fi
        rm -rf "$pg_dir"
    fi
}
trap stop_postgres EXIT

start_postgres() {
    pg_bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
    if [ -z "$pg_bin" ]; then
        echo "PostgreSQL server binaries not found under /usr/lib/postgresql" >&2
        return 1
    fi
    pg_dir="$(mktemp -d "${TMPDIR:-/tmp}/himaya-pg.XXXXXX")"
    if [ "$(id -u)" -eq 0 ]; then
        chown postgres:postgres "$pg_dir"
    fi
    pg_port="$("$BIN/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    as_postgres "$pg_bin/initdb" -D "$pg_dir/data" -U postgres --auth=trust -E UTF8 --no-locale \
        >"$pg_dir/initdb.log" 2>&1 || { cat "$pg_dir/initdb.log" >&2; return 1; }
    as_postgres "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $pg_port -k $pg_dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        start >/dev/null || { cat "$pg_dir/server.log" >&2; return 1; }
    export PG_DATABASE_URL="postgres://postgres@127.0.0.1:$pg_port/himaya"
    echo "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$pg_port"
}

# --- steps -------------------------------------------------------------------
step "ruff" "$BIN/ruff" check .
step "mypy" "$BIN/mypy"
step "pytest (SQLite)" env -u DATABASE_URL "$BIN/pytest" "$@"
if start_postgres; then
    step "pytest (PostgreSQL)" env DATABASE_URL="$PG_DATABASE_URL" HIMAYA_DATABASE_TESTS_ONLY=1 \
        "$BIN/pytest" "$@"
else
    failed+=("start PostgreSQL")
fi

echo
if [ "${#failed[@]}" -gt 0 ]; then
    echo "FAILED: ${failed[*]}"
    exit 1
fi
echo "All checks passed."
