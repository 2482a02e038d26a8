#!/usr/bin/env bash
# Live capture under load: `analyze --interface lo` while tcpreplay replays a generated capture on lo.
#
#   bench/live-bench.sh [FILE [RATE]]        one run per REPEAT (default 1); RATE: topspeed (default),
#                                            200k / 200000 (packets/s, tcpreplay --pps) or 500mbps (--mbps)
#   bench/live-bench.sh sweep [FILE [RATE...]]
#                                            REPEAT runs (default 3) per rate, then the best run per rate
#                                            (fewest frames missing); default rates 50k 100k 150k 200k 300k 400k
#                                            600k 800k 1M topspeed
#
# FILE defaults to bench-data/1m.pcap (sweep: bench-data/200k.pcap, generated if missing).
# ANALYZE_OPTS adds options to analyze (e.g. '--buffer-size 2m'); FILTER replaces the BPF filter;
# ANALYZE runs another copy of the launcher (default ./analyze), e.g. one with older jars beside it.
# Needs root and tcpreplay (installed when missing). One line per run, tab-separated:
#
#   rate      requested rate
#   pps, Mbps tcpreplay's actual rate ("Rated:" line)
#   sent      packets tcpreplay sent
#   recv      libpcap's "received by filter" (pcap_stats ps_recv; on lo each packet passes the filter
#             twice, as outgoing and as incoming: 2 x sent. 'inbound' in FILTER avoids that but loses the
#             ring's first block: libpcap re-checks it in user space, where 'inbound' matches nothing)
#   drop      libpcap's "dropped" (ps_drop: the kernel ring was full)
#   ifdrop    libpcap's "dropped by the interface" (ps_ifdrop)
#   backlog   growth of /proc/net/softnet_stat's dropped column (the kernel's input backlog overflowed
#             before any packet socket saw the packet; other traffic on the machine counts too)
#   frames    the analyzer's own frame count (jsonl summary)
#   conns     connections in the report
#   all       yes when frames = sent
#   busy_s    seconds from the replay's start until analyze stopped using CPU (0.2 s resolution): with a
#             buffer big enough to hold the replay, frames / busy_s is the rate analyze keeps up with
#   load      1-minute load average before the run
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"

# The generator's traffic only: IPv4 servers are in 192.0.2.0/24, IPv6 hosts in 2001:db8::/32 (both
# documentation prefixes, see CaptureGenerator), so the tests' and other jobs' 127.0.0.1 / ::1
# connections on lo stay out of the counters. 'tcp' alone would let them in.
FILTER="${FILTER:-tcp and (net 192.0.2.0/24 or net 2001:db8::/32)}"
ANALYZE_OPTS="${ANALYZE_OPTS:-}"
ANALYZE="${ANALYZE:-./analyze}"
SETTLE_S="${SETTLE_S:-0.3}"

