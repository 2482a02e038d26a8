#!/usr/bin/env bash
# End-to-end throughput of `analyze --format jsonl` on a generated capture, side by side in one run with
# the same command under a capped heap (the user's JAVA_TOOL_OPTIONS=-Xmx256m) and with `tcptrace -n`
# on the same file.
#
#   bench/run-bench.sh [SIZE]         SIZE: packets, 1M (default), 10M, 500k, 2_000_000
#
#   REPEAT=N        rounds (default 3); the variants run interleaved, round by round (A B C A B C ...),
#                   so a slow minute of a shared host hits them alike; medians and per-round ratios shown
#   HEAP=256m       the heap of the capped variant
#   THREADS=1       also `--threads 1` and `--threads 2` (how the pipeline's threads scale)
#   TSHARK=1        also `tshark -n -q -z conv,tcp` (slow: about 15x finwait's time on 10M)
#   MD5=0           skip the untimed run that prints the md5 of finwait's JSONL (and counts the frames)
#   CLEAN=1         delete the generated capture afterwards
#
# Generates bench-data/<size>.pcap (ignored by git) with the seeded CaptureGenerator (test scope of
# analyzer-core, --seed 1) if it is missing, after checking the free disk space (about 402 bytes per
# packet: 10M is 4.0 GB). Times every command with /usr/bin/time -v, JVM start included, output to
# /dev/null. FINWAIT_JAVA_OPTS is passed through to ./analyze as usual.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"

spec="${1:-1M}"
n="$(echo "$spec" | tr -d _ | tr 'KM' 'km')"
case "$n" in
  *m) packets=$(( ${n%m} * 1000000 )) ;;
  *k) packets=$(( ${n%k} * 1000 )) ;;
  *)  packets=$n ;;
esac
[[ "$packets" =~ ^[1-9][0-9]*$ ]] || { echo "run-bench: SIZE must be a packet count such as 1M, 10M or 500k, not '$spec'" >&2; exit 2; }
file="bench-data/${n}.pcap"
repeat="${REPEAT:-3}"
heap="${HEAP:-256m}"
mkdir -p bench-data
[ -x /usr/bin/time ] || { echo "run-bench: /usr/bin/time is missing (apt-get install time)" >&2; exit 2; }

have_tcptrace=true
if ! command -v tcptrace >/dev/null; then
  echo "run-bench: installing tcptrace..." >&2
  if ! { [ "$(id -u)" = 0 ] && DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y tcptrace >/dev/null 2>&1; }; then
    echo "run-bench: tcptrace is not installed and could not be (apt-get install tcptrace as root): its row is skipped" >&2
    have_tcptrace=false
  fi
fi
if [ -n "${TSHARK:-}" ] && ! command -v tshark >/dev/null; then
  echo "run-bench: TSHARK=1 but tshark is not installed (apt-get install tshark): its row is skipped" >&2
  TSHARK=
fi

if [ ! -f "$file" ]; then
  need=$(( packets * 420 / 1024 / 1024 + 512 ))                      # MB, with a margin
  free=$(df -Pm bench-data | awk 'NR == 2 {print $4}')
  if [ "$free" -lt "$need" ]; then
    echo "run-bench: $file needs about $need MB and bench-data/ has $free MB free" >&2
    exit 2
  fi
  if [ ! -f analyzer-core/target/test-classes/dev/finwait/bench/CaptureGenerator.class ]; then
    (timeout 600 mvn -q -B -o test-compile -pl analyzer-core) >&2
  fi
  timeout 1800 java -cp analyzer-core/target/test-classes dev.finwait.bench.CaptureGenerator \
    --packets "$packets" --out "$file" --seed 1
fi

# Build (first use) and make the class-data archive outside the measurement.
./analyze --version >/dev/null

bytes=$(stat -c %s "$file")
tmp="$(mktemp -d)"
if [ -n "${CLEAN:-}" ]; then trap 'rm -rf "$tmp"; rm -f "$file"' EXIT; else trap 'rm -rf "$tmp"' EXIT; fi

# The variants: a name and a command (run through env, so a variable can be set for one of them).
names=() cmds=()
add() { names+=("$1"); cmds+=("$2"); }
add "finwait (analyze --format jsonl)" "env -u JAVA_TOOL_OPTIONS ./analyze --format jsonl $file"
add "finwait, JAVA_TOOL_OPTIONS=-Xmx$heap" "env JAVA_TOOL_OPTIONS=-Xmx$heap ./analyze --format jsonl $file"
if [ -n "${THREADS:-}" ]; then
  add "finwait --threads 1" "env -u JAVA_TOOL_OPTIONS ./analyze --format jsonl --threads 1 $file"
  add "finwait --threads 2" "env -u JAVA_TOOL_OPTIONS ./analyze --format jsonl --threads 2 $file"
