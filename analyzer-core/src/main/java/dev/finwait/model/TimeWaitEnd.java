package dev.finwait.model;

/** What ended a TIME_WAIT window. */
public enum TimeWaitEnd {
    /** 2*MSL elapsed (capture time passed {@code until}). */
    TIMER,
    /** A new incarnation of the same 4-tuple started (new SYN) inside the window. */
    REUSE,
    /** A RST reached the side in TIME_WAIT (RFC 1337). */
    RST,
    /** The capture ended while the window was still open. */
    CAPTURE_END,
    /**
     * Still open when the report was written, as soon as the connection's outcome was known (live
     * capture): it ends at {@code until} unless a later packet ends or restarts it, which is then
     * reported on its own. Never in a finished connection's report.
     */
    SCHEDULED;

    /** Computed once: the writers ask for it several times per connection. */
    private final String jsonName = name().toLowerCase(java.util.Locale.ROOT);

    /** {@return the name in JSON, CSV and text output: the constant's name in lower case} */
    public String jsonName() {
        return jsonName;
    }
}
