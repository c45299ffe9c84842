#!/usr/bin/env bash
# Start the task worker and the web server (called by `make run`, after install
# and migrate). Ctrl-C, or a TERM signal to this script, stops both.
set -euo pipefail

HIMAYA="${HIMAYA:-.venv/bin/himaya}"
ADDRESS="${HIMAYA_ADDRESS:-127.0.0.1:8000}"

# Each child gets its own process group, so that its auto-reloader child stops with it.
pids=()
stop_all() {
    for pid in "${pids[@]}"; do
        kill -TERM -- "-$pid" 2>/dev/null || true
    done
    for pid in "${pids[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

setsid "$HIMAYA" db_worker &
pids+=("$!")

cat <<MSG

  Himaya: http://$ADDRESS/
  API docs: http://$ADDRESS/api/docs

  Demo login (local only):
    admin / himaya-admin   (superuser)

  Task worker: himaya db_worker. Stop everything with Ctrl-C.

MSG

setsid "$HIMAYA" runserver "$ADDRESS" &
server_pid=$!
pids+=("$server_pid")
# Returns when the server stops or a signal arrives; the EXIT trap stops the rest.
wait "$server_pid"
