package dev.finwait.compat;

/**
 * Zeek's per-endpoint TCP state ({@code EndpointState} in Zeek's {@code TCP_Endpoint.h}); much coarser
 * than RFC 9293: there is no FIN_WAIT / TIME_WAIT, a side that sent a FIN is simply CLOSED.
 */
enum ZeekEndpointState {
    /** Nothing seen from this side yet. */
    INACTIVE,
    /** Sent a SYN. */
    SYN_SENT,
    /** Sent a SYN-ACK as the originator (odd, but Zeek tracks it). */
    SYN_ACK_SENT,
    /** Seen only mid-stream: data or ACKs without a SYN. */
    PARTIAL,
    ESTABLISHED,
    /** Sent a FIN. */
    CLOSED,
    /** Sent a RST. */
    RESET;

    /** Zeek's conn_state treats a side it never saw handshake with as "inactive". */
    boolean inactiveForConnState() {
        return this == INACTIVE || this == PARTIAL;
    }
}
