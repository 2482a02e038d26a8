package dev.finwait.model;

/** How the client was identified: it sent the first SYN, both sent SYNs, or ports were used to guess. */
public enum Opener {
    /** A SYN or SYN-ACK was captured: the client is the side that sent the SYN (or received the SYN-ACK). */
    SYN,
    /**
     * Reserved for a simultaneous open; today such a connection is reported with {@link #SYN} (the first
     * SYN's sender as client) and {@link Handshake#SIMULTANEOUS}.
     */
    SIMULTANEOUS,
    /**
     * No SYN was captured: the side on an ephemeral-looking port is taken as the client (below 1024 is a
     * server, 32768 and above a client), else the sender of the first packet.
     */
    GUESSED;

    /** Computed once: the writers ask for it several times per connection. */
    private final String jsonName = name().toLowerCase(java.util.Locale.ROOT);

    /** {@return the name in JSON, CSV and text output: the constant's name in lower case} */
    public String jsonName() {
        return jsonName;
    }
}
