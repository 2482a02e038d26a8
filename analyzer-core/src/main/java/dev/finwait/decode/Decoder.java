package dev.finwait.decode;

import dev.finwait.capture.Frame;
import dev.finwait.tcp.Segment;

/**
 * Turns a captured frame into a TCP {@link dev.finwait.tcp.Segment}, or says why not. Parses straight from the
 * frame's bytes; never throws on packet content. One decoder per thread (it is reusable but keeps
 * per-call scratch state).
 *
 * <p>Lengths: the TCP payload length comes from the IP header (IPv4 total length, IPv6 payload
 * length), so a frame cut by a snaplen still reports the true payload, and Ethernet padding is
 * ignored. Only when the IP length field is 0 (segmentation offload captures, where the NIC fills it
 * in later; or an IPv6 jumbogram) the original frame length is used instead, and the checksum is
 * not checked (the NIC computes it too).
 *
 * <p>Fragments are skipped, not reassembled: a TCP header is only trusted in an unfragmented packet.
 * Tunnels are entered at most 3 deep, as tshark does (IPv4/IPv6 in IP, protocols 4 and 41; GRE, 47,
 * including transparent Ethernet; VXLAN on UDP port 4789): the segment carries the inner addresses.
 *
 * <p>This class reads the link layers; {@link IpLayer} reads IP, the tunnels and TCP.
 */
public final class Decoder {
    private static final int ETHERTYPE_IPV4 = 0x0800;
    private static final int ETHERTYPE_IPV6 = 0x86DD;
    private static final int ETHERTYPE_ARP = 0x0806;
    private static final int ETHERTYPE_VLAN = 0x8100;
    private static final int ETHERTYPE_QINQ = 0x88A8;
    private static final int ETHERTYPE_QINQ_OLD = 0x9100;
    private static final int ETHERTYPE_MPLS = 0x8847;
    private static final int ETHERTYPE_MPLS_MULTICAST = 0x8848;
    private static final int ETHERTYPE_PPPOE_DISCOVERY = 0x8863;
    private static final int ETHERTYPE_PPPOE_SESSION = 0x8864;
    /** Ethernet II type values start at 0x0600; up to 1500 the field is an IEEE 802.3 length. */
    private static final int MAX_8023_LENGTH = 1500;
    private static final int AF_INET = 2;
    private static final int NFPROTO_IPV6 = 10;
    private static final int NFULA_PAYLOAD = 9;

    private final IpLayer ip;

    /** A decoder that verifies TCP checksums only when asked (it costs about a sixth of the time). */
    public Decoder(boolean verifyChecksums) {
        this.ip = new IpLayer(this, verifyChecksums);
    }

    /** {@return the frame decoded: a segment, or why not} */
    public DecodeResult decode(Frame f) {
        return decode(f.number(), f.timeNanos(), f.linkType(), f.data(), f.offset(), f.capturedLength(),
                f.originalLength());
    }

    /** The same, from a frame's fields (a {@link dev.finwait.capture.FrameVisitor}'s parameters). */
    public DecodeResult decode(long number, long timeNanos, int linkType, byte[] b, int start, int capturedLength,
                               int originalLength) {
        DecodeResult r = layers(number, timeNanos, linkType, b, start, capturedLength, originalLength);
        return r == IpLayer.SEGMENT_READY ? new DecodeResult.Decoded(ip.takeSegment()) : r;
    }

    /**
     * The hot path: the frame's TCP segment, or null; the outcome is counted in {@code stats} either way.
     * Builds no {@link DecodeResult} for a segment (one object less per packet than {@link #decode}).
     */
    public Segment decodeSegment(long number, long timeNanos, int linkType, byte[] b, int start, int capturedLength,
                                 int originalLength, DecodeStats stats) {
        DecodeResult r = layers(number, timeNanos, linkType, b, start, capturedLength, originalLength);
        if (r == IpLayer.SEGMENT_READY) {
            stats.countSegment();
            return ip.takeSegment();
        }
        stats.count(r);
        return null;
    }

    private DecodeResult layers(long number, long timeNanos, int linkType, byte[] b, int start, int capturedLength,
                                int originalLength) {
        ip.reset(number, timeNanos);
        int end = start + capturedLength;
        // Where the frame ends on the wire: an IP length may reach past a snapped capture, not past this.
        long wireEnd = start + (long) Math.max(originalLength, capturedLength);
        return link(linkType, b, start, end, wireEnd);
    }

