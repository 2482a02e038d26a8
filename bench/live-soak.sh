#!/usr/bin/env bash
# Live capture soak: `analyze --interface lo` for MINUTES while ChurnGenerator (the test tree's load:
# graceful, SO_LINGER 0 and half-close connections in turn) makes RATE connections a second on lo.
#
#   bench/live-soak.sh [MINUTES [RATE [PORT]]]      defaults: 5 minutes, 500 connections/s, port 47311
#
# Every 10 s one line: seconds, analyze's resident memory (VmRSS, MB), its heap in use and the old
# generation's part of it (jstat, MB), and the lines written so far. FINWAIT_JAVA_OPTS (e.g. -Xmx256m)
# goes to analyze's JVM. At the end: libpcap's counters (received, dropped), the exit code, whether the
# report ends with its summary, connections reported, and the live JSONL compared with file mode on
# the --write capture. Bounded: the capture stops itself (--duration), the generator after MINUTES + 1.
# Needs root; builds the test classes when missing. Scratch files go to ${SOAK_DIR:-/tmp/finwait-soak}.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
minutes="${1:-5}"; rate="${2:-500}"; port="${3:-47311}"
dir="${SOAK_DIR:-/tmp/finwait-soak}"
mkdir -p "$dir"
if [ ! -f analyzer-cli/target/test-classes/dev/finwait/cli/ChurnGenerator.class ]; then
  mvn -q -B -o -DskipTests package >/dev/null && mvn -q -B -o -pl analyzer-core,analyzer-cli test-compile >/dev/null
fi
./analyze --interface lo --filter "tcp port $port" --duration "${minutes}m" --format jsonl -q \
  --write "$dir/soak.pcap" >"$dir/soak.jsonl" 2>"$dir/soak.err" &
apid=$!
sleep 3
timeout $(( minutes * 60 + 60 )) java -cp analyzer-cli/target/test-classes dev.finwait.cli.ChurnGenerator \
  "$port" 100000000 $(( minutes * 60 )) "$rate" 2>"$dir/churn.err" &
gpid=$!
jpid=""
start=$(date +%s)
printf 's\trss_mb\theap_mb\told_mb\tlines\n'
while kill -0 "$apid" 2>/dev/null; do
  [ -z "$jpid" ] && jpid=$(pgrep -P "$apid" java || pgrep -f "dev.finwait.cli.Main --interface lo --filter tcp port $port" | head -1 || true)
  pid="${jpid:-$apid}"
  rss=$(awk '/VmRSS/ {print int($2/1024)}' "/proc/$pid/status" 2>/dev/null || echo -)
  heap=$(jstat -gc "$pid" 2>/dev/null | awk 'NR==2 {printf "%d\t%d", ($3+$4+$6+$8)/1024, $8/1024}' || true)
  printf '%d\t%s\t%s\t%s\n' $(( $(date +%s) - start )) "$rss" "${heap:--	-}" "$(wc -l <"$dir/soak.jsonl")"
  for _ in $(seq 1 10); do kill -0 "$apid" 2>/dev/null || break; sleep 1; done
done
wait "$apid" && code=0 || code=$?
kill "$gpid" 2>/dev/null || true
wait "$gpid" 2>/dev/null || true
echo "exit $code; $(cat "$dir/soak.err")"
echo "churn: $(cat "$dir/churn.err")"
echo "summary last: $(tail -1 "$dir/soak.jsonl" | cut -c1-120)"
echo "connections: $(grep -c '"type":"connection"' "$dir/soak.jsonl" || true)"
echo "updates: $(grep -c '"type":"connection_update"' "$dir/soak.jsonl" || true)"
./analyze --format jsonl -q --emit close "$dir/soak.pcap" >"$dir/file.jsonl" 2>/dev/null || true
if cmp -s "$dir/soak.jsonl" "$dir/file.jsonl"; then echo "live = file mode (--emit close) on its --write capture"
else echo "live != file mode (--emit close): $(diff "$dir/soak.jsonl" "$dir/file.jsonl" | grep -c '^[<>]') lines differ"; fi
rm -f "$dir/soak.pcap" "$dir/file.jsonl"
