package dev.finwait.model;

import java.util.Locale;

/**
 * The closed set of reasons a frame is not analyzed: well-formed but not TCP we read ({@code skipped},
 * counted as {@code non_tcp}), or bytes that contradict their own headers ({@code malformed}). Some
 * carry a number (the link type, the ethertype, ...): {@link DecodeProblem} holds it.
 */
public enum DecodeReason {
    /** ARP: no IP inside. */
    ARP(false, "arp"),
    /** UDP over IP. */
    UDP(false, "udp"),
    /** ICMP over IPv4 (its quoted TCP header is not a segment of the connection). */
    ICMP(false, "icmp"),
    /** ICMPv6. */
    ICMPV6(false, "icmpv6"),
    /** A fragment of an IPv4 packet: fragments are not reassembled. */
    IPV4_FRAGMENT(false, "ipv4 fragment"),
    /** An IPv6 packet with a fragment header: fragments are not reassembled. */
    IPV6_FRAGMENT(false, "ipv6 fragment"),
    /** IPv6 with next header 59: nothing follows the header. */
    IPV6_NO_NEXT_HEADER(false, "ipv6 no next header"),
    /** An IEEE 802.3 frame with an LLC header instead of an ethertype. */
    LLC(false, "802.3 llc"),
    /** An MPLS label stack whose payload is not IPv4 or IPv6. */
    MPLS_NOT_IP(false, "mpls payload not ip"),
    /** PPPoE discovery (PADI, PADO, ...): no session payload. */
    PPPOE_DISCOVERY(false, "pppoe discovery"),
    /** GRE of a version other than 0 (PPTP's enhanced GRE): not decoded. */
    GRE_VERSION(false, "gre version not 0"),
    /** GRE with the routing bit set (RFC 1701): not decoded. */
    GRE_ROUTING(false, "gre with routing"),
    /** An NFLOG record that carries no packet. */
    NFLOG_NO_PAYLOAD(false, "nflog without payload"),
    /** A link type (DLT) the decoder does not read; the number is the link type. */
    LINK_TYPE(false, "link type %d not supported"),
    /** An ethertype the decoder does not follow; the number is the ethertype. */
    ETHER_TYPE(false, "ethertype 0x%04x"),
    /** An IP protocol that is not TCP (nor a tunnel that is decoded); the number is the protocol. */
    IP_PROTOCOL(false, "ip protocol %d"),
    /** A BSD loopback (NULL/LOOP) address family that is not IPv4 or IPv6; the number is the family. */
    ADDRESS_FAMILY(false, "address family %d"),
    /** A PPP protocol that is not IPv4 or IPv6; the number is the protocol. */
    PPP_PROTOCOL(false, "ppp protocol 0x%04x"),

    /** The frame ends inside its link-layer header. */
    TRUNCATED_LINK(true, "truncated link header"),
    /** The frame ends inside the IPv4 header. */
    TRUNCATED_IPV4(true, "truncated ipv4 header"),
    /** The frame ends inside the IPv6 header. */
    TRUNCATED_IPV6(true, "truncated ipv6 header"),
    /** The frame ends inside an IPv6 extension header. */
    TRUNCATED_IPV6_EXT(true, "truncated ipv6 extension header"),
    /** More extension headers in one IPv6 packet than the decoder follows. */
    IPV6_CHAIN_TOO_LONG(true, "ipv6 extension header chain too long"),
    /** The frame ends inside the TCP header. */
    TRUNCATED_TCP(true, "truncated tcp header"),
    /** A TCP option runs past the end of the TCP header. */
    TCP_OPTIONS_OVERRUN(true, "tcp options overrun header"),
    /** The TCP header extends past the IP packet's own length. */
    TCP_HEADER_BEYOND_IP(true, "tcp header beyond ip payload"),
    /** The IP length claims more bytes than the frame had on the wire. */
    IP_LENGTH_BEYOND_FRAME(true, "ip total length beyond frame"),
    /** The IPv4 total length is smaller than its own header. */
    IPV4_LENGTH_SHORT(true, "ipv4 total length < header length"),
    /** A raw-IP frame with no bytes. */
    EMPTY_RAW(true, "empty raw ip packet"),
    /** The frame ends inside a GRE header. */
    TRUNCATED_GRE(true, "truncated gre header"),
    /** More than 3 tunnels nested in one another. */
    TUNNELS_TOO_DEEP(true, "more than 3 nested tunnels"),
    /** An NFLOG TLV whose length runs past the end of the frame. */
    NFLOG_BAD_TLV(true, "nflog tlv overruns frame"),
    /** A TCP data offset below 5 words (the header's minimum); the number is the offset. */
    TCP_DATA_OFFSET(true, "tcp data offset %d < 5"),
    /** An IPv4 header length below 5 words; the number is the IHL. */
    IPV4_IHL(true, "ipv4 ihl %d < 5"),
    /** An IP version nibble that is neither 4 nor 6 where IP was expected; the number is the version. */
    IP_VERSION(true, "ip version %d");

    private final boolean malformed;
    private final String format;

    DecodeReason(boolean malformed, String format) {
        this.malformed = malformed;
        this.format = format;
    }

    /** Bytes that contradict their own headers (else: well-formed, just not analyzed). */
    public boolean malformed() {
        return malformed;
    }

    /** Whether the reason carries a number. */
    public boolean hasDetail() {
        return format.indexOf('%') >= 0;
    }

    /** The reason as the summary's {@code problems} names it, with its number where it has one. */
    public String describe(int detail) {
        return hasDetail() ? String.format(Locale.ROOT, format, detail) : format;
    }
}
