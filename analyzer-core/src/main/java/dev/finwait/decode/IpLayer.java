package dev.finwait.decode;

import dev.finwait.tcp.Endpoint;
import dev.finwait.tcp.Segment;
import dev.finwait.tcp.Segment.Checksum;
import dev.finwait.tcp.TcpOptions;

/**
 * The network and transport half of {@link Decoder}: IPv4 / IPv6 to TCP, and the tunnels that lead
 * back to a link layer (GRE with transparent Ethernet, VXLAN). Holds the per-frame scratch state.
 */
final class IpLayer {
    private static final int MAX_IPV6_EXTENSIONS = 16;
    private static final int MAX_TUNNELS = 3;
    private static final int ETHERTYPE_TRANSPARENT_ETHERNET = 0x6558;
    private static final int VXLAN_PORT = 4789;

    private final Decoder link;
    private final boolean verifyChecksums;
    private final TcpOptionsParser options = new TcpOptionsParser();
    private final EndpointCache endpoints = new EndpointCache();
    private long frameNumber;
    private long frameNanos;
    /** Encapsulations entered for the current frame; bounded so nested tunnels cannot recurse deeply. */
    private int tunnels;
    /** The frame's segment, once {@link #tcp} has returned {@link #SEGMENT_READY}. */
    private Segment segment;

    /**
     * What the layers return for a TCP segment, which waits in {@link #takeSegment}: the decoder wraps it
     * in a {@code Decoded} only for {@link Decoder#decode}, and the hot path
     * ({@link Decoder#decodeSegment}) takes it as it is (one object less per packet). Never leaves the
     * decoder.
     */
    static final DecodeResult.Decoded SEGMENT_READY = new DecodeResult.Decoded(null);

    IpLayer(Decoder link, boolean verifyChecksums) {
        this.link = link;
        this.verifyChecksums = verifyChecksums;
    }

    void reset(long number, long timeNanos) {
        frameNumber = number;
        frameNanos = timeNanos;
        tunnels = 0;
        segment = null;
    }

    Segment takeSegment() {
        Segment s = segment;
        segment = null;
        return s;
    }

    /*
     * RFC 791 3.1
     * +-------+-----+-----+--------+-------+-------------+-----+-------+-----+-----+-----+---------+
     * |ver/ihl| tos |total length  | ident |flags/fragoff| ttl | proto | sum | src | dst | options |
     * +-------+-----+-----+--------+-------+-------------+-----+-------+-----+-----+-----+---------+
     */
    DecodeResult ipv4(byte[] b, int p, int end, long wireEnd) {
        if (p + 20 > end) {
            return Reasons.TRUNCATED_IPV4;
        }
        int version = (b[p] >> 4) & 0x0F;
        if (version != 4) {
            return Reasons.ipVersion(version);
        }
        int ihl = b[p] & 0x0F;
        if (ihl < 5) {
            return Reasons.ihl(ihl);
        }
        int headerLength = ihl * 4;
        if (p + headerLength > end) {
            return Reasons.TRUNCATED_IPV4;
        }
        int total = Bytes.u16(b, p + 2);
        long ipEnd;
        if (total == 0) {
            ipEnd = wireEnd;
        } else if (total < headerLength) {
            return Reasons.IPV4_LENGTH_SHORT;
        } else {
            ipEnd = p + total;
            if (ipEnd > wireEnd) {
                return Reasons.IP_LENGTH_BEYOND_FRAME;
            }
        }
        // More-fragments bit or a non-zero offset: only a reassembled packet has a trustworthy TCP header.
        if ((Bytes.u16(b, p + 6) & 0x3FFF) != 0) {
            return Reasons.IPV4_FRAGMENT;
        }
        int protocol = b[p + 9] & 0xFF;
        if (protocol != 6) {
            return notTcp(b, p + headerLength, end, ipEnd, protocol);
        }
        // The pseudo-header sum only serves the checksum check: skipped when checking is off (the default).
        int pseudo = !verifyChecksums || total == 0 ? -1 : Checksums.pseudoV4(b, p, (int) (ipEnd - p - headerLength));
        return tcp(b, p + headerLength, end, ipEnd, (int) (ipEnd - p), 0, Bytes.i32(b, p + 12), 0, Bytes.i32(b, p + 16), false,
                pseudo, Bytes.u16(b, p + 4));
    }

