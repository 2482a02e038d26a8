package dev.finwait.diagnosis;

/** How bad a finding is, least first. */
public enum Severity {
    /** Worth knowing, not a fault (e.g. the server holds TIME_WAIT). */
    INFO,
    /** Errors an application may see, or a design that fails under more load. */
    WARNING,
    /** A fault the packets show: an application leaks sockets, loses data or gets errors. */
    PROBLEM;

    private final String jsonName = name().toLowerCase(java.util.Locale.ROOT);

    /** {@return the name in JSON and text output: the constant's name in lower case} */
    public String jsonName() {
        return jsonName;
    }
}
