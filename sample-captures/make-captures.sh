#!/usr/bin/env bash
# Regenerates the sample captures: for each story, tcpdump captures the story's port on loopback
# while scenarios/Scenarios.java plays it with real sockets and writes <story>.truth.json (what the
# applications and the kernel reported). Root needed (tcpdump, network namespaces).
# Usage: make-captures.sh [story...]       (all stories: about 2 minutes)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# tcpdump captures; ss and nstat (iproute2) read the kernel's view; ethtool, ping, python3 and chrt
# (util-linux) build the two-namespace wire of simultaneous-close and fin-retransmit.
need=()
for pair in tcpdump:tcpdump ss:iproute2 nstat:iproute2 ip:iproute2 ethtool:ethtool ping:iputils-ping \
            python3:python3 chrt:util-linux nft:nftables; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || need+=("${pair#*:}")
done
if [ ${#need[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null && apt-get install -y -qq "${need[@]}" >/dev/null
fi
all=(close-normal return-from-main sigkill write-after-close unread-data-rst linger-zero half-close
     server-closes-first refused reuse-time-wait ipv6-close-normal ipv6-write-after-close busy small-buffers
     simultaneous-close fin-retransmit services challenge-ack vanished-peer syn-cookies fast-open rfc1337-off
     rfc1337-on simultaneous-open out-of-order-fin fin-data-crossing unread-lone-rst)
stories=("${@:-${all[@]}}")
pid=
fwd=

# simultaneous-close: client in namespace fw-a, server in fw-b, each joined by a veth pair to fw-m,
# where delay_forwarder.py carries frames between them 300 ms late (no tc netem on these kernels).
# Offloads are off so every frame on the wire is a real, checksummed, MTU-sized segment.
wire_up() {   # wire_up DELAY_SECONDS LIFETIME_SECONDS [drop-first-fin]
  wire_down
  for ns in fw-a fw-b fw-m; do ip netns add "$ns"; ip -n "$ns" link set lo up; done
  ip link add fwa0 netns fw-a type veth peer name fwma netns fw-m
  ip link add fwb0 netns fw-b type veth peer name fwmb netns fw-m
  ip -n fw-a addr add 10.9.0.1/24 dev fwa0
  ip -n fw-b addr add 10.9.0.2/24 dev fwb0
  for pair in fw-a:fwa0 fw-b:fwb0 fw-m:fwma fw-m:fwmb; do
    ip netns exec "${pair%%:*}" ethtool -K "${pair#*:}" tx off rx off tso off gso off gro off >/dev/null 2>&1 || true
    ip netns exec "${pair%%:*}" sysctl -qw "net.ipv6.conf.${pair#*:}.disable_ipv6=1"
    ip -n "${pair%%:*}" link set "${pair#*:}" up
  done
  ip netns exec fw-m timeout 120 chrt -f 20 python3 "$here/scenarios/${forwarder:-delay_forwarder.py}" fwma fwmb "$@" >"$here/.forwarder.log" 2>&1 &
  fwd=$!
  sleep 0.5
  ip netns exec fw-a ping -c 3 -w 8 10.9.0.2 >/dev/null || { echo "simultaneous-close: no path through the forwarder: $(cat "$here/.forwarder.log")" >&2; exit 1; }
}
wire_down() {
  [ -n "$fwd" ] && kill "$fwd" 2>/dev/null || true
  fwd=
  for ns in fw-a fw-b fw-m; do ip netns del "$ns" 2>/dev/null || true; done
}
# services: nine services on the loopback of namespace fw-svc, where the clients' ephemeral range is
# 40000-40499, TIME_WAIT ports are not reused, and an nft rule drops SYNs to port 10408 (filtered).
# Nothing of the host's own settings changes.
svc_up() {
  svc_down
  ip netns add fw-svc
  ip -n fw-svc link set lo up
  ip netns exec fw-svc sysctl -qw net.ipv4.ip_local_port_range="40000 40499" net.ipv4.tcp_tw_reuse=0
  ip netns exec fw-svc nft -f - <<'NFT'
table inet finwait_story {
  chain input {
    type filter hook input priority 0; policy accept;
    tcp dport 10408 tcp flags & (syn | ack) == syn drop
  }
}
NFT
}
svc_down() {
  ip netns del fw-svc 2>/dev/null || true
}
trap '[ -n "$pid" ] && kill -INT "$pid" 2>/dev/null || true; wire_down; svc_down; ip netns del fw-ch 2>/dev/null || true' EXIT
for story in "${stories[@]}"; do
  host=127.0.0.1
  [[ $story == ipv6-* ]] && host=::1
  iface=lo; jopts=-Djava.net.preferIPv4Stack=true
  [[ $story == ipv6-* ]] && jopts=
  [[ $story == busy ]] && iface=any   # Linux cooked v2 (SLL2) link type, as `tcpdump -i any` writes it
  netns=()
  javans=()
  filter="tcp port 10355"
  if [[ $story == services ]]; then
    svc_up
    netns=(ip netns exec fw-svc); javans=(ip netns exec fw-svc); filter="tcp portrange 10401-10409"
  fi
  loopback_ns=(challenge-ack vanished-peer syn-cookies fast-open rfc1337-off rfc1337-on unread-lone-rst)
  if [[ " ${loopback_ns[*]} " == *" $story "* ]]; then
    # Its own namespace: the machine-wide nstat counters and loopback stay the story's alone.
    ip netns del fw-ch 2>/dev/null || true
    ip netns add fw-ch
    ip -n fw-ch link set lo up
    netns=(ip netns exec fw-ch); javans=(ip netns exec fw-ch)
    # The story's setting, in its own namespace only.
    case $story in
      syn-cookies) ip netns exec fw-ch sysctl -qw net.ipv4.tcp_syncookies=2 ;;
      fast-open) ip netns exec fw-ch sysctl -qw net.ipv4.tcp_fastopen=3 ;;
      rfc1337-off) ip netns exec fw-ch sysctl -qw net.ipv4.tcp_rfc1337=0 ;;
      rfc1337-on) ip netns exec fw-ch sysctl -qw net.ipv4.tcp_rfc1337=1 ;;
    esac
  fi
  if [[ $story == vanished-peer ]]; then
    # The server's RSTs are lost until the story flushes this chain (after the server's abort).
    ip netns exec fw-ch nft -f - <<'NFT'
