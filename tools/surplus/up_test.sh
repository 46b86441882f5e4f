#!/usr/bin/env bash
# End-to-end test of `surplus up` with the four real service binaries: every /healthz
# returns 200, a service killed with SIGKILL is restarted and healthy again, and SIGTERM
# stops everything with exit status 0.
#
# Usage: up_test.sh PATH/TO/surplus
# The services are found the way `surplus up` finds them (build tree or SURPLUS_BIN_DIR).
# Ports are four free ones picked at random in 20000-27999, so a running `make run` on
# 4000-4003 is not disturbed.
set -euo pipefail

surplus="$1"
work="$(mktemp -d)"
supervisor_pid=""

fail() {
  echo "surplus_up_test: FAILED: $*" >&2
  echo "--- surplus up log ---" >&2
  cat "${work}/up.err" >&2 || true
  exit 1
}

cleanup() {
  if [[ -n "${supervisor_pid}" ]] && kill -0 "${supervisor_pid}" 2>/dev/null; then
    kill -KILL "${supervisor_pid}" 2>/dev/null || true
  fi
  rm -rf "${work}"
}
trap cleanup EXIT

port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

pick_base_port() {
  local attempt base port busy
  for attempt in $(seq 1 50); do
    base=$((20000 + (RANDOM % 2000) * 4))
    busy=0
    for port in "${base}" $((base + 1)) $((base + 2)) $((base + 3)); do
      if port_in_use "${port}"; then
        busy=1
      fi
    done
    if [[ "${busy}" -eq 0 ]]; then
      echo "${base}"
      return 0
    fi
  done
  return 1
}

# Waits up to 60 s for GET /healthz on `port` to return 200 while the supervisor runs.
wait_healthy() {
  local port="$1" code
  for _ in $(seq 1 240); do
    kill -0 "${supervisor_pid}" 2>/dev/null || fail "surplus up exited early"
    code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://127.0.0.1:${port}/healthz" || true)"
    if [[ "${code}" == "200" ]]; then
      return 0
    fi
    sleep 0.25
  done
  fail "GET http://127.0.0.1:${port}/healthz did not return 200 within 60 s (last: ${code})"
}

# Prints the pid of surplus-<name> from the last "<name> started (pid N)" log line, if that
# process is a live child of the supervisor.
service_pid() {
  local pid
  pid="$(grep -o "$1 started (pid [0-9]*)" "${work}/up.err" | tail -n 1 | tr -dc '0-9' || true)"
  if [[ -n "${pid}" && "$(ps -o ppid= -p "${pid}" 2>/dev/null | tr -d ' ')" == "${supervisor_pid}" ]]; then
    echo "${pid}"
  fi
}

base_port="$(pick_base_port)" || fail "found no four free ports in 20000-27999"
declare -A ports=([gateway]=${base_port} [orders]=$((base_port + 1))
                  [offers]=$((base_port + 2)) [notifications]=$((base_port + 3)))

"${surplus}" up --base-port "${base_port}" --var-dir "${work}/var" --shutdown-grace 20s \
  >"${work}/up.out" 2>"${work}/up.err" &
supervisor_pid=$!

for name in gateway orders offers notifications; do
  wait_healthy "${ports[${name}]}"
done
for _ in $(seq 1 40); do
  grep -q "Surplus is running" "${work}/up.out" && break
  sleep 0.25
done
grep -q "Surplus is running" "${work}/up.out" || fail "surplus up printed no URLs"
echo "surplus_up_test: all four services healthy from base port ${base_port}"

declare -A pids
for name in gateway orders offers notifications; do
  pids[${name}]="$(service_pid "${name}")"
  [[ -n "${pids[${name}]}" ]] || fail "no child process of surplus up runs surplus-${name}"
done

old_orders_pid="${pids[orders]}"
kill -KILL "${old_orders_pid}"
new_orders_pid=""
for _ in $(seq 1 240); do
  new_orders_pid="$(service_pid orders)"
  if [[ -n "${new_orders_pid}" && "${new_orders_pid}" != "${old_orders_pid}" ]]; then
    break
  fi
  sleep 0.25
done
[[ -n "${new_orders_pid}" && "${new_orders_pid}" != "${old_orders_pid}" ]] ||
  fail "surplus-orders was not restarted after SIGKILL of pid ${old_orders_pid}"
wait_healthy "${ports[orders]}"
grep -q "orders (pid ${old_orders_pid}) was killed by signal 9" "${work}/up.err" ||
  fail "the log does not record the SIGKILL of orders (pid ${old_orders_pid})"
pids[orders]="${new_orders_pid}"
echo "surplus_up_test: orders restarted as pid ${new_orders_pid} and healthy again"

kill -TERM "${supervisor_pid}"
for _ in $(seq 1 160); do
  kill -0 "${supervisor_pid}" 2>/dev/null || break
  sleep 0.25
done
if kill -0 "${supervisor_pid}" 2>/dev/null; then
  fail "surplus up still running 40 s after SIGTERM"
fi
status=0
wait "${supervisor_pid}" || status=$?
supervisor_pid=""
[[ "${status}" -eq 0 ]] || fail "surplus up exited with status ${status} after SIGTERM"
for name in gateway orders offers notifications; do
  if kill -0 "${pids[${name}]}" 2>/dev/null; then
    fail "surplus-${name} (pid ${pids[${name}]}) still runs after surplus up exited"
  fi
done
echo "surplus_up_test: SIGTERM stopped all services, exit status 0"
