#!/usr/bin/env bash
# End-to-end throughput of `analyze` on a generated capture, next to tcptrace and tshark on the same file.
#
#   bench/run-bench.sh [PACKETS]      PACKETS defaults to 1000000 (also 1M, 10M, 500k)
#   ONLY_FINWAIT=1 bench/run-bench.sh  only the finwait rows (the thread scaling)
#
# Generates bench-data/<n>.pcap with the seeded CaptureGenerator (test scope of analyzer-core) if it is
# missing, then times each tool with /usr/bin/time -v, JVM start included. Output goes to /dev/null.
# Each tool runs REPEAT times (default 3) and its fastest run is shown: the machine may be shared.
# FINWAIT_JAVA_OPTS is passed through to ./analyze as usual.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"

spec="${1:-1M}"
n="$(echo "$spec" | tr -d _ | tr 'KM' 'km')"
case "$n" in
  *m) packets=$(( ${n%m} * 1000000 )); label="$n" ;;
  *k) packets=$(( ${n%k} * 1000 )); label="$n" ;;
  *)  packets=$n; label="$n" ;;
esac
file="bench-data/${label}.pcap"
mkdir -p bench-data

for tool in tcptrace tshark capinfos; do
  if ! command -v "$tool" >/dev/null; then
    echo "installing tcptrace and tshark..." >&2
    DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y tcptrace tshark >&2
    break
  fi
done

if [ ! -f "$file" ]; then
  if [ ! -f analyzer-core/target/test-classes/dev/finwait/bench/CaptureGenerator.class ]; then
    (timeout 600 mvn -q -B -o test-compile -pl analyzer-core) >&2
  fi
  timeout 1800 java -cp analyzer-core/target/test-classes dev.finwait.bench.CaptureGenerator \
    --packets "$packets" --out "$file" --seed 1
fi

# Build (first use) outside the measurement: an unknown option fails fast after the build.
./analyze --help >/dev/null 2>&1 || true

frames=$(capinfos -M -c -T "$file" | awk -F'\t' 'NR==2 {print $2}')
bytes=$(stat -c %s "$file")
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# seconds from /usr/bin/time's "h:mm:ss" or "m:ss.ss"
to_seconds() { awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }'; }

repeat="${REPEAT:-3}"
results=()
measure() { # name, command...
  local name="$1"; shift
  local best="" i wall cpu rss
  for ((i = 1; i <= repeat; i++)); do
    if ! /usr/bin/time -v -o "$tmp/time" timeout 3600 "$@" >/dev/null 2>"$tmp/err"; then
      echo "$name failed:" >&2; tail -5 "$tmp/err" >&2; tail -25 "$tmp/time" >&2
      return 1
    fi
    wall=$(grep 'Elapsed (wall clock)' "$tmp/time" | awk '{print $NF}' | to_seconds)
    cpu=$(awk -F': ' '/User time|System time/ {s += $2} END {print s}' "$tmp/time")
    rss=$(awk -F': ' '/Maximum resident/ {print $2}' "$tmp/time")
    echo "  $name, run $i: ${wall} s wall, ${cpu} s cpu, $((rss / 1024)) MB RSS" >&2
    if [ -z "$best" ] || awk -v a="$wall" -v b="${best%%|*}" 'BEGIN {exit !(a < b)}'; then
      best="$wall|$cpu|$rss"
    fi
  done
  results+=("$name|$best")
}

load="$(cut -d' ' -f1-3 /proc/loadavg)"
measure "finwait (analyze --format jsonl)" ./analyze "$file" --format jsonl
# How the threads scale: read + decode, analysis and writing on one, two or three threads (the default
# is three on a machine with two or more cores).
measure "finwait --threads 1" ./analyze "$file" --format jsonl --threads 1
measure "finwait --threads 2" ./analyze "$file" --format jsonl --threads 2
if [ -z "${ONLY_FINWAIT:-}" ]; then
  measure "tcptrace -n" tcptrace -n "$file"
  measure "tshark -q -z conv,tcp" tshark -n -q -z conv,tcp -r "$file"
fi

base_wall=$(echo "${results[0]}" | cut -d'|' -f2)
echo
echo "file: $file, $frames packets, $(awk -v b="$bytes" 'BEGIN {printf "%.1f", b/1e6}') MB; $(nproc) cores; fastest of $repeat runs; load average before: $load"
printf '%-58s %8s %8s %12s %8s %9s %10s\n' tool "wall s" "cpu s" "packets/s" "MB/s" "RSS MB" "wall/finw"
for r in "${results[@]}"; do
  IFS='|' read -r name wall cpu rss <<<"$r"
  awk -v n="$name" -v w="$wall" -v c="$cpu" -v r="$rss" -v f="$frames" -v b="$bytes" -v base="$base_wall" \
    'BEGIN { printf "%-58s %8.2f %8.2f %12.0f %8.1f %9.0f %10.2f\n", n, w, c, f/w, b/1e6/w, r/1024, w/base }'
done
