package dev.finwait.model;

/**
 * One side's TCP state, RFC 9293 3.3.2 names, as inferred from the packets seen at the capture
 * point. {@link #UNKNOWN} means the packets have not yet told us anything about this side.
 */
public enum TcpState {
    /** Nothing seen of this side yet. */
    UNKNOWN,
    /** Waiting for a SYN (a passive open). */
    LISTEN,
    /** Sent a SYN, waiting for the SYN-ACK. */
    SYN_SENT,
    /** Received a SYN and answered it, waiting for its acknowledgement. */
    SYN_RCVD,
    /** The connection is open in both directions. */
    ESTABLISHED,
    /** Sent a FIN first, not yet acknowledged. */
    FIN_WAIT_1,
    /** Its FIN is acknowledged; waiting for the peer's FIN (the peer may still send). */
    FIN_WAIT_2,
    /** Received the peer's FIN first; may still send until it closes. */
    CLOSE_WAIT,
    /** Both sides sent FIN before either was acknowledged (simultaneous close). */
    CLOSING,
    /** Closed after the peer (from CLOSE_WAIT), waiting for the acknowledgement of its FIN. */
    LAST_ACK,
    /** Closed first and saw both FINs acknowledged; waits 2*MSL before the 4-tuple is free. */
    TIME_WAIT,
    /** Gone: closed, reset or out of TIME_WAIT. */
    CLOSED;

    /** @return true once this side has sent a FIN (it is in one of the closing states or TIME_WAIT) */
    public boolean hasSentFin() {
        return this == FIN_WAIT_1 || this == FIN_WAIT_2 || this == CLOSING || this == LAST_ACK || this == TIME_WAIT;
    }
}
