"""What rst_injector.py and segment_replayer.py share: a sniffer on lo, IPv4 TCP segments read off its
frames, the Internet checksum, and a raw socket to send forged packets. Both import it from their own
folder (python3 puts a script's folder first on the module path).
"""
import socket
import struct
from typing import NamedTuple

ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4  # loopback shows every frame twice: once leaving, once arriving


class Segment(NamedTuple):
    packet: bytes  # the whole IPv4 packet: IP header, TCP header, payload
    sport: int
    dport: int
    seq: int
    ack: int
    flags: int
    length: int  # payload bytes
    window: int
    ip_id: int


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def tcp_checksum(src, dst, tcp):
    """The checksum of a TCP header and payload whose checksum field is zero, from IPv4 addresses src and dst."""
    return checksum(src + dst + struct.pack("!BBH", 0, 6, len(tcp)) + tcp)


def parse(frame):
    """The Segment of an Ethernet frame carrying IPv4 TCP, or None."""
    if len(frame) < 34 or frame[12:14] != b"\x08\x00" or frame[23] != 6:
        return None
    ip = frame[14:]
    ihl = (ip[0] & 0x0F) * 4
    total, ip_id = struct.unpack("!HH", ip[2:6])
    if len(ip) < ihl + 20 or total > len(ip):
        return None
    sport, dport, seq, ack, off, flags, window = struct.unpack("!HHIIBBH", ip[ihl:ihl + 16])
    return Segment(ip[:total], sport, dport, seq, ack, flags, total - ihl - (off >> 4) * 4, window, ip_id)


def sniffer():
    """A packet socket on lo that sees every frame."""
    sniff = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    sniff.bind(("lo", 0))
    return sniff


def next_segment(sniff):
    """The next frame's Segment, or None: a frame leaving (its arriving copy follows) or no IPv4 TCP."""
    frame, addr = sniff.recvfrom(65535)
    if addr[2] == PACKET_OUTGOING:
        return None
    return parse(frame)


def send_raw(packet, address):
    """Sends a complete IPv4 packet (our own header) towards address."""
    raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    try:
        raw.sendto(packet, (address, 0))
    finally:
        raw.close()
