#!/usr/bin/env python3
"""A wire with latency: forwards every Ethernet frame between two interfaces after a fixed delay.

Loopback delivers a FIN before the sending call returns, so two FINs can never cross there. Between
two network namespaces joined through this forwarder (tc netem is not available on these kernels),
each direction takes DELAY seconds, long enough for both sides to close before either FIN arrives.

Usage: delay_forwarder.py IF_A IF_B DELAY_SECONDS LIFETIME_SECONDS    (root; bounded by LIFETIME)
"""
import heapq
import select
import socket
import sys
import time

ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4  # frames we sent ourselves show up on our own socket too


def main():
    if_a, if_b, delay, lifetime = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
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
            heapq.heappush(due, (time.monotonic() + delay, seq, other[by_fd[s.fileno()]], frame))
            seq += 1
        now = time.monotonic()
        while due and due[0][0] <= now:
            _, _, out, frame = heapq.heappop(due)
            out.send(frame)


if __name__ == "__main__":
    main()
