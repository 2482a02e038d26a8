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

ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4  # loopback shows every frame twice: once leaving, once arriving
ADDR = "127.0.0.1"


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def tcp_of(frame):
    """(src port, dst port, seq, ack, flags, payload length, window) of an IPv4 TCP frame on lo, or None."""
    if len(frame) < 34 or frame[12:14] != b"\x08\x00" or frame[23] != 6:
        return None
    ihl = (frame[14] & 0x0F) * 4
    total = struct.unpack("!H", frame[16:18])[0]
    t = 14 + ihl
    if len(frame) < t + 20:
        return None
    sport, dport, seq, ack, off, flags, win = struct.unpack("!HHIIBBH", frame[t:t + 16])
    hlen = (off >> 4) * 4
    return sport, dport, seq, ack, flags, total - ihl - hlen, win


def forged_rst(sport, dport, seq):
    src = socket.inet_aton(ADDR)
    tcp = struct.pack("!HHIIBBHHH", sport, dport, seq, 0, 5 << 4, 0x04, 0, 0, 0)
    pseudo = src + src + struct.pack("!BBH", 0, 6, len(tcp))
    tcp = tcp[:16] + struct.pack("!H", checksum(pseudo + tcp)) + tcp[18:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), 0x1717, 0, 64, 6, 0, src, src)
    ip = ip[:10] + struct.pack("!H", checksum(ip)) + ip[12:]
    return ip + tcp


def main():
    client_port, server_port, offset, lifetime = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
    sniff = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    sniff.bind(("lo", 0))
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
        frame, addr = sniff.recvfrom(65535)
        if addr[2] == PACKET_OUTGOING:
            continue
        t = tcp_of(frame)
        if t is None or t[0] != server_port or t[1] != client_port or not t[4] & 0x10:
            continue
        sport, dport, seq, ack, flags, length, win = t
        if rst_seq is None:
            rst_seq = (ack + offset) & 0xFFFFFFFF
            raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
            raw.sendto(forged_rst(client_port, server_port, rst_seq), (ADDR, 0))
            raw.close()
            report["sent"] = {"seq": rst_seq, "server_rcv_nxt": ack, "offset": offset, "server_window": win,
                              "flags": "RST"}
        elif length == 0 and not flags & 0x07:
            # The server's pure ACK after the RST, acknowledging what it had (not the RST's number).
            report["challenge_ack"] = {"seq": seq, "ack": ack}
            break
    sniff.close()
    print(json.dumps(report))


if __name__ == "__main__":
    main()
