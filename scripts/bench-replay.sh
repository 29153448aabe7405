#!/usr/bin/env bash
# Replay throughput and peak memory of picket on generated logs (../shared/bench/genlogs.py):
# sshd 200k, nginx 200k, nginx 1M, with the hub's linux and nginx collections.
#
#   bash scripts/bench-replay.sh                 # items from ../shared/hub (--hub … --items …)
#   CONFIG=/tmp/refbench/etc/config.yaml bash scripts/bench-replay.sh
#                                                # the items of the CrowdSec copy reference.sh runs
# Env: PICKET=dist/picket  RUNS=3  SKIP_1M=1  WORKDIR=/tmp/picket-bench
# Prints one row per workload: lines, wall s (median), lines/s, peak RSS MB (median), alerts.
set -uo pipefail
cd "$(dirname "$0")/.."
SHARED=${SHARED:-../shared}
PICKET=${PICKET:-dist/picket}
RUNS=${RUNS:-3}
W=${WORKDIR:-/tmp/picket-bench}
mkdir -p "$W"
[ -x "$PICKET" ] || { echo "build first: npm run build" >&2; exit 2; }
[ -f "$SHARED/bench/genlogs.py" ] || { echo "$SHARED/bench/genlogs.py is missing" >&2; exit 2; }

gen() { [ -s "$W/$1-$2.log" ] || python3 "$SHARED/bench/genlogs.py" "$1" "$2" > "$W/$1-$2.log"; }
gen sshd 200000; gen nginx 200000
[ -n "${SKIP_1M:-}" ] || gen nginx 1000000

if [ -n "${CONFIG:-}" ]; then items=(-c "$CONFIG"); else
  items=(--hub "$SHARED/hub" --items crowdsecurity/linux,crowdsecurity/nginx --data "$SHARED/hub-data" --geoip "$SHARED/geoip"); fi

run() { # workload type file
  local walls=() rss=() alerts=""
  for i in $(seq "$RUNS"); do
    /usr/bin/time -f "%e %M" -o "$W/time" "$PICKET" replay "$3" --type "$2" "${items[@]}" --json --no-progress > "$W/$1.alerts" 2> "$W/$1.err"
    read -r wall kb < <(tail -n 1 "$W/time")
    walls+=("$wall"); rss+=("$kb"); alerts=$(wc -l < "$W/$1.alerts")
  done
  local lines; lines=$(wc -l < "$3")
  python3 - "$1" "$lines" "$alerts" "${walls[*]}" "${rss[*]}" <<'PY'
import sys, statistics
name, lines, alerts = sys.argv[1], int(sys.argv[2]), sys.argv[3]
walls = [float(x) for x in sys.argv[4].split()]; rss = [int(x) / 1024 for x in sys.argv[5].split()]
w = statistics.median(walls)
print(f"{name:<14}{lines:>9}{w:>10.2f}{lines / w:>14.0f}{statistics.median(rss):>12.1f}{alerts:>8}")
PY
}
printf "%-14s%9s%10s%14s%12s%8s\n" workload lines "wall s" "lines/s" "peak MB" alerts
run sshd-200k syslog "$W/sshd-200000.log"
run nginx-200k nginx "$W/nginx-200000.log"
[ -n "${SKIP_1M:-}" ] || run nginx-1m nginx "$W/nginx-1000000.log"
echo "per-scenario alert counts: jq -r .scenario $W/<workload>.alerts | sort | uniq -c"
