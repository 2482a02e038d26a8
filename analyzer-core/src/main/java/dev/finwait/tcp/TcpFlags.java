package dev.finwait.tcp;

/** TCP header flag bits (RFC 9293 3.1, RFC 3168 for ECE/CWR), kept as an int in {@link Segment}. */
public final class TcpFlags {
    /** No more data from the sender. */
    public static final int FIN = 0x01;
    /** Synchronize sequence numbers: opens a connection. */
    public static final int SYN = 0x02;
    /** Reset the connection. */
    public static final int RST = 0x04;
    /** Push: deliver the data to the application without waiting for more. */
    public static final int PSH = 0x08;
    /** The acknowledgement number is significant. */
    public static final int ACK = 0x10;
    /** The urgent pointer is significant. */
    public static final int URG = 0x20;
    /** ECN echo (RFC 3168). */
    public static final int ECE = 0x40;
    /** Congestion window reduced (RFC 3168). */
    public static final int CWR = 0x80;

    private TcpFlags() {
    }

    /** {@return whether {@code bit} is set in {@code flags}} */
    public static boolean has(int flags, int bit) {
        return (flags & bit) != 0;
    }

    /** tcpdump's notation: {@code S}, {@code S.}, {@code F.}, {@code R.}, {@code P.}, {@code .} for a bare ACK. */
    public static String tcpdump(int flags) {
        StringBuilder sb = new StringBuilder(8);
        if (has(flags, SYN)) sb.append('S');
        if (has(flags, FIN)) sb.append('F');
        if (has(flags, RST)) sb.append('R');
        if (has(flags, PSH)) sb.append('P');
        if (has(flags, URG)) sb.append('U');
        if (has(flags, ECE)) sb.append('E');
        if (has(flags, CWR)) sb.append('W');
        if (has(flags, ACK)) sb.append('.');
        return sb.length() == 0 ? "none" : sb.toString();
    }
}
