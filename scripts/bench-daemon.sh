#!/usr/bin/env bash
# Live-daemon benchmark: `picket run` with the linux and nginx collections tails a file that a
# writer appends generated nginx lines to (../shared/bench/genlogs.py) at fixed rates.
# Reports: idle RSS (VmRSS after 10 s idle), idle CPU share, then per rate the lag (time from
# the writer's last line to picket having read it all) and CPU share; the highest rate with a
# lag under 1 s is the rate picket keeps up with. The first rate runs twice by default: the first
# row is cold (the JIT still compiling the parsers' hot paths), the second warm.
#
#   bash scripts/bench-daemon.sh
# Env: PICKET=dist/picket  RATES="1000 1000 2000 5000 10000 20000 40000"  SECONDS_PER_RATE=5
#      WORKDIR=/tmp/picket-bench-daemon  SHARED=../shared
set -uo pipefail
cd "$(dirname "$0")/.."
SHARED=${SHARED:-../shared}
PICKET=${PICKET:-dist/picket}
RATES=${RATES:-"1000 1000 2000 5000 10000 20000 40000"}
DUR=${SECONDS_PER_RATE:-5}
W=${WORKDIR:-/tmp/picket-bench-daemon}
[ -x "$PICKET" ] || { echo "build first: npm run build" >&2; exit 2; }
[ -f "$SHARED/bench/genlogs.py" ] || { echo "$SHARED/bench/genlogs.py is missing" >&2; exit 2; }
rm -rf "$W"; mkdir -p "$W/etc" "$W/data" "$W/log"
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
API=$(port); PROM=$(port)
cat > "$W/etc/config.yaml" <<YAML
common:
  log_media: stdout
config_paths:
  config_dir: $W/etc/
  data_dir: $W/data/
  hub_dir: $W/etc/hub/
crowdsec_service:
  acquisition_path: $W/etc/acquis.yaml
db_config:
  type: sqlite
  db_path: $W/data/crowdsec.db
api:
  server:
    listen_uri: 127.0.0.1:$API
prometheus:
  enabled: true
  listen_addr: 127.0.0.1
  listen_port: $PROM
YAML
printf 'filenames:\n  - %s/log/access.log\nlabels:\n  type: nginx\n---\nfilenames:\n  - %s/log/auth.log\nlabels:\n  type: syslog\n' "$W" "$W" > "$W/etc/acquis.yaml"
: > "$W/log/access.log"; : > "$W/log/auth.log"
"$PICKET" hub update -c "$W/etc/config.yaml" --hub-url "$SHARED/hub" > "$W/hub.log" 2>&1 && \
"$PICKET" hub install collection crowdsecurity/linux crowdsecurity/nginx -c "$W/etc/config.yaml" \
  --hub-url "$SHARED/hub" --data-url "$SHARED/hub-data" --geoip "$SHARED/geoip" >> "$W/hub.log" 2>&1 || { cat "$W/hub.log" >&2; exit 1; }
python3 "$SHARED/bench/genlogs.py" nginx 400000 > "$W/lines.log"

"$PICKET" run -c "$W/etc/config.yaml" 2> "$W/picket.err" &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null' EXIT
for _ in $(seq 200); do grep -q "Agent started" "$W/picket.err" 2>/dev/null && break; sleep 0.05; done
grep -q "Agent started" "$W/picket.err" || { cat "$W/picket.err" >&2; exit 1; }

ticks() { awk '{print $14+$15}' "/proc/$PID/stat"; }
HZ=$(getconf CLK_TCK)
hits() { curl -s "http://127.0.0.1:$PROM/metrics" | awk -v f="$W/log/access.log" 'index($0, "cs_filesource_hits_total{source=\"" f "\"}")==1 {print $2}'; }

t0=$(ticks); sleep 10; t1=$(ticks)
rss=$(awk '/VmRSS/ {print $2}' "/proc/$PID/status")
printf "idle: RSS %.1f MB, CPU %.2f%% over 10 s (%s)\n" "$(echo "$rss/1024" | bc -l)" "$(echo "($t1-$t0)*100/$HZ/10" | bc -l)" \
  "$(grep -o 'Agent started.*' "$W/picket.err" | cut -c1-90)"

printf "%8s %10s %10s %8s\n" "lines/s" "lag s" "CPU %" "RSS MB"
sent=0; best=0
for rate in $RATES; do
  n=$((rate * DUR))
  c0=$(ticks)
  python3 - "$W/lines.log" "$W/log/access.log" "$rate" "$n" "$sent" <<'PY'
import sys, time
src, dst, rate, n, skip = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
lines = open(src).read().splitlines(True)
out = open(dst, "a")
tick = 0.01; per = max(1, int(rate * tick)); start = time.monotonic(); i = 0
while i < n:
    chunk = [lines[(skip + i + k) % len(lines)] for k in range(min(per, n - i))]
    out.write("".join(chunk)); out.flush(); i += len(chunk)
    delay = start + (i / rate) - time.monotonic()
    if delay > 0: time.sleep(delay)
PY
  end=$(date +%s.%N); c1=$(ticks)
  sent=$((sent + n))
  lag=""
  for _ in $(seq 600); do
    h=$(hits); h=${h%.*}
    if [ "${h:-0}" -ge "$sent" ]; then lag=$(echo "$(date +%s.%N) - $end" | bc -l); break; fi
    sleep 0.02
  done
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$PID/status")
  cpu=$(echo "($c1-$c0)*100/$HZ/$DUR" | bc -l)
  if [ -n "$lag" ]; then lagtext=$(printf %.2f "$lag"); else lagtext=">12"; fi
  printf "%8d %10s %10.1f %8.1f\n" "$rate" "$lagtext" "$cpu" "$(echo "$rss/1024" | bc -l)"
  if [ -n "$lag" ] && [ "$(echo "$lag < 1" | bc -l)" = 1 ]; then best=$rate; else break; fi
done
echo "highest rate kept up with (lag < 1 s): $best lines/s"
kill -TERM $PID; wait $PID 2>/dev/null
trap - EXIT
tail -n 2 "$W/picket.err"
