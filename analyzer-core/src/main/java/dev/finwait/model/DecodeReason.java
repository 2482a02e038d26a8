package dev.finwait.model;

import java.util.Locale;

/**
 * The closed set of reasons a frame is not analyzed: well-formed but not TCP we read ({@code skipped},
 * counted as {@code non_tcp}), or bytes that contradict their own headers ({@code malformed}). Some
 * carry a number (the link type, the ethertype, ...): {@link DecodeProblem} holds it.
 */
public enum DecodeReason {
    ARP(false, "arp"),
    UDP(false, "udp"),
    ICMP(false, "icmp"),
    ICMPV6(false, "icmpv6"),
    IPV4_FRAGMENT(false, "ipv4 fragment"),
    IPV6_FRAGMENT(false, "ipv6 fragment"),
    IPV6_NO_NEXT_HEADER(false, "ipv6 no next header"),
    LLC(false, "802.3 llc"),
    MPLS_NOT_IP(false, "mpls payload not ip"),
    PPPOE_DISCOVERY(false, "pppoe discovery"),
    GRE_VERSION(false, "gre version not 0"),
    GRE_ROUTING(false, "gre with routing"),
    NFLOG_NO_PAYLOAD(false, "nflog without payload"),
    /** A link type (DLT) the decoder does not read; the number is the link type. */
    LINK_TYPE(false, "link type %d not supported"),
    ETHER_TYPE(false, "ethertype 0x%04x"),
    IP_PROTOCOL(false, "ip protocol %d"),
    ADDRESS_FAMILY(false, "address family %d"),
    PPP_PROTOCOL(false, "ppp protocol 0x%04x"),

    TRUNCATED_LINK(true, "truncated link header"),
    TRUNCATED_IPV4(true, "truncated ipv4 header"),
    TRUNCATED_IPV6(true, "truncated ipv6 header"),
    TRUNCATED_IPV6_EXT(true, "truncated ipv6 extension header"),
    IPV6_CHAIN_TOO_LONG(true, "ipv6 extension header chain too long"),
    TRUNCATED_TCP(true, "truncated tcp header"),
    TCP_OPTIONS_OVERRUN(true, "tcp options overrun header"),
    TCP_HEADER_BEYOND_IP(true, "tcp header beyond ip payload"),
    IP_LENGTH_BEYOND_FRAME(true, "ip total length beyond frame"),
    IPV4_LENGTH_SHORT(true, "ipv4 total length < header length"),
    EMPTY_RAW(true, "empty raw ip packet"),
    TRUNCATED_GRE(true, "truncated gre header"),
    TUNNELS_TOO_DEEP(true, "more than 3 nested tunnels"),
    NFLOG_BAD_TLV(true, "nflog tlv overruns frame"),
    TCP_DATA_OFFSET(true, "tcp data offset %d < 5"),
    IPV4_IHL(true, "ipv4 ihl %d < 5"),
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
