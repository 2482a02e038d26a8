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
     rfc1337-on simultaneous-open out-of-order-fin fin-data-crossing
     ooo-fin reordered-data data-fin-crossing duplicates keepalive keepalive-dead-peer zero-window fin-with-data vlan
     two-points two-points-fin unread-lone-rst)
stories=("${@:-${all[@]}}")
pid=
fwd=

# simultaneous-close: client in namespace fw-a, server in fw-b, each joined by a veth pair to fw-m,
# where delay_forwarder.py carries frames between them 300 ms late (no tc netem on these kernels).
# Offloads are off so every frame on the wire is a real, checksummed, MTU-sized segment.
# The wire stories of issue 17 use namespaces fws-a, fws-b, fws-m (interfaces swa0, swma, swb0, swmb)
# and give the forwarder rules that drop, duplicate, delay or hold chosen frames (its docstring has the rules).
wns=fw; fwd2=; vlan_mid=
wa=fwa0; wma=fwma; wb=fwb0; wmb=fwmb
wire_names() {   # wire_names PREFIX: fw (the older stories) or fws (issue 17's)
  wns=$1
  if [ "$1" = fw ]; then wa=fwa0; wma=fwma; wb=fwb0; wmb=fwmb; else wa=swa0; wma=swma; wb=swb0; wmb=swmb; fi
}
wire_up() {   # wire_up DELAY_SECONDS LIFETIME_SECONDS [forwarder arguments: drop-first-fin, --rule, --vlan, --cut-file]
  wire_down
  for ns in $wns-a $wns-b $wns-m; do ip netns add "$ns"; ip -n "$ns" link set lo up; done
  ip link add $wa netns $wns-a type veth peer name $wma netns $wns-m
  ip link add $wb netns $wns-b type veth peer name $wmb netns $wns-m
  ip -n $wns-a addr add 10.9.0.1/24 dev $wa
  ip -n $wns-b addr add 10.9.0.2/24 dev $wb
  for pair in $wns-a:$wa $wns-b:$wb $wns-m:$wma $wns-m:$wmb; do
    ip netns exec "${pair%%:*}" ethtool -K "${pair#*:}" tx off rx off tso off gso off gro off >/dev/null 2>&1 || true
    ip netns exec "${pair%%:*}" sysctl -qw "net.ipv6.conf.${pair#*:}.disable_ipv6=1"
    ip -n "${pair%%:*}" link set "${pair#*:}" up
  done
  if [ -n "$vlan_mid" ]; then
    # A tagged link in the middle (these kernels have no 802.1Q devices, so neither host can hold the tag):
    # the story's forwarder carries frames from the client's side onto swt0 with VLAN $vlan_mid, a second one
    # takes them off swt1 towards the server; tcpdump on swt0 sees every frame tagged, both ways.
    ip -n $wns-m link add swt0 type veth peer name swt1
    for i in swt0 swt1; do
      ip netns exec $wns-m ethtool -K $i tx off rx off tso off gso off gro off rxvlan off txvlan off >/dev/null 2>&1 || true
      ip netns exec $wns-m sysctl -qw "net.ipv6.conf.$i.disable_ipv6=1"
      ip -n $wns-m link set $i up
    done
    ip netns exec $wns-m timeout 250 chrt -f 20 python3 "$here/scenarios/delay_forwarder.py" $wma swt0 "$@" --vlan swt0=$vlan_mid >"$here/.forwarder.log" 2>&1 &
    fwd=$!
    ip netns exec $wns-m timeout 250 chrt -f 20 python3 "$here/scenarios/delay_forwarder.py" swt1 $wmb 0 "$2" --vlan swt1=$vlan_mid >"$here/.forwarder2.log" 2>&1 &
    fwd2=$!
  else
    ip netns exec $wns-m timeout 250 chrt -f 20 python3 "$here/scenarios/${forwarder:-delay_forwarder.py}" $wma $wmb "$@" >"$here/.forwarder.log" 2>&1 &
    fwd=$!
  fi
  sleep 0.5
  ip netns exec $wns-a ping -c 3 -w 8 10.9.0.2 >/dev/null || { echo "$story: no path through the forwarder: $(cat "$here/.forwarder.log")" >&2; exit 1; }
}
wire_down() {
  for p in $fwd $fwd2; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  fwd=; fwd2=
  for ns in $wns-a $wns-b $wns-m; do ip netns del "$ns" 2>/dev/null || true; done
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
cut="$here/.wire-cut"
trap '[ -n "$pid" ] && kill -INT "$pid" 2>/dev/null || true; [ -n "$pid2" ] && kill -INT "$pid2" 2>/dev/null || true; wire_down; svc_down; ip netns del fw-ch 2>/dev/null || true; ip netns del fws-lo 2>/dev/null || true; rm -f "$cut"' EXIT
pid2=
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
  if [[ $story == keepalive || $story == zero-window ]]; then
    # Loopback of a namespace of its own: the nstat counters (keepalive and window probes) are the story's.
    ip netns del fws-lo 2>/dev/null || true
    ip netns add fws-lo
    ip -n fws-lo link set lo up
    netns=(ip netns exec fws-lo); javans=(ip netns exec fws-lo)
  fi
  # Wire stories: which forwarder, which faults, and where tcpdump listens (the client's side of the
  # forwarder sees what the client sent before the wire touched it, the server's side what arrived).
  wired=; side=client; second=; vlan_mid=; forwarder=
  rm -f "$cut"
  case $story in
    simultaneous-close|simultaneous-open|fin-data-crossing) wire_names fw; wired=(0.3 110) ;;
    fin-retransmit)     wire_names fw; wired=(0.05 110 drop-first-fin) ;;
    # The client's second data segment is held 150 ms: its FIN overtakes it. The client offers no SACK
    # and sends no tail loss probe, so nothing is resent meanwhile: with SACK, RACK marks the held
    # segment lost once the FIN is SACKed and resends it within an RTT (seen: TcpRetransSegs +1); one
    # plain duplicate ACK starts no recovery, and the RTO is 200 ms at least.
    out-of-order-fin)   wire_names fw; forwarder=reorder_forwarder.py; wired=(0.02 110 2 0.15); side=server ;;
    ooo-fin)            wire_names fws; wired=(0.5 240 --rule dir=a2b,flags=D,nth=2,action=delay=0.2); side=server ;;
    data-fin-crossing)  wire_names fws; wired=(0.3 240) ;;
    reordered-data)     wire_names fws; wired=(0.02 240 --rule dir=a2b,flags=D,nth=2,action=hold); side=server ;;
    duplicates)         wire_names fws; side=server
                        wired=(0.02 240 --rule dir=a2b,flags=S,nth=1,action=dup --rule dir=a2b,flags=D,nth=1,action=dup
                               --rule dir=a2b,flags=F,nth=1,action=dup) ;;
    keepalive-dead-peer) wire_names fws; wired=(0.01 240 --cut-file "$cut") ;;
    fin-with-data)      wire_names fws; wired=(0.05 240) ;;
    vlan)               wire_names fws; wired=(0.01 240); vlan_mid=100; filter="vlan and tcp port 10355" ;;
    two-points-fin)     wire_names fws; second=server
                        wired=(0.05 240 --rule dir=a2b,flags=F,nth=1,action=drop --rule dir=b2a,flags=F,nth=1,action=drop) ;;
    two-points)         wire_names fws; second=server
                        wired=(0.05 240 --rule dir=a2b,flags=D,nth=2,action=drop --rule dir=b2a,flags=D,nth=1,action=drop) ;;
  esac
  if [ -n "$wired" ]; then
    wire_up "${wired[@]}"
    if [[ $story == out-of-order-fin ]]; then
      ip netns exec fw-a sysctl -qw net.ipv4.tcp_sack=0 net.ipv4.tcp_early_retrans=0
    fi
    host=10.9.0.2; netns=(ip netns exec $wns-m)
    iface=$wma; [ $side = server ] && iface=$wmb; [ -n "$vlan_mid" ] && iface=swt0
    if [ $wns = fws ]; then
      jopts="$jopts -Dwire.ns=$wns -Dwire.side=$side -Dwire.cut=$cut -Dforwarder.log=$here/.forwarder.log"
    fi
  fi
  log=$(mktemp)
  out="$here/$story.pcap"; [ -n "$second" ] && out="$here/$story-client.pcap"
  "${netns[@]}" tcpdump -i "$iface" -s 262144 -B 65536 --immediate-mode -U -n -w "$out" "$filter" >/dev/null 2>"$log" &
  pid=$!
  for _ in $(seq 1 50); do grep -q "listening on" "$log" && break; sleep 0.1; done
  grep -q "listening on" "$log" || { echo "tcpdump did not start: $(cat "$log")" >&2; kill "$pid" || true; exit 1; }
  if [ -n "$second" ]; then
    # The same connection seen from the server's side of the forwarder too.
    log2=$(mktemp)
    "${netns[@]}" tcpdump -i "$wmb" -s 262144 -B 65536 --immediate-mode -U -n -w "$here/$story-server.pcap" "$filter" >/dev/null 2>"$log2" &
    pid2=$!
    for _ in $(seq 1 50); do grep -q "listening on" "$log2" && break; sleep 0.1; done
    grep -q "listening on" "$log2" || { echo "tcpdump did not start: $(cat "$log2")" >&2; exit 1; }
  fi
  (cd "$here/scenarios" && timeout 230 "${javans[@]}" java $jopts -Dscenarios.src="$here/scenarios/Scenarios.java" Scenarios.java \
      "$story" "$here" "$host")
  sleep 1
  kill -INT "$pid"; wait "$pid" 2>/dev/null || true
  pid=
  if [ -n "$second" ]; then
    kill -INT "$pid2"; wait "$pid2" 2>/dev/null || true
    pid2=
    grep -E "dropped by kernel" "$log2" | sed "s/^/  $story (server side): /" >&2 || true
    rm -f "$log2"
  fi
  [ -n "$wired" ] && wire_down
  [[ $story == keepalive || $story == zero-window ]] && ip netns del fws-lo
  [[ $story == services ]] && svc_down
  [[ " ${loopback_ns[*]} " == *" $story "* ]] && ip netns del fw-ch
  echo "$story: $(tcpdump -r "$out" 2>/dev/null | wc -l) packets" >&2
  grep -E "dropped by kernel" "$log" | sed "s/^/  $story: /" >&2 || true
  rm -f "$log"
done
