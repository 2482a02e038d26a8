package dev.finwait.tcp;

/**
 * The TCP options the analysis cares about (RFC 9293 3.2, RFC 7323, RFC 2018, RFC 7413).
 * Absent numeric options are -1.
 */
public record TcpOptions(int mss, int windowScale, boolean sackPermitted, long tsVal, long tsEcr, boolean fastOpen) {

    public static final TcpOptions NONE = new TcpOptions(-1, -1, false, -1, -1, false);

    public boolean hasTimestamps() {
        return tsVal >= 0;
    }
}