tmp="$(mktemp -d /tmp/live-bench.XXXXXX)"
apid=""
rpid=""
cleanup() {
  if [ -n "$rpid" ]; then
    kill -TERM "$rpid" 2>/dev/null || true
  fi
  if [ -n "$apid" ] && kill -0 "$apid" 2>/dev/null; then
    kill -TERM "$apid" 2>/dev/null || true
    sleep 1
    kill -KILL "$apid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ "$(id -u)" -ne 0 ]; then
  echo "live-bench: needs root (live capture and tcpreplay)" >&2
  exit 2
fi
if ! command -v tcpreplay >/dev/null; then
  DEBIAN_FRONTEND=noninteractive timeout 300 apt-get install -y tcpreplay >&2
fi

generate() { # FILE: bench-data/<N>.pcap, N like 200k or 1m
  local file="$1" n
  [ -f "$file" ] && return
  n="$(basename "$file" .pcap)"
  if [ ! -f analyzer-core/target/test-classes/dev/finwait/bench/CaptureGenerator.class ]; then
    (timeout 600 mvn -q -B -o test-compile -pl analyzer-core) >&2
  fi
  timeout 600 java -cp analyzer-core/target/test-classes dev.finwait.bench.CaptureGenerator \
    --packets "$n" --out "$file" --seed 1 >&2
}

# Build (first use) outside the measurement.
"$ANALYZE" --version >/dev/null

backlog_drops() { # sum of the second column (hex) of /proc/net/softnet_stat over all CPUs
  local sum=0 d
  while read -r _ d _; do sum=$(( sum + 16#$d )); done </proc/net/softnet_stat
  echo "$sum"
}

cpu_ticks() { # user + system clock ticks of a process
  awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0
}

# True once PID has mapped the ring of a packet socket listed in /proc/net/packet. The socket shows in
# /proc/net/packet as soon as libpcap creates it, but packets that arrive before the ring is set up are
# lost without being counted (with a big buffer that takes a while): the mapping comes after the ring.
capture_ready() {
  local pid="$1" inode
  for inode in $(sed -n 's/.* socket:\[\([0-9]*\)\]$/\1/p' "/proc/$pid/maps" 2>/dev/null); do
    if awk -v i="$inode" 'NR > 1 && $NF == i { found = 1 } END { exit !found }' /proc/net/packet; then
      return 0
    fi
  done
  return 1
}

rate_args() { # RATE -> tcpreplay options
  local r
  r="$(echo "$1" | tr 'A-Z' 'a-z')"
  case "$r" in
    topspeed) echo "--topspeed" ;;
    *mbps) echo "--mbps=${r%mbps}" ;;
    *m) echo "--pps=$(( ${r%m} * 1000000 ))" ;;
    *k) echo "--pps=$(( ${r%k} * 1000 ))" ;;
    *) echo "--pps=$r" ;;
  esac
}

header() {
  printf 'rate\tpps\tMbps\tsent\trecv\tdrop\tifdrop\tbacklog\tframes\tconns\tall\tbusy_s\tload\n'
}

