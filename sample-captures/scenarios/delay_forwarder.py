#!/usr/bin/env python3
"""A wire with latency: forwards every Ethernet frame between two interfaces after a fixed delay.

Loopback delivers a FIN before the sending call returns, so two FINs can never cross there. Between
two network namespaces joined through this forwarder (tc netem is not available on these kernels),
each direction takes DELAY seconds, long enough for both sides to close before either FIN arrives.

Usage: delay_forwarder.py IF_A IF_B DELAY_SECONDS LIFETIME_SECONDS [drop-first-fin]
       (root; bounded by LIFETIME). drop-first-fin loses the first TCP FIN that enters from IF_A,
       to make its sender retransmit it.
"""
import heapq
import select
import socket
import sys
import time

ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4  # frames we sent ourselves show up on our own socket too


def is_tcp_fin(frame):
    """IPv4 over Ethernet, TCP, FIN flag set."""
    if len(frame) < 34 or frame[12:14] != b"\x08\x00" or frame[23] != 6:
        return False
    flags_at = 14 + (frame[14] & 0x0F) * 4 + 13
    return len(frame) > flags_at and frame[flags_at] & 0x01 != 0


def main():
    if_a, if_b, delay, lifetime = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
    drop_first_fin = len(sys.argv) > 5 and sys.argv[5] == "drop-first-fin"
    socks = {}
    for name in (if_a, if_b):
        s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
        s.bind((name, 0))
        socks[name] = s
    other = {if_a: socks[if_b], if_b: socks[if_a]}
    by_fd = {s.fileno(): name for name, s in socks.items()}
    due = []  # (time to send, sequence, socket, frame): a heap keeps each direction in order
    seq = 0
    end = time.monotonic() + lifetime
    print("forwarding", if_a, "<->", if_b, "delay", delay, flush=True)
    while time.monotonic() < end:
        timeout = max(0.0, min(end, due[0][0] if due else end) - time.monotonic())
        ready, _, _ = select.select(list(socks.values()), [], [], timeout)
        for s in ready:
            frame, addr = s.recvfrom(65535)
            if addr[2] == PACKET_OUTGOING:
                continue
            if drop_first_fin and by_fd[s.fileno()] == if_a and is_tcp_fin(frame):
                drop_first_fin = False
                print("dropped the first FIN from", if_a, flush=True)
                continue
            heapq.heappush(due, (time.monotonic() + delay, seq, other[by_fd[s.fileno()]], frame))
            seq += 1
        now = time.monotonic()
        while due and due[0][0] <= now:
            _, _, out, frame = heapq.heappop(due)
            out.send(frame)


if __name__ == "__main__":
    main()
