#!/usr/bin/env bash
# Memory over a long run of `hatmatch serve` with reloads every second
# (bench/serve/README.md): a 10k-entry HAT, policy_load on N connections
# for S seconds, the rules file replaced by one of two different rule sets
# every second (each replacement is a real reload), VmRSS sampled every 10 s.
#   bench/serve/soak.sh [--seconds 600] [--connections 64] > soak.txt
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/serve/flags.sh
seconds=600
connections=64
parse_flags 2,7 "seconds connections" "$@"
bin=build/release
work=$(mktemp -d /tmp/hatmatch-serve-soak.XXXXXX)
server=
cleanup() {
  [[ -n "$server" ]] && kill "$server" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

flags=(--ipv4 10000 --groups 50 --criteria 0 --all)
$bin/hatmatch gen rules "${flags[@]}" --seed 1 -o "$work/a.hat"
$bin/hatmatch gen rules "${flags[@]}" --seed 2 -o "$work/b.hat"
$bin/hatmatch gen traffic "${flags[@]}" --count 50000 -o "$work/t.txt"
cp "$work/a.hat" "$work/rules.hat"
port=$((20000 + RANDOM % 20000))
$bin/hatmatch serve "$work/rules.hat" --listen "inet:127.0.0.1:$port" \
  --metrics "inet:127.0.0.1:$((port + 1))" 2>"$work/serve.log" &
server=$!
sleep 1
$bin/bench/serve/policy_load --port "$port" --connections "$connections" \
  --seconds "$seconds" --warmup 0 "$work/t.txt" >"$work/load.txt" &
load=$!
start=$(date +%s)
echo "elapsed_s rss_kib generation load_avg"
i=0
while kill -0 "$load" 2>/dev/null; do
  sleep 1
  i=$((i + 1))
  if ((i % 2)); then cp "$work/b.hat" "$work/next.hat"; else cp "$work/a.hat" "$work/next.hat"; fi
  mv "$work/next.hat" "$work/rules.hat"
  if ((i % 10 == 0)); then
    gen=$(curl -s "127.0.0.1:$((port + 1))" | sed -n 's/^hatmatch_table_generation //p')
    echo "$(($(date +%s) - start)) $(awk '/VmRSS/ {print $2}' /proc/$server/status) $gen $(cut -d' ' -f1 /proc/loadavg)"
  fi
done
wait "$load"
cat "$work/load.txt"
grep -c 'event=reload ' "$work/serve.log" | sed 's/^/reloads: /'
grep -c 'event=reload_failed' "$work/serve.log" | sed 's/^/failed reloads: /' || true
