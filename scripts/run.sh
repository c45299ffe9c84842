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
setsid "$HIMAYA" scheduler &
pids+=("$!")

cat <<MSG

  Himaya: http://$ADDRESS/
  API docs: http://$ADDRESS/api/docs

  Demo logins (local only; \`make run\` seeds 5,000 synthetic children).
  Password for all: himaya-demo
    worker-01       social worker (association, region 01): identifies children, follows cases
    inspector-01    labour inspector (region 01): visits, children found, notices, reports
    inspection-supervisor-01  head of the inspection office: the monthly plan, the office's cases
    supervisor-01   case supervisor: approves assessments and closures, region 01's caseload,
                    reviews its probable duplicates (Duplicates)
    school-01       service provider (a school): answers the referrals addressed to it
    analyst-01      analyst: region 01's figures, never names ("analyst": whole country)
    admin-01        administrator: organisations and users in /admin/ ("admin": superuser)
  Other regions: the same names with 02 ... 12.

  Task worker: himaya db_worker; scheduler: himaya scheduler (the linkage run, daily).
  Stop everything with Ctrl-C.

MSG

setsid "$HIMAYA" runserver "$ADDRESS" &
server_pid=$!
pids+=("$server_pid")
# Returns when the server stops or a signal arrives; the EXIT trap stops the rest.
wait "$server_pid"
