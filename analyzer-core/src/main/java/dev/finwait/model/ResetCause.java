package dev.finwait.model;

/** Why a side sent RST, inferred from its state and what it had received (RFC 9293 3.5.2). */
public enum ResetCause {
    /** Answer to a SYN: nothing listening on the port (ECONNREFUSED at the client). */
    REFUSED,
    /** Abortive close from a synchronized state without a FIN: SO_LINGER=0, close() with unread input, process killed with unread data. */
    ABORT,
    /** The sender had already closed (sent FIN) and then received data it could not deliver: "write after peer close". */
    DATA_AFTER_CLOSE,
    /** The sender had closed and aborts instead of finishing (RST after its own FIN, nothing unread seen). */
    ABORT_AFTER_CLOSE,
    /** RST sent or received by a side in TIME_WAIT (RFC 1337 TIME-WAIT assassination hazard). */
    TIME_WAIT,
    /** RST for a connection the sender no longer (or never) had: answer to a stray segment. */
    UNKNOWN_CONNECTION,
    /** RST whose sequence number is outside the receiver's window (ignored by the receiver, possibly injected). */
    OUT_OF_WINDOW,
    /**
     * RST inside the receiver's window but not at its next expected sequence number (RFC 5961 3.2, as
     * Linux does): the receiver answers with a challenge ACK and the connection lives on. Not acceptable.
     */
    CHALLENGED,
    /**
     * RST from a host whose socket no longer exists (process gone, its own FIN or RST lost on the way):
     * without ACK and with the answered segment's acknowledgement number as its sequence number (what
     * Linux's tcp_v4_send_reset sends for a segment that finds no socket), answering data the sender
     * never acknowledged. An abort from a live socket sends RST+ACK at SND.NXT and stays {@link #ABORT}.
     */
    NO_SOCKET,
    /** None of the above could be told from the packets. */
    UNEXPLAINED;

    /** Computed once: the writers ask for it several times per connection. */
    private final String jsonName = name().toLowerCase(java.util.Locale.ROOT);

    /** @return the name used in every output format: the constant's name in lower case */
    public String jsonName() {
        return jsonName;
    }
}
