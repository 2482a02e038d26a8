package dev.finwait.model;

/** How a connection ended, as far as the capture shows. */
public enum CloseKind {
    /** FIN, ACK, FIN, ACK: each side closed in its own segment. */
    FOUR_WAY,
    /** FIN, FIN+ACK, ACK: the second FIN rode on the ACK of the first. */
    THREE_WAY,
    /** Both FINs crossed: both sides went through CLOSING (RFC 9293 simultaneous close). */
    SIMULTANEOUS,
    /** Only one side sent FIN; the other was still open at the end of the capture. */
    HALF_CLOSED,
    /** Both sides sent FIN but the last ACK was not seen. */
    FINS_UNACKED,
    /** Ended by RST with no FIN before it. */
    RESET,
    /** One or both sides sent FIN, then a RST ended it. */
    FIN_THEN_RESET,
    /** The SYN was refused by RST. */
    REFUSED,
    /** Still open (no FIN, no RST) when the capture ended. */
    OPEN,
    /** Never synchronized: the SYN was unanswered. */
    NEVER_OPENED;

    /** Computed once: the writers ask for it several times per connection. */
    private final String jsonName = name().toLowerCase(java.util.Locale.ROOT);

    /** {@return the name in JSON, CSV and text output: the constant's name in lower case} */
    public String jsonName() {
        return jsonName;
    }
}
