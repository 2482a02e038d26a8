package dev.finwait.diagnosis;

/**
 * The closed set of findings, each with its severity and the mechanism it names. Every kind is
 * decided from facts the connection reports carry (see {@link Diagnosis}); README lists them.
 */
public enum FindingKind {
    /** A side received FIN and did not close for at least the threshold, or never within the capture. */
    CLOSE_WAIT_STUCK(Severity.PROBLEM),
    /** RST caused by data sent after the peer had closed (cause {@code data_after_close}); side = the writer. */
    WRITE_AFTER_PEER_CLOSE(Severity.PROBLEM),
    /** RST after the sender's own FIN with nothing new received (cause {@code abort_after_close}): close() with unread input. */
    CLOSE_WITH_UNREAD_DATA(Severity.PROBLEM),
    /** RST instead of FIN from an open connection (cause {@code abort}): SO_LINGER 0, a killed process, or unread input. */
    ABORTIVE_CLOSE(Severity.WARNING),
    /** SYN answered by RST. */
    REFUSED(Severity.WARNING),
    /** SYN retransmitted, never answered. */
    UNANSWERED_SYN(Severity.WARNING),
    /** The server closed first and holds the TIME_WAIT. */
    TIME_WAIT_ON_SERVER(Severity.INFO),
    /** A new connection on a 4-tuple whose previous connection was still in TIME_WAIT. */
    REUSE_IN_TIME_WAIT(Severity.INFO),
    /** Host level: one client's concurrent TIME_WAIT towards one server ip:port against its ephemeral range. */
    EPHEMERAL_PORT_PRESSURE(Severity.WARNING);

    private final Severity severity;
    private final String jsonName = name().toLowerCase(java.util.Locale.ROOT);

    FindingKind(Severity severity) {
        this.severity = severity;
    }

    /** The usual severity; {@code ephemeral_port_pressure} is a problem from 90 % of the range. */
    public Severity severity() {
        return severity;
    }

    /** {@return the name in JSON and text output: the constant's name in lower case} */
    public String jsonName() {
        return jsonName;
    }
}