fi
$have_tcptrace && add "tcptrace -n" "tcptrace -n $file"
[ -n "${TSHARK:-}" ] && add "tshark -n -q -z conv,tcp" "tshark -n -q -z conv,tcp -r $file"

# seconds from /usr/bin/time's "h:mm:ss" or "m:ss.ss"
to_seconds() { awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }'; }

load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
for ((round = 1; round <= repeat; round++)); do
  for i in "${!names[@]}"; do
    # shellcheck disable=SC2086
    if ! /usr/bin/time -v -o "$tmp/time" timeout 3600 ${cmds[$i]} >/dev/null 2>"$tmp/err"; then
      echo "run-bench: ${names[$i]} failed:" >&2; tail -5 "$tmp/err" >&2; tail -25 "$tmp/time" >&2
      exit 1
    fi
    wall=$(grep 'Elapsed (wall clock)' "$tmp/time" | awk '{print $NF}' | to_seconds)
    cpu=$(awk -F': ' '/User time|System time/ {s += $2} END {print s}' "$tmp/time")
    rss=$(awk -F': ' '/Maximum resident/ {print int($2 / 1024)}' "$tmp/time")
    printf '  round %d  %-40s wall %7.2f s  cpu %7.2f s  RSS %6d MB  (load %s)\n' "$round" "${names[$i]}" \
      "$wall" "$cpu" "$rss" "$(cut -d' ' -f1 /proc/loadavg)" >&2
    echo "$round $wall $cpu $rss" >>"$tmp/v$i"
  done
done
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"

# The output's fingerprint, untimed: the JSONL's md5 and its summary line's frame count.
md5="(not computed: MD5=0)"
frames=""
if [ "${MD5:-1}" != 0 ]; then
  env -u JAVA_TOOL_OPTIONS ./analyze --format jsonl "$file" | tee >(tail -n 1 >"$tmp/summary") | md5sum | cut -d' ' -f1 >"$tmp/md5"
  wait
  md5="$(cat "$tmp/md5")"
  frames=$(grep -o '"frames":[0-9]*' "$tmp/summary" | cut -d: -f2 || true)
fi
[ -n "$frames" ] || frames=$(capinfos -M -c -T "$file" 2>/dev/null | awk -F'\t' 'NR == 2 {print $2}' || true)
[ -n "$frames" ] || frames=$packets

median() { sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
col() { awk -v c="$1" '{print $c}' "$2"; }

echo
echo "file: $file, $frames packets, $(awk -v b="$bytes" 'BEGIN {printf "%.1f", b/1e6}') MB; $(nproc) cores; $repeat rounds, interleaved; load average before: $load_before, after: $load_after"
printf '%-42s %8s %8s %8s %8s %12s %8s %11s\n' tool "wall s" "min" "cpu s" "RSS MB" "packets/s" "MB/s" "wall/finw"
base=$(col 2 "$tmp/v0" | median)
for i in "${!names[@]}"; do
  w=$(col 2 "$tmp/v$i" | median); wmin=$(col 2 "$tmp/v$i" | sort -n | head -1)
  c=$(col 3 "$tmp/v$i" | median); r=$(col 4 "$tmp/v$i" | sort -n | tail -1)
  awk -v n="${names[$i]}" -v w="$w" -v m="$wmin" -v c="$c" -v r="$r" -v f="$frames" -v b="$bytes" -v base="$base" \
    'BEGIN { printf "%-42s %8.2f %8.2f %8.2f %8d %12.0f %8.1f %11.2f\n", n, w, m, c, r, f/w, b/1e6/w, w/base }'
done
echo "(wall and cpu: medians of the rounds; min: the fastest round's wall; RSS: the largest peak of the rounds)"
# Ratios round by round (each against finwait's default run of the same round).
ratio() { # label, variant index: that variant's time over finwait's
  paste -d' ' "$tmp/v0" "$tmp/v$2" | awk '{ printf "%.2f %.2f\n", $6 / $2, $7 / $3 }' >"$tmp/r"
  printf '%-42s wall %s (median; rounds: %s), cpu %s\n' "$1" "$(col 1 "$tmp/r" | median)" \
    "$(col 1 "$tmp/r" | tr '\n' ' ' | sed 's/ $//')" "$(col 2 "$tmp/r" | median)"
}
ratio "capped heap / default" 1
if $have_tcptrace; then
  for i in "${!names[@]}"; do
    [ "${names[$i]}" = "tcptrace -n" ] && ratio "tcptrace -n / finwait (x faster)" "$i"
  done
fi
echo "md5 of finwait's JSONL: $md5"
