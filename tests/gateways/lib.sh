# Shared by the gateway tests: PASS/FAIL bookkeeping, a hatmatch serve
# process on ephemeral loopback ports, and a rule file built from
# data/cres.hat with one extra REJECT group.  Sourced, not run.

HATMATCH="${HATMATCH:-$(pwd)/build/release/hatmatch}"
failures=0
passes=0

# require_root WHY: ends the test with a SKIP line unless it runs as root.
require_root() {
  if [[ $(id -u) -ne 0 ]]; then
    echo "SKIP: $(basename "$0") needs root ($1)"
    exit 0
  fi
}

pass() { echo "PASS: $*"; passes=$((passes + 1)); }
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# expect NAME PATTERN FILE: PASS when the extended regex occurs in FILE.
expect() {
  if grep -Eq -- "$2" "$3"; then
    pass "$1"
  else
    fail "$1 (expected /$2/; got:)"
    sed 's/^/    /' "$3" | tail -20
  fi
}

# write_rules FILE EXTRA_BLOCKED_ADDRESS...: data/cres.hat plus a TESTBLOCK
# group (policy $BLOCKED: REJECT) listing the given addresses, before ALL.
write_rules() {
  local file=$1
  shift
  local list
  list=$(IFS=,; echo "$*")
  awk -v list="$list" '
    /^ALL/ && !done { print "TESTBLOCK:\n    $BLOCKED (test senders)\n    " list "\n"; done = 1 }
    { print }' data/cres.hat >"$file.tmp"
  mv "$file.tmp" "$file"
}

# start_server RULES LOG ARGS...: starts hatmatch serve in the background
# with the given listeners (port 0) and waits until each is bound; sets
# SERVER_PID and, per protocol, POLICY_PORT / LINE_PORT / METRICS_PORT.
start_server() {
  local rules=$1 log=$2
  shift 2
  "$HATMATCH" serve "$rules" "$@" --log-level debug --watch-interval 0.2 \
    2>"$log" &
  SERVER_PID=$!
  for _ in $(seq 100); do
    grep -q 'event=started' "$log" && break
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.1
  done
  if ! grep -q 'event=started' "$log"; then
    echo "FAIL: hatmatch serve did not start:" && cat "$log"
    exit 1
  fi
  port_of() { { grep "event=listening proto=$1 " "$log" || true; } | sed -n 's/.*:\([0-9]*\)$/\1/p' | head -1; }
  POLICY_PORT=$(port_of policy)
  LINE_PORT=$(port_of line)
  METRICS_PORT=$(port_of metrics)
}

stop_server() {
  if [[ -n "${SERVER_PID:-}" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID"
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=
}

# The table generation the server reports on its metrics listener.
generation() {
  python3 - "$METRICS_PORT" <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5)
s.sendall(b"GET /metrics HTTP/1.0\r\n\r\n")
data = b""
while chunk := s.recv(65536):
    data += chunk
for line in data.decode().splitlines():
    if line.startswith("hatmatch_table_generation "):
        print(line.split()[1])
PY
}

# wait_generation N: waits (up to 10 s) until the server serves generation N.
wait_generation() {
  for _ in $(seq 100); do
    [[ "$(generation)" == "$1" ]] && return 0
    sleep 0.1
  done
  return 1
}

# check_sessions RUN: one SMTP session per line of standard input,
#   NAME|ADDRESS|HOST NAME (may be empty)|EXPECTED REGEX|CASE[|EXTRA ARGS]
# `RUN NAME ADDRESS HOST [EXTRA ARGS...]` plays the session and leaves the
# client's side in $work/NAME, where the regex must occur (see expect).
check_sessions() {
  local run=$1 name addr host regex what extra
  while IFS='|' read -r name addr host regex what extra; do
    local args=()
    [[ -n "$extra" ]] && read -ra args <<<"$extra"
    "$run" "$name" "$addr" "$host" "${args[@]}" </dev/null
    expect "$what" "$regex" "$work/$name"
  done
}

finish() {
  echo "$passes passed, $failures failed"
  [[ $failures == 0 ]]
}
