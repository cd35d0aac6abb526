#!/usr/bin/env bash
# The `hatmatch serve` benchmark (bench/serve/README.md): for HATs of 100, 1k
# and 10k generated IPv4 entries, the same policy requests over N persistent
# connections to hatmatch serve, to postfwd2 (the same groups as postfwd
# rules) and to a no-op Asio server answering DUNNO.  Prints a markdown
# table: requests/s and latency percentiles, with the load average.  With
# --rounds R each server is measured R times, the servers interleaved, and
# the run with the median requests/s is shown (this machine is shared).
# With --rate Q, hatmatch serve and the no-op server are also measured at a
# fixed offered load of Q requests/s (policy_load --rate): the latency a
# gateway sees below saturation, where the closed-loop rows show queueing.
#   bench/serve/run.sh [--connections N] [--seconds S] [--sizes "100 1000"]
#                      [--rounds R] [--check N] [--rate Q]
# Build first: cmake --build --preset release --target hatmatch policy_load
# noop_policy_server.  Needs postfwd (Debian: apt-get install postfwd).
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/serve/flags.sh
connections=64
seconds=5
sizes="100 1000 10000"
rounds=1
check=2000
rate=0
parse_flags 2,15 "check rounds connections seconds sizes rate" "$@"

bin=build/release
hatmatch=$bin/hatmatch
load=$bin/bench/serve/policy_load
noop=$bin/bench/serve/noop_policy_server
work=$(mktemp -d /tmp/hatmatch-serve-bench.XXXXXX)
# postfwd2 drops to nobody before it writes its pid files.
chmod 1777 "$work"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [[ -f "$work/postfwd.pid" ]] && kill "$(cat "$work/postfwd.pid")" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

wait_port() {  # up to 60 s: postfwd starts slowly on a busy machine
  for _ in $(seq 600); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "nothing listens on port $1" >&2
  return 1
}

measure() {  # PORT TRAFFIC [RATE] -> the policy_load line, with the load average
  local out
  out=$("$load" --port "$1" --connections "$connections" --seconds "$seconds" \
    --warmup 1 --rate "${3:-0}" "$2")
  echo "$out load=$(cut -d' ' -f1 /proc/loadavg)"
}

median() {  # lines on stdin -> the one with the median rps (or FIELD)
  sort -t= -k"${1:-5}" -n | awk '{ line[NR] = $0 } END { print line[int((NR + 1) / 2)] }'
}

row() {  # SIZE SERVER LINE [RSS]
  local rps p50 p99 p999
  rps=$(sed -n 's/.* rps=\([0-9]*\).*/\1/p' <<<"$3")
  p50=$(sed -n 's/.* p50_us=\([0-9.]*\).*/\1/p' <<<"$3")
  p99=$(sed -n 's/.* p99_us=\([0-9.]*\).*/\1/p' <<<"$3")
  p999=$(sed -n 's/.* p999_us=\([0-9.]*\).*/\1/p' <<<"$3")
  printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$1" "$2" "$rps" \
    "$p50" "$p99" "$p999" "${4:--}" "$(sed -n 's/.* load=//p' <<<"$3")"
}

echo "connections=$connections seconds=$seconds cores=$(nproc) $(date -u +%FT%TZ)"
echo
echo "| entries | server | requests/s | p50 µs | p99 µs | p99.9 µs | server RSS KiB | load avg |"
echo "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |"
port=$((20000 + RANDOM % 20000))
for n in $sizes; do
  rules=$work/r$n.hat traffic=$work/t$n.txt
  flags=(--ipv4 "$n" --groups 50 --criteria 0 --all)
  "$hatmatch" gen rules "${flags[@]}" -o "$rules"
  "$hatmatch" gen traffic "${flags[@]}" --count 50000 -o "$traffic"
  python3 bench/serve/hat_to_postfwd.py "$rules" >"$work/postfwd$n.cf"

  "$hatmatch" serve "$rules" --listen "inet:127.0.0.1:$port" 2>"$work/serve.log" &
  pids+=($!)
  "$noop" --listen $((port + 1)) --threads "$(nproc)" &
  pids+=($!)
  postfwd2 -d -f "$work/postfwd$n.cf" -i 127.0.0.1 -p $((port + 2)) \
    -u nobody -g nogroup --nodns --cache=0 --pidfile "$work/postfwd.pid" \
    >/dev/null 2>&1
  wait_port "$port"; wait_port $((port + 1)); wait_port $((port + 2))

  # Same answers from hatmatch and postfwd, or the comparison means nothing
  # (--check N: the first N requests, one at a time).
  "$load" --port "$port" --print "$check" "$traffic" >"$work/a_hatmatch"
  "$load" --port $((port + 2)) --print "$check" "$traffic" >"$work/a_postfwd"
  if ! cmp -s "$work/a_hatmatch" "$work/a_postfwd"; then
    echo "hatmatch and postfwd disagree on $n entries:" >&2
    diff "$work/a_hatmatch" "$work/a_postfwd" | head >&2
    exit 1
  fi

  : >"$work/m_hatmatch"; : >"$work/m_noop"; : >"$work/m_postfwd"
  : >"$work/p_hatmatch"; : >"$work/p_noop"
  for _ in $(seq "$rounds"); do
    measure "$port" "$traffic" >>"$work/m_hatmatch"
    measure $((port + 1)) "$traffic" >>"$work/m_noop"
    measure $((port + 2)) "$traffic" >>"$work/m_postfwd"
    if [[ "$rate" != 0 ]]; then
      measure "$port" "$traffic" "$rate" >>"$work/p_hatmatch"
      measure $((port + 1)) "$traffic" "$rate" >>"$work/p_noop"
    fi
  done
  rss() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
  # postfwd2 is a master, a cache process and pre-forked policy children,
  # all in the master's session; their proportional set sizes add up to
  # its memory (their RSS would count the shared Perl pages once each).
  rss_session() {
    for p in $(ps -o pid= --sid "$1"); do
      cat "/proc/$p/smaps_rollup" 2>/dev/null
    done | awk '/^Pss:/ { s += $2 } END { print s }'
  }
  row "$n" "hatmatch serve" "$(median <"$work/m_hatmatch")" "$(rss "${pids[-2]}")"
  row "$n" "no-op Asio (DUNNO)" "$(median <"$work/m_noop")" "$(rss "${pids[-1]}")"
  row "$n" "postfwd2 1.35" "$(median <"$work/m_postfwd")" "$(rss_session "$(cat "$work/postfwd.pid")")"
  if [[ "$rate" != 0 ]]; then
    row "$n" "hatmatch serve at $rate/s" "$(median 7 <"$work/p_hatmatch")" "$(rss "${pids[-2]}")"
    row "$n" "no-op at $rate/s" "$(median 7 <"$work/p_noop")" "$(rss "${pids[-1]}")"
  fi
  kill "${pids[-1]}" "${pids[-2]}" "$(cat "$work/postfwd.pid")"
  wait "${pids[-1]}" "${pids[-2]}" 2>/dev/null || true
  rm -f "$work/postfwd.pid"
  pids=()
  port=$((port + 3))
  sleep 1
done
