package dev.finwait.decode;

/** The libpcap LINKTYPE_* values the decoder understands (https://www.tcpdump.org/linktypes.html). */
public final class LinkTypes {
    /** BSD loopback: 4-byte address family in the capturing host's byte order. */
    public static final int NULL = 0;
    public static final int ETHERNET = 1;
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
    public static final int LINUX_SLL2 = 276;

    private LinkTypes() {
    }
}