    private DecodeResult link(int linkType, byte[] b, int start, int end, long wireEnd) {
        return switch (linkType) {
            case LinkTypes.ETHERNET -> ethernet(b, start, end, wireEnd);
            case LinkTypes.LINUX_SLL -> end - start < 16 ? Reasons.TRUNCATED_LINK
                    : etherType(b, start + 16, end, wireEnd, Bytes.u16(b, start + 14));
            case LinkTypes.LINUX_SLL2 -> end - start < 20 ? Reasons.TRUNCATED_LINK
                    : etherType(b, start + 20, end, wireEnd, Bytes.u16(b, start));
            case LinkTypes.NULL, LinkTypes.LOOP -> loopback(b, start, end, wireEnd);
            case LinkTypes.RAW, LinkTypes.RAW_12, LinkTypes.RAW_14 -> rawIp(b, start, end, wireEnd);
            case LinkTypes.IPV4 -> ip.ipv4(b, start, end, wireEnd);
            case LinkTypes.IPV6 -> ip.ipv6(b, start, end, wireEnd);
            case LinkTypes.NFLOG -> nflog(b, start, end);
            case LinkTypes.PPP, LinkTypes.PPP_HDLC -> ppp(b, start, end, wireEnd);
            // Cisco HDLC: address, control, then an Ethernet type.
            case LinkTypes.C_HDLC -> end - start < 4 ? Reasons.TRUNCATED_LINK
                    : etherType(b, start + 4, end, wireEnd, Bytes.u16(b, start + 2));
            case LinkTypes.PKTAP -> pktap(b, start, end, wireEnd);
            default -> Reasons.linkType(linkType);
        };
    }

    /*
     * +---------+---------+------------+
     * | dst mac | src mac | ethertype  |  then 802.1Q / 802.1ad tags, MPLS labels or PPPoE, then IP
     * |    6    |    6    |     2      |
     * +---------+---------+------------+
     */
    DecodeResult ethernet(byte[] b, int p, int end, long wireEnd) {
        if (end - p < 14) {
            return Reasons.TRUNCATED_LINK;
        }
        return etherType(b, p + 14, end, wireEnd, Bytes.u16(b, p + 12));
    }

    DecodeResult etherType(byte[] b, int p, int end, long wireEnd, int type) {
        // Every tag consumes bytes, so the loop ends with the frame.
        while (true) {
            switch (type) {
                case ETHERTYPE_IPV4:
                    return ip.ipv4(b, p, end, wireEnd);
                case ETHERTYPE_IPV6:
                    return ip.ipv6(b, p, end, wireEnd);
                case ETHERTYPE_VLAN, ETHERTYPE_QINQ, ETHERTYPE_QINQ_OLD:
                    // 2 bytes of priority / DEI / VLAN id, then the inner type (IEEE 802.1Q 9.6).
                    if (p + 4 > end) {
                        return Reasons.TRUNCATED_LINK;
                    }
                    type = Bytes.u16(b, p + 2);
                    p += 4;
                    break;
                case ETHERTYPE_MPLS, ETHERTYPE_MPLS_MULTICAST:
                    return mpls(b, p, end, wireEnd);
                case ETHERTYPE_PPPOE_SESSION:
                    // RFC 2516: ver/type, code, session id, length, then the 2-byte PPP protocol.
                    if (p + 8 > end) {
                        return Reasons.TRUNCATED_LINK;
                    }
                    int ppp = Bytes.u16(b, p + 6);
                    p += 8;
                    if (ppp == 0x0021) {
                        type = ETHERTYPE_IPV4;
                    } else if (ppp == 0x0057) {
                        type = ETHERTYPE_IPV6;
                    } else {
                        return Reasons.pppProtocol(ppp);
                    }
                    break;
                case ETHERTYPE_PPPOE_DISCOVERY:
                    return Reasons.PPPOE_DISCOVERY;
                case ETHERTYPE_ARP:
                    return Reasons.ARP;
                default:
                    return type <= MAX_8023_LENGTH ? Reasons.LLC : Reasons.etherType(type);
            }
        }
    }

    /** RFC 3032 label stack entries (4 bytes, bottom-of-stack bit 0x100); the payload type is guessed from the IP version nibble. */
    private DecodeResult mpls(byte[] b, int p, int end, long wireEnd) {
        while (true) {
            if (p + 4 > end) {
                return Reasons.TRUNCATED_LINK;
            }
            boolean bottom = (b[p + 2] & 0x01) != 0;
            p += 4;
            if (bottom) {
                break;
            }
        }
        if (p >= end) {
            return Reasons.TRUNCATED_LINK;
        }
        return switch ((b[p] >> 4) & 0x0F) {
            case 4 -> ip.ipv4(b, p, end, wireEnd);
            case 6 -> ip.ipv6(b, p, end, wireEnd);
            default -> Reasons.MPLS_NOT_IP;
        };
    }