    /*
     * RFC 8200 3: 40-byte fixed header, then a chain of extension headers ending in TCP.
     * +---------------+-------------+-------------+-----------+-----------+-----------+
     * | ver/tc/flow 4 | payload len | next header | hop limit | src (16)  | dst (16)  |
     * +---------------+-------------+-------------+-----------+-----------+-----------+
     */
    DecodeResult ipv6(byte[] b, int p, int end, long wireEnd) {
        if (p + 40 > end) {
            return Reasons.TRUNCATED_IPV6;
        }
        int version = (b[p] >> 4) & 0x0F;
        if (version != 6) {
            return Reasons.ipVersion(version);
        }
        int payloadLength = Bytes.u16(b, p + 4);
        long ipEnd = payloadLength == 0 ? wireEnd : p + 40L + payloadLength;
        if (ipEnd > wireEnd) {
            return Reasons.IP_LENGTH_BEYOND_FRAME;
        }
        int next = b[p + 6] & 0xFF;
        int q = p + 40;
        for (int i = 0; i <= MAX_IPV6_EXTENSIONS; i++) {
            switch (next) {
                case 6 -> {
                    int pseudo = !verifyChecksums || payloadLength == 0 ? -1 : Checksums.pseudoV6(b, p, (int) (ipEnd - q));
                    return tcp(b, q, end, ipEnd, (int) (ipEnd - p), Bytes.i64(b, p + 8), Bytes.i64(b, p + 16),
                            Bytes.i64(b, p + 24), Bytes.i64(b, p + 32), true, pseudo, -1);
                }
                case 0, 43, 60 -> { // hop-by-hop, routing, destination options: length in 8-byte units past the first 8
                    if (q + 8 > end) {
                        return Reasons.TRUNCATED_IPV6_EXT;
                    }
                    next = b[q] & 0xFF;
                    q += ((b[q + 1] & 0xFF) + 1) * 8;
                }
                case 51 -> { // AH (RFC 4302 2.2): length in 4-byte units, minus 2
                    if (q + 8 > end) {
                        return Reasons.TRUNCATED_IPV6_EXT;
                    }
                    next = b[q] & 0xFF;
                    q += ((b[q + 1] & 0xFF) + 2) * 4;
                }
                case 44 -> { // fragment: an atomic fragment (offset 0, no M bit; RFC 6946) is a whole packet
                    if (q + 8 > end) {
                        return Reasons.TRUNCATED_IPV6_EXT;
                    }
                    if ((Bytes.u16(b, q + 2) & 0xFFF9) != 0) {
                        return Reasons.IPV6_FRAGMENT;
                    }
                    next = b[q] & 0xFF;
                    q += 8;
                }
                case 59 -> {
                    return Reasons.IPV6_NO_NEXT_HEADER;
                }
                default -> {
                    return notTcp(b, q, end, ipEnd, next);
                }
            }
            if (q > ipEnd) {
                return Reasons.TRUNCATED_IPV6_EXT;
            }
        }
        return Reasons.IPV6_CHAIN_TOO_LONG;
    }

    /** A payload that is not TCP: a tunnel we enter (IP in IP, GRE), or a reason. */
    private DecodeResult notTcp(byte[] b, int q, int end, long ipEnd, int protocol) {
        if (protocol == 4 || protocol == 41 || protocol == 47) {
            if (++tunnels > MAX_TUNNELS) {
                return Reasons.TUNNELS_TOO_DEEP;
            }
            return switch (protocol) {
                case 4 -> ipv4(b, q, end, ipEnd); // RFC 2003
                case 41 -> ipv6(b, q, end, ipEnd); // RFC 4213 6in4
                default -> gre(b, q, end, ipEnd);
            };
        }
        if (protocol == 17 && isVxlan(b, q, end)) {
            if (++tunnels > MAX_TUNNELS) {
                return Reasons.TUNNELS_TOO_DEEP;
            }
            return link.ethernet(b, q + 16, end, ipEnd);
        }
        return switch (protocol) {
            case 17 -> Reasons.UDP;
            case 1 -> Reasons.ICMP;
            case 58 -> Reasons.ICMPV6;
            default -> Reasons.ipProtocol(protocol);
        };
    }

