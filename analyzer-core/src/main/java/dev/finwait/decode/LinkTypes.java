package dev.finwait.decode;

/** The libpcap LINKTYPE_* values the decoder understands (https://www.tcpdump.org/linktypes.html). */
final class LinkTypes {
    /** BSD loopback: 4-byte address family in the capturing host's byte order. */
    public static final int NULL = 0;
    public static final int ETHERNET = 1;
    /** PPP, with or without the RFC 1662 address/control bytes. */
    public static final int PPP = 9;
    public static final int PPP_HDLC = 50;
    /** Cisco HDLC: address, control, Ethernet type. */
    public static final int C_HDLC = 104;
    /** DLT_RAW as some platforms wrote it in files before LINKTYPE_RAW existed. */
    public static final int RAW_12 = 12;
    public static final int RAW_14 = 14;
    public static final int RAW = 101;
    /** OpenBSD loopback: like NULL but the family is in network byte order. */
    public static final int LOOP = 108;
    public static final int LINUX_SLL = 113;
    public static final int IPV4 = 228;
    public static final int IPV6 = 229;
    public static final int NFLOG = 239;
    /** macOS PKTAP: per-packet metadata header, then a frame of the DLT it names. */
    public static final int PKTAP = 258;
    public static final int LINUX_SLL2 = 276;

    private LinkTypes() {
    }
}
