package dev.finwait.tcp;

/**
 * The TCP options the analysis cares about (RFC 9293 3.2, RFC 7323, RFC 2018, RFC 7413).
 * Absent numeric options are -1.
 *
 * @param mss           maximum segment size (SYN and SYN-ACK only)
 * @param windowScale   window scale shift count (RFC 7323 2)
 * @param sackPermitted SACK-permitted was offered (RFC 2018)
 * @param tsVal         timestamp value (RFC 7323 3), unsigned 32 bits
 * @param tsEcr         timestamp echo reply, unsigned 32 bits
 * @param fastOpen      a TCP Fast Open cookie option, standard (kind 34) or experimental (RFC 7413)
 */
public record TcpOptions(int mss, int windowScale, boolean sackPermitted, long tsVal, long tsEcr, boolean fastOpen) {

    /** No option the analysis reads: shared by every segment without one. */
    public static final TcpOptions NONE = new TcpOptions(-1, -1, false, -1, -1, false);

    /** {@return whether the segment carried the timestamps option} */
    public boolean hasTimestamps() {
        return tsVal >= 0;
    }
}
