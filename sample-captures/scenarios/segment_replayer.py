#!/usr/bin/env python3
"""Replays an old segment into a connection on loopback: an "old duplicate" of RFC 1337.

It watches lo (AF_PACKET) and keeps the first segment with payload that the server sent to the
client, exactly as it was (IPv4 header, TCP header, payload; only the TCP checksum is computed,
since loopback captures carry an offloaded, not yet computed one). Each line "replay" on stdin
sends that packet again from a raw socket and, 300 ms later, prints one JSON line: what was sent
and every segment of the connection seen since (the TIME_WAIT side's answer, the peer's RST).
"quit" or end of input ends it; so does LIFETIME.

Usage: segment_replayer.py CLIENT_PORT SERVER_PORT LIFETIME_SECONDS   (root; IPv4 127.0.0.1)
"""
import json
import select
import socket
import struct
import sys
import time

ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4  # loopback shows every frame twice: once leaving, once arriving
FLAG_NAMES = "FSRPAUEC"


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def parse(frame):
    """(ip packet bytes, sport, dport, seq, ack, flags, payload length, ip id) of an IPv4 TCP frame, or None."""
    if len(frame) < 34 or frame[12:14] != b"\x08\x00" or frame[23] != 6:
        return None
    ip = frame[14:]
    ihl = (ip[0] & 0x0F) * 4
    total = struct.unpack("!H", ip[2:4])[0]
    ip_id = struct.unpack("!H", ip[4:6])[0]
    if len(ip) < ihl + 20 or total > len(ip):
        return None
    sport, dport, seq, ack, off, flags = struct.unpack("!HHIIBB", ip[ihl:ihl + 14])
    hlen = (off >> 4) * 4
    return ip[:total], sport, dport, seq, ack, flags, total - ihl - hlen, ip_id


def flag_text(flags):
    return "".join(n for i, n in enumerate(FLAG_NAMES) if flags & (1 << i))


def with_tcp_checksum(packet):
    ihl = (packet[0] & 0x0F) * 4
    tcp = bytearray(packet[ihl:])
    tcp[16:18] = b"\0\0"
    pseudo = packet[12:16] + packet[16:20] + struct.pack("!BBH", 0, 6, len(tcp))
    tcp[16:18] = struct.pack("!H", checksum(pseudo + bytes(tcp)))
    return packet[:ihl] + bytes(tcp)


def main():
    client_port, server_port, lifetime = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
    sniff = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    sniff.bind(("lo", 0))
    deadline = time.monotonic() + lifetime
    saved = None
    report = None
    report_due = None
    print("ready", flush=True)
    for _ in range(1000000):
        now = time.monotonic()
        if now >= deadline:
            break
        if report is not None and now >= report_due:
            print(json.dumps(report), flush=True)
            report = None
        wait = min(deadline, report_due if report is not None else deadline) - now
        ready, _, _ = select.select([sniff, sys.stdin], [], [], max(0.0, wait))
        if sys.stdin in ready:
            line = sys.stdin.readline()
            if not line or line.strip() == "quit":
                break
            if line.strip() == "replay":
                if saved is None:
                    print(json.dumps({"error": "no server segment with payload seen"}), flush=True)
                    continue
                raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
                raw.sendto(with_tcp_checksum(saved[0]), ("127.0.0.1", 0))
                raw.close()
                report = {"replayed": {"seq": saved[3], "ack": saved[4], "flags": flag_text(saved[5]),
                                       "length": saved[6], "ip_id": saved[7]},
                          "at": time.time(), "then": []}
                report_due = time.monotonic() + 0.3
        if sniff in ready:
            frame, addr = sniff.recvfrom(65535)
            if addr[2] == PACKET_OUTGOING:
                continue
            t = parse(frame)
            if t is None or {t[1], t[2]} != {client_port, server_port}:
                continue
            if saved is None and t[1] == server_port and t[6] > 0:
                saved = t
            elif report is not None and not (t[0] == with_tcp_checksum(saved[0]) or t[0] == saved[0]):
                report["then"].append({"from": "server" if t[1] == server_port else "client", "seq": t[3],
                                       "ack": t[4], "flags": flag_text(t[5]), "length": t[6]})
    if report is not None:
        print(json.dumps(report), flush=True)
    sniff.close()


if __name__ == "__main__":
    main()