# One run: prints one tab-separated line (see the top of the file).
run_once() {
  local file="$1" rate="$2" load b0 b1 i ticks last rp t0 t1 busy
  load="$(cut -d' ' -f1 /proc/loadavg)"
  b0="$(backlog_drops)"
  # shellcheck disable=SC2086 # ANALYZE_OPTS is a list of options
  "$ANALYZE" --interface lo --filter "$FILTER" --format jsonl -q $ANALYZE_OPTS \
    >"$tmp/out.jsonl" 2>"$tmp/err" &
  apid=$!
  # Wait (at most 30 s) for libpcap's ring, then a moment for the BPF filter to be attached.
  for ((i = 0; i < 300; i++)); do
    capture_ready "$apid" && break
    kill -0 "$apid" 2>/dev/null || { cat "$tmp/err" >&2; return 1; }
    sleep 0.1
  done
  if ((i == 300)); then
    echo "live-bench: analyze did not open its capture within 30 s" >&2
    return 1
  fi
  sleep 0.5
  t0="$(date +%s.%N)"
  # In the background, so that a signal to this script runs its trap at once (bash runs traps only
  # between foreground commands; 'wait' returns early on a signal).
  # shellcheck disable=SC2046
  timeout 600 tcpreplay -i lo $(rate_args "$rate") "$file" >"$tmp/replay" 2>&1 &
  rpid=$!
  wait "$rpid" || { rpid=""; cat "$tmp/replay" >&2; return 1; }
  rpid=""
  # Let the analyzer drain the ring: wait until it uses under 2 ticks of CPU in 0.2 s (at most 120 s).
  # busy = from the replay's start to the last 0.2 s in which it was still working.
  last="$(cpu_ticks "$apid")"
  t1="$(date +%s.%N)"
  for ((i = 0; i < 600; i++)); do
    sleep 0.2
    ticks="$(cpu_ticks "$apid")"
    (( ticks - last < 2 )) && break
    last="$ticks"
    t1="$(date +%s.%N)"
  done
  busy="$(echo "$t1 - $t0" | bc)"
  sleep "$SETTLE_S"
  # SIGTERM, not SIGINT: a background job of a non-interactive shell starts with SIGINT ignored, and
  # the JVM then installs no handler for it. On SIGTERM the shutdown hook prints the report and counters.
  kill -TERM "$apid"
  for ((i = 0; i < 300; i++)); do
    kill -0 "$apid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$apid" 2>/dev/null; then
    echo "live-bench: analyze did not stop within 30 s of SIGTERM" >&2
    kill -KILL "$apid" 2>/dev/null || true
  fi
  wait "$apid" 2>/dev/null || true
  apid=""
  b1="$(backlog_drops)"

  local sent pps mbps recv drop ifdrop frames conns all
  sent="$(sed -n 's/^Actual: \([0-9]*\) packets.*/\1/p' "$tmp/replay")"
  pps="$(sed -n 's/^Rated: .* \([0-9.]*\) pps.*/\1/p' "$tmp/replay")"
  mbps="$(sed -n 's/^Rated: .* \([0-9.]*\) Mbps.*/\1/p' "$tmp/replay")"
  rp="$(grep 'packets received by filter' "$tmp/err" || true)"
  if [ -z "$rp" ]; then
    echo "live-bench: no libpcap counters from analyze:" >&2
    cat "$tmp/err" >&2
    return 1
  fi
  recv="$(echo "$rp" | sed -n 's/.* \([0-9]*\) packets received by filter.*/\1/p')"
  drop="$(echo "$rp" | sed -n 's/.* \([0-9]*\) dropped by libpcap.*/\1/p')"
  ifdrop="$(echo "$rp" | sed -n 's/.* \([0-9]*\) dropped by the interface.*/\1/p')"
  frames="$(tail -n 1 "$tmp/out.jsonl" | sed -n 's/.*"frames":\([0-9]*\).*/\1/p')"
  conns="$(tail -n 1 "$tmp/out.jsonl" | sed -n 's/.*"connections":\([0-9]*\).*/\1/p')"
  all=no
  [ "$frames" = "$sent" ] && all=yes
  printf '%s\t%.0f\t%.1f\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%.1f\t%s\n' "$rate" "$pps" "$mbps" "$sent" "$recv" \
    "$drop" "$ifdrop" "$((b1 - b0))" "$frames" "$conns" "$all" "$busy" "$load"
}

if [ "${1:-}" = "sweep" ]; then
  shift
  file="${1:-bench-data/200k.pcap}"
  [ $# -gt 0 ] && shift
  rates=("$@")
  [ ${#rates[@]} -eq 0 ] && rates=(50k 100k 150k 200k 300k 400k 600k 800k 1M topspeed)
  generate "$file"
  repeat="${REPEAT:-3}"
  echo "# sweep: $file, $repeat runs per rate, analyze $ANALYZE_OPTS, filter '$FILTER'; load: $(cut -d' ' -f1-3 /proc/loadavg)"
  header
  best=()
  for rate in "${rates[@]}"; do
    line=""
    for ((r = 0; r < repeat; r++)); do
      # not in $(...): the run's analyze must stay visible to the EXIT trap of this shell
      run_once "$file" "$rate" >"$tmp/line"
      l="$(cat "$tmp/line")"
      echo "$l"
      # best = fewest frames missing from the analyzer (sent - frames)
      if [ -z "$line" ] || (( $(cut -f4 <<<"$l") - $(cut -f9 <<<"$l") < $(cut -f4 <<<"$line") - $(cut -f9 <<<"$line") )); then
        line="$l"
      fi
    done
    best+=("$line")
  done
  echo "# best run per rate (fewest frames missing)"
  header
  printf '%s\n' "${best[@]}"
else
  file="${1:-bench-data/1m.pcap}"
  rate="${2:-topspeed}"
  generate "$file"
  echo "# $file at $rate, analyze $ANALYZE_OPTS, filter '$FILTER'; load: $(cut -d' ' -f1-3 /proc/loadavg)"
  header
  for ((r = 0; r < ${REPEAT:-1}; r++)); do
    run_once "$file" "$rate"
  done
fi
