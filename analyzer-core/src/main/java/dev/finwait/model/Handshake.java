package dev.finwait.model;

/** What became of the opening handshake. */
public enum Handshake {
    /** SYN, SYN-ACK, ACK (or the client's first ACK/data after the SYN-ACK). */
    COMPLETE,
    /** The SYN was answered by RST (connection refused). */
    REFUSED,
    /** SYN(s) sent, no answer seen. */
    UNANSWERED,
    /** Both sides sent a SYN without ACK (RFC 9293 simultaneous open). */
    SIMULTANEOUS,
    /** The capture started after the handshake. */
    NOT_SEEN,
    /** Started but never finished (e.g. SYN-ACK but no final ACK, or aborted half-way). */
    INCOMPLETE,
    /**
     * TCP Fast Open (RFC 7413): a complete handshake whose SYN carried data that the SYN-ACK acknowledged
     * (the server took it before the handshake ended). The SYN's bytes count as the client's payload.
     */
    FAST_OPEN;

    /** Computed once: the writers ask for it several times per connection. */
    private final String jsonName = name().toLowerCase(java.util.Locale.ROOT);

    /** {@return the name in JSON, CSV and text output: the constant's name in lower case} */
    public String jsonName() {
        return jsonName;
    }
}