    /** PPP (RFC 1661), optionally with HDLC-like address/control bytes (RFC 1662) and a 1-byte protocol (PFC). */
    private DecodeResult ppp(byte[] b, int p, int end, long wireEnd) {
        if (p + 2 <= end && (b[p] & 0xFF) == 0xFF && b[p + 1] == 0x03) {
            p += 2;
        }
        if (p >= end) {
            return Reasons.TRUNCATED_LINK;
        }
        int protocol;
        if ((b[p] & 0x01) != 0) {
            protocol = b[p] & 0xFF;
            p += 1;
        } else {
            if (p + 2 > end) {
                return Reasons.TRUNCATED_LINK;
            }
            protocol = Bytes.u16(b, p);
            p += 2;
        }
        return switch (protocol) {
            case 0x0021 -> ip.ipv4(b, p, end, wireEnd);
            case 0x0057 -> ip.ipv6(b, p, end, wireEnd);
            default -> Reasons.pppProtocol(protocol);
        };
    }

    /*
     * macOS PKTAP: a host-order (little-endian) header whose first word is its own length and whose
     * third is the DLT of the frame that follows.
     * +------------+---------------+---------+-----------------------------+
     * | length u32 | type_next u32 | dlt u32 | interface, process, ...     |
     * +------------+---------------+---------+-----------------------------+
     */
    private DecodeResult pktap(byte[] b, int p, int end, long wireEnd) {
        if (end - p < 12) {
            return Reasons.TRUNCATED_LINK;
        }
        int length = Integer.reverseBytes(Bytes.i32(b, p));
        int dlt = Integer.reverseBytes(Bytes.i32(b, p + 8));
        if (length < 12 || length > end - p) {
            return Reasons.TRUNCATED_LINK;
        }
        if (dlt == LinkTypes.PKTAP) {
            return Reasons.linkType(dlt);
        }
        return link(dlt, b, p + length, end, wireEnd);
    }

    /** NULL / LOOP: a 4-byte address family whose byte order depends on the capturing host. */
    private DecodeResult loopback(byte[] b, int p, int end, long wireEnd) {
        if (end - p < 4) {
            return Reasons.TRUNCATED_LINK;
        }
        int little = Integer.reverseBytes(Bytes.i32(b, p));
        // Family values are small: whichever reading fits in 16 bits is the right byte order.
        int family = (little & 0xFFFF_0000) == 0 ? little : Bytes.i32(b, p);
        return switch (family) {
            case AF_INET -> ip.ipv4(b, p + 4, end, wireEnd);
            case 24, 28, 30 -> ip.ipv6(b, p + 4, end, wireEnd); // AF_INET6 on NetBSD/OpenBSD, FreeBSD, macOS
            default -> Reasons.family(family);
        };
    }

    private DecodeResult rawIp(byte[] b, int p, int end, long wireEnd) {
        if (p >= end) {
            return Reasons.EMPTY_RAW;
        }
        int version = (b[p] >> 4) & 0x0F;
        return switch (version) {
            case 4 -> ip.ipv4(b, p, end, wireEnd);
            case 6 -> ip.ipv6(b, p, end, wireEnd);
            default -> Reasons.ipVersion(version);
        };
    }

    /*
     * NFLOG: family, version, resource id, then TLVs whose length and type are in host byte order
     * (little-endian in practice); length includes the 4-byte TLV header, values are padded to 4.
     * +--------+---------+-------------+----------------------------------+
     * | family | version | resource id | len u16 | type u16 | value | ...  |
     * +--------+---------+-------------+----------------------------------+
     */
    private DecodeResult nflog(byte[] b, int p, int end) {
        if (end - p < 4) {
            return Reasons.TRUNCATED_LINK;
        }
        int family = b[p] & 0xFF;
        int t = p + 4;
        while (t + 4 <= end) {
            int len = Bytes.u16le(b, t);
            int type = Bytes.u16le(b, t + 2);
            if (len < 4) {
                return Reasons.NFLOG_BAD_TLV;
            }
            if (type == NFULA_PAYLOAD) {
                int payloadEnd = t + len;
                int captured = Math.min(payloadEnd, end);
                return switch (family) {
                    case AF_INET -> ip.ipv4(b, t + 4, captured, payloadEnd);
                    case NFPROTO_IPV6 -> ip.ipv6(b, t + 4, captured, payloadEnd);
                    default -> rawIp(b, t + 4, captured, payloadEnd);
                };
            }
            t += (len + 3) & ~3;
        }
        return Reasons.NFLOG_NO_PAYLOAD;
    }

}