table inet finwait_story {
  chain output {
    type filter hook output priority 0; policy accept;
    tcp sport 10355 tcp flags & rst == rst drop
  }
}
NFT
  fi
  wire_stories=(simultaneous-close fin-retransmit simultaneous-open out-of-order-fin fin-data-crossing)
  if [[ " ${wire_stories[*]} " == *" $story "* ]]; then
    forwarder=
    case $story in
      simultaneous-close|simultaneous-open|fin-data-crossing) wire_up 0.3 110 ;;
      fin-retransmit) wire_up 0.05 110 drop-first-fin ;;
      # The client's second data segment is held 150 ms: its FIN overtakes it. The client offers no SACK
      # and sends no tail loss probe, so nothing is resent meanwhile: with SACK, RACK marks the held
      # segment lost once the FIN is SACKed and resends it within an RTT (seen: TcpRetransSegs +1); one
      # plain duplicate ACK starts no recovery, and the RTO is 200 ms at least.
      out-of-order-fin) forwarder=reorder_forwarder.py wire_up 0.02 110 2 0.15
                        ip netns exec fw-a sysctl -qw net.ipv4.tcp_sack=0 net.ipv4.tcp_early_retrans=0 ;;
    esac
    host=10.9.0.2; iface=fwma; netns=(ip netns exec fw-m)   # captured on the client's side of the wire
    [[ $story == out-of-order-fin ]] && iface=fwmb          # ... or the server's, after the reordering
  fi
  log=$(mktemp)
  "${netns[@]}" tcpdump -i "$iface" -s 262144 -B 65536 --immediate-mode -U -n -w "$here/$story.pcap" "$filter" >/dev/null 2>"$log" &
  pid=$!
  for _ in $(seq 1 50); do grep -q "listening on" "$log" && break; sleep 0.1; done
  grep -q "listening on" "$log" || { echo "tcpdump did not start: $(cat "$log")" >&2; kill "$pid" || true; exit 1; }
  (cd "$here/scenarios" && timeout 120 "${javans[@]}" java $jopts -Dscenarios.src="$here/scenarios/Scenarios.java" Scenarios.java \
      "$story" "$here" "$host")
  sleep 1
  kill -INT "$pid"; wait "$pid" 2>/dev/null || true
  pid=
  [[ " ${wire_stories[*]} " == *" $story "* ]] && wire_down
  [[ $story == services ]] && svc_down
  [[ " ${loopback_ns[*]} " == *" $story "* ]] && ip netns del fw-ch
  echo "$story: $(tcpdump -r "$here/$story.pcap" 2>/dev/null | wc -l) packets" >&2
  grep -E "dropped by kernel" "$log" | sed "s/^/  $story: /" >&2 || true
  rm -f "$log"
done
