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
import struct
import sys
import time

from lo_frames import next_segment, send_raw, sniffer, tcp_checksum

FLAG_NAMES = "FSRPAUEC"


def flag_text(flags):
    return "".join(n for i, n in enumerate(FLAG_NAMES) if flags & (1 << i))


def with_tcp_checksum(packet):
    ihl = (packet[0] & 0x0F) * 4
    tcp = bytearray(packet[ihl:])
    tcp[16:18] = b"\0\0"
    tcp[16:18] = struct.pack("!H", tcp_checksum(packet[12:16], packet[16:20], bytes(tcp)))
    return packet[:ihl] + bytes(tcp)


def main():
    client_port, server_port, lifetime = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
    sniff = sniffer()
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
                send_raw(with_tcp_checksum(saved.packet), "127.0.0.1")
                report = {"replayed": {"seq": saved.seq, "ack": saved.ack, "flags": flag_text(saved.flags),
                                       "length": saved.length, "ip_id": saved.ip_id},
                          "at": time.time(), "then": []}
                report_due = time.monotonic() + 0.3
        if sniff in ready:
            t = next_segment(sniff)
            if t is None or {t.sport, t.dport} != {client_port, server_port}:
                continue
            if saved is None and t.sport == server_port and t.length > 0:
                saved = t
            elif report is not None and not (t.packet == with_tcp_checksum(saved.packet) or t.packet == saved.packet):
                report["then"].append({"from": "server" if t.sport == server_port else "client", "seq": t.seq,
                                       "ack": t.ack, "flags": flag_text(t.flags), "length": t.length})
    if report is not None:
        print(json.dumps(report), flush=True)
    sniff.close()


if __name__ == "__main__":
    main()