    /*
     * RFC 9293 3.1
     * +----------+----------+-----+-----+-------------+-------+--------+-----+-----+---------+
     * | src port | dst port | seq | ack | off/rsvd/flg| flags | window | sum | urg | options |
     * |    2     |    2     |  4  |  4  |      1      |   1   |   2    |  2  |  2  |         |
     * +----------+----------+-----+-----+-------------+-------+--------+-----+-----+---------+
     *
     * The addresses come as two longs each (IPv4 in the low 32 bits of lo, as IpAddress keeps them).
     * pseudo is the pseudo-header sum, or -1 when the checksum cannot be checked. ipLength is the IP
     * packet's length from its header (the wire's when an IPv4 total length of 0 says segmentation offload).
     */
    private DecodeResult tcp(byte[] b, int t, int end, long ipEnd, int ipLength, long srcHi, long srcLo, long dstHi,
                             long dstLo, boolean v6, int pseudo, int ipId) {
        if (t + 20 > end) {
            return Reasons.TRUNCATED_TCP;
        }
        long segmentLength = ipEnd - t;
        int dataOffset = (b[t + 12] >> 4) & 0x0F;
        if (dataOffset < 5) {
            return Reasons.dataOffset(dataOffset);
        }
        int headerLength = dataOffset * 4;
        if (headerLength > segmentLength) {
            return Reasons.TCP_HEADER_BEYOND_IP;
        }
        // A snaplen may cut the options: the fixed header is enough, keep the options that were captured.
        TcpOptions opts = options.parse(b, t + 20, t + headerLength, end);
        if (opts == null) {
            return Reasons.TCP_OPTIONS_OVERRUN;
        }
        Checksum checksum = Checksum.UNCHECKED;
        if (verifyChecksums && pseudo >= 0 && ipEnd <= end) {
            checksum = Checksums.verify(b, t, (int) ipEnd, pseudo) ? Checksum.GOOD : Checksum.BAD;
        }
        int srcPort = Bytes.u16(b, t);
        int dstPort = Bytes.u16(b, t + 2);
        Endpoint src = v6 ? endpoints.ipv6(srcHi, srcLo, srcPort) : endpoints.ipv4((int) srcLo, srcPort);
        Endpoint dst = v6 ? endpoints.ipv6(dstHi, dstLo, dstPort) : endpoints.ipv4((int) dstLo, dstPort);
        segment = new Segment(frameNumber, frameNanos, src, dst,
                b[t + 13] & 0xFF, Bytes.i32(b, t + 4), Bytes.i32(b, t + 8), Bytes.u16(b, t + 14),
                (int) (segmentLength - headerLength), opts, checksum, ipLength, ipId);
        return SEGMENT_READY;
    }

    /** UDP to port 4789 with the VXLAN I flag (RFC 7348 5): an Ethernet frame follows the 8-byte VXLAN header. */
    private static boolean isVxlan(byte[] b, int udp, int end) {
        return udp + 16 <= end && Bytes.u16(b, udp + 2) == VXLAN_PORT && (b[udp + 8] & 0x08) != 0;
    }

    /*
     * GRE (RFC 2784, keys and sequence numbers RFC 2890): optional fields follow the flags.
     * +---+---+---+---+---------+-----+---------------+--------------------+-----+-----+
     * | C | R | K | S | reserved | ver | protocol type | checksum, reserved | key | seq |
     * +---+---+---+---+---------+-----+---------------+--------------------+-----+-----+
     */
    private DecodeResult gre(byte[] b, int q, int end, long ipEnd) {
        if (q + 4 > end) {
            return Reasons.TRUNCATED_GRE;
        }
        int flags = Bytes.u16(b, q);
        if ((flags & 0x0007) != 0) {
            return Reasons.GRE_VERSION;
        }
        if ((flags & 0x4000) != 0) {
            return Reasons.GRE_ROUTING;
        }
        int type = Bytes.u16(b, q + 2);
        int p = q + 4 + ((flags & 0x8000) != 0 ? 4 : 0) + ((flags & 0x2000) != 0 ? 4 : 0) + ((flags & 0x1000) != 0 ? 4 : 0);
        if (p > end) {
            return Reasons.TRUNCATED_GRE;
        }
        return type == ETHERTYPE_TRANSPARENT_ETHERNET ? link.ethernet(b, p, end, ipEnd) : link.etherType(b, p, end, ipEnd, type);
    }
}
