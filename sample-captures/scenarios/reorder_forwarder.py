#!/usr/bin/env python3
"""A wire that reorders: forwards every Ethernet frame between two interfaces after DELAY seconds,
except the Nth TCP segment with payload entering from IF_A, which it holds HOLD seconds longer, so
segments sent after it (the FIN) overtake it. Nothing is dropped or sent twice.

Usage: reorder_forwarder.py IF_A IF_B DELAY_SECONDS LIFETIME_SECONDS N HOLD_SECONDS   (root; bounded by LIFETIME)
"""
import heapq
import select
import socket
import sys
import time

ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4  # frames we sent ourselves show up on our own socket too


def tcp_payload_length(frame):
    """Payload length of an IPv4 TCP frame over Ethernet, or -1."""
    if len(frame) < 34 or frame[12:14] != b"\x08\x00" or frame[23] != 6:
        return -1
    ihl = (frame[14] & 0x0F) * 4
    total = (frame[16] << 8) | frame[17]
    off_at = 14 + ihl + 12
    if len(frame) <= off_at:
        return -1
    return total - ihl - (frame[off_at] >> 4) * 4


def main():
    if_a, if_b, delay, lifetime = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
    hold_nth, hold = int(sys.argv[5]), float(sys.argv[6])
    socks = {}
    for name in (if_a, if_b):
        s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
        s.bind((name, 0))
        socks[name] = s
    other = {if_a: socks[if_b], if_b: socks[if_a]}
    by_fd = {s.fileno(): name for name, s in socks.items()}
    due = []  # (time to send, sequence, socket, frame)
    seq = 0
    data_from_a = 0
    end = time.monotonic() + lifetime
    print("forwarding", if_a, "<->", if_b, "delay", delay, "holding data segment", hold_nth, "for", hold, flush=True)
    while time.monotonic() < end:
        timeout = max(0.0, min(end, due[0][0] if due else end) - time.monotonic())
        ready, _, _ = select.select(list(socks.values()), [], [], timeout)
        for s in ready:
            frame, addr = s.recvfrom(65535)
            if addr[2] == PACKET_OUTGOING:
                continue
            extra = 0.0
            if by_fd[s.fileno()] == if_a and tcp_payload_length(frame) > 0:
                data_from_a += 1
                if data_from_a == hold_nth:
                    extra = hold
                    print("holding data segment", hold_nth, "from", if_a, "for", hold, flush=True)
            heapq.heappush(due, (time.monotonic() + delay + extra, seq, other[by_fd[s.fileno()]], frame))
            seq += 1
        now = time.monotonic()
        while due and due[0][0] <= now:
            _, _, out, frame = heapq.heappop(due)
            out.send(frame)


if __name__ == "__main__":
    main()
