#!/usr/bin/env bash
# Large-file parity of the readers (issue 17): the same packets as pcap, as pcapng written by
# `editcap -F pcapng` (Wireshark's own writer) and as gzipped pcapng give byte-identical JSONL.
#
#   bench/reader-parity.sh [PACKETS]     PACKETS defaults to 1M (also 10M, 500k, a bare number)
#
# Uses bench-data/<n>.pcap from the seeded CaptureGenerator (made if missing, as bench/run-bench.sh
# does) and writes bench-data/<n>.pcapng and bench-data/<n>.pcapng.gz beside it. Prints the md5 of
# every file and every JSONL output, and exits 1 if the outputs differ.
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
pcap="bench-data/${label}.pcap"
mkdir -p bench-data

if ! command -v editcap >/dev/null; then
  echo "installing wireshark-common (editcap)..." >&2
  DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y wireshark-common >&2
fi
if [ ! -f "$pcap" ]; then
  if [ ! -f analyzer-core/target/test-classes/dev/finwait/bench/CaptureGenerator.class ]; then
    (timeout 600 mvn -q -B -o test-compile -pl analyzer-core) >&2
  fi
  timeout 1800 java -cp analyzer-core/target/test-classes dev.finwait.bench.CaptureGenerator \
    --packets "$packets" --out "$pcap" --seed 1
fi
ng="bench-data/${label}.pcapng"
[ -f "$ng" ] && [ "$ng" -nt "$pcap" ] || timeout 1800 editcap -F pcapng "$pcap" "$ng"
[ -f "$ng.gz" ] && [ "$ng.gz" -nt "$ng" ] || timeout 1800 gzip -c "$ng" > "$ng.gz"

./analyze --help >/dev/null 2>&1 || true
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
status=0
first=""
for f in "$pcap" "$ng" "$ng.gz"; do
  out="$tmp/$(basename "$f").jsonl"
  timeout 3600 ./analyze "$f" --format jsonl --quiet > "$out" || { echo "analyze $f failed (exit $?)" >&2; status=1; }
  printf '%s  %s (%s bytes)\n' "$(md5sum < "$f" | cut -d' ' -f1)" "$f" "$(stat -c %s "$f")"
  printf '%s  jsonl of %s (%s lines)\n' "$(md5sum < "$out" | cut -d' ' -f1)" "$f" "$(wc -l < "$out")"
  if [ -z "$first" ]; then
    first="$out"
  elif ! cmp -s "$first" "$out"; then
    echo "DIFFERENT: jsonl of $f differs from that of $pcap" >&2
    status=1
  fi
done
[ "$status" = 0 ] && echo "identical jsonl from pcap, pcapng and pcapng.gz"
exit "$status"
