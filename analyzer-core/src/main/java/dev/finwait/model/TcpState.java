package dev.finwait.model;

/**
 * One side's TCP state, RFC 9293 3.3.2 names, as inferred from the packets seen at the capture
 * point. {@link #UNKNOWN} means the packets have not yet told us anything about this side.
 */
public enum TcpState {
    UNKNOWN,
    LISTEN,
    SYN_SENT,
    SYN_RCVD,
    ESTABLISHED,
    FIN_WAIT_1,
    FIN_WAIT_2,
    CLOSE_WAIT,
    CLOSING,
    LAST_ACK,
    TIME_WAIT,
    CLOSED;

    /** True once this side has sent a FIN (it is in one of the closing states or TIME_WAIT). */
    public boolean hasSentFin() {
        return this == FIN_WAIT_1 || this == FIN_WAIT_2 || this == CLOSING || this == LAST_ACK || this == TIME_WAIT;
    }
}
