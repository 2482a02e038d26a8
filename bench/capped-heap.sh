#!/usr/bin/env bash
# ./analyze --format jsonl on a generated capture, by default and with the user's heap cap given in
# each place the launcher must respect it (issue 14: a capped heap must not make it collapse).
#
#   bench/capped-heap.sh [PACKETS] [HEAP]    defaults: 10M, 256m; REPEAT=3 rounds, interleaved
#
# The capture is bench-data/<packets>.pcap (bench/run-bench.sh makes it). Prints one line per run:
# wall and cpu seconds, peak RSS (/usr/bin/time -v), then the median wall of each variant.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
label="$(echo "${1:-10M}" | tr 'KM' 'km')"
heap="${2:-256m}"
file="bench-data/$label.pcap"
[ -f "$file" ] || { echo "capped-heap: $file missing (bench/run-bench.sh $label makes it)" >&2; exit 2; }
./analyze --version >/dev/null   # builds on first use, outside the measurement
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
to_seconds() { awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }'; }
variants=("default" "JAVA_TOOL_OPTIONS=-Xmx$heap" "JDK_JAVA_OPTIONS=-Xmx$heap" "FINWAIT_JAVA_OPTS=-Xmx$heap")
for ((round = 1; round <= ${REPEAT:-3}; round++)); do
  for v in "${variants[@]}"; do
    envs=(-u JAVA_TOOL_OPTIONS -u JDK_JAVA_OPTIONS -u FINWAIT_JAVA_OPTS)
    [ "$v" != default ] && envs+=("$v")
    /usr/bin/time -v -o "$tmp/time" timeout 900 env "${envs[@]}" ./analyze --format jsonl "$file" >/dev/null 2>"$tmp/err" \
      || { echo "$v failed:" >&2; tail -5 "$tmp/err" >&2; exit 1; }
    wall=$(grep 'Elapsed (wall' "$tmp/time" | awk '{print $NF}' | to_seconds)
    cpu=$(awk -F': ' '/User time/ {u=$2} /System time/ {s=$2} END {print u + s}' "$tmp/time")
    rss=$(awk -F': ' '/Maximum resident/ {print int($2 / 1024)}' "$tmp/time")
    printf '%-28s round %d  wall %6.2f s  cpu %6.2f s  rss %5d MB\n' "$v" "$round" "$wall" "$cpu" "$rss"
    echo "$wall" >>"$tmp/$(echo "$v" | tr -c 'A-Za-z0-9\n' _)"
  done
done
for v in "${variants[@]}"; do
  printf '%-28s median wall %s s\n' "$v" "$(sort -n "$tmp/$(echo "$v" | tr -c 'A-Za-z0-9\n' _)" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')"
done
