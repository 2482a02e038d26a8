#!/usr/bin/env python3
"""Forges one RST into a live IPv4 connection on loopback, inside the receiver's window but off its
RCV.NXT by OFFSET bytes, to make a real kernel answer with an RFC 5961 challenge ACK.

It reads the connection's numbers from the wire (AF_PACKET on lo): the first segment from the server
to the client carries the server's SND.NXT (seq + length) and the server's RCV.NXT (its ack). The RST
goes from the client's address to the server with seq = server's RCV.NXT + OFFSET, no ACK flag. Then
it watches for the server's answer (a pure ACK to the client: the challenge ACK) and prints one JSON
line with what it sent and saw.

Usage: rst_injector.py CLIENT_PORT SERVER_PORT OFFSET LIFETIME_SECONDS   (root; IPv4 127.0.0.1 only;
       one RST at most, bounded by LIFETIME).
"""
import json
import select
import socket
import struct
import sys
import time

from lo_frames import checksum, next_segment, send_raw, sniffer, tcp_checksum

ADDR = "127.0.0.1"


def forged_rst(sport, dport, seq):
    src = socket.inet_aton(ADDR)
    tcp = struct.pack("!HHIIBBHHH", sport, dport, seq, 0, 5 << 4, 0x04, 0, 0, 0)
    tcp = tcp[:16] + struct.pack("!H", tcp_checksum(src, src, tcp)) + tcp[18:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), 0x1717, 0, 64, 6, 0, src, src)
    ip = ip[:10] + struct.pack("!H", checksum(ip)) + ip[12:]
    return ip + tcp


def main():
    client_port, server_port, offset, lifetime = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
    sniff = sniffer()
    deadline = time.monotonic() + lifetime
    report = {"sent": None, "challenge_ack": None}
    rst_seq = None
    for _ in range(100000):
        left = deadline - time.monotonic()
        if left <= 0:
            break
        ready, _, _ = select.select([sniff], [], [], left)
        if not ready:
            break
        t = next_segment(sniff)
        if t is None or t.sport != server_port or t.dport != client_port or not t.flags & 0x10:
            continue
        if rst_seq is None:
            rst_seq = (t.ack + offset) & 0xFFFFFFFF
            send_raw(forged_rst(client_port, server_port, rst_seq), ADDR)
            report["sent"] = {"seq": rst_seq, "server_rcv_nxt": t.ack, "offset": offset, "server_window": t.window,
                              "flags": "RST"}
        elif t.length == 0 and not t.flags & 0x07:
            # The server's pure ACK after the RST, acknowledging what it had (not the RST's number).
            report["challenge_ack"] = {"seq": t.seq, "ack": t.ack}
            break
    sniff.close()
    print(json.dumps(report))


if __name__ == "__main__":
    main()
