#!/usr/bin/env bash
# Regenerates the sample captures: for each story, tcpdump captures the story's port on loopback
# while scenarios/Scenarios.java plays it with real sockets and writes <story>.truth.json (what the
# applications and the kernel reported). Root needed (tcpdump). Usage: make-captures.sh [story...]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if ! command -v tcpdump >/dev/null || ! command -v ss >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tcpdump iproute2 >/dev/null
fi
all=(close-normal return-from-main sigkill write-after-close unread-data-rst linger-zero half-close
     server-closes-first refused reuse-time-wait ipv6-close-normal ipv6-write-after-close busy small-buffers)
stories=("${@:-${all[@]}}")
pid=
trap '[ -n "$pid" ] && kill -INT "$pid" 2>/dev/null || true' EXIT
for story in "${stories[@]}"; do
  host=127.0.0.1
  [[ $story == ipv6-* ]] && host=::1
  iface=lo; jopts=-Djava.net.preferIPv4Stack=true
  [[ $story == ipv6-* ]] && jopts=
  [[ $story == busy ]] && iface=any   # Linux cooked v2 (SLL2) link type, as `tcpdump -i any` writes it
  log=$(mktemp)
  tcpdump -i "$iface" -s 262144 -B 65536 --immediate-mode -U -n -w "$here/$story.pcap" "tcp port 10355" >/dev/null 2>"$log" &
  pid=$!
  for _ in $(seq 1 50); do grep -q "listening on" "$log" && break; sleep 0.1; done
  grep -q "listening on" "$log" || { echo "tcpdump did not start: $(cat "$log")" >&2; kill "$pid" || true; exit 1; }
  (cd "$here/scenarios" && timeout 120 java $jopts -Dscenarios.src="$here/scenarios/Scenarios.java" Scenarios.java \
      "$story" "$here" "$host")
  sleep 1
  kill -INT "$pid"; wait "$pid" 2>/dev/null || true
  pid=
  echo "$story: $(tcpdump -r "$here/$story.pcap" 2>/dev/null | wc -l) packets" >&2
  grep -E "dropped by kernel" "$log" | sed "s/^/  $story: /" >&2 || true
  rm -f "$log"
done
