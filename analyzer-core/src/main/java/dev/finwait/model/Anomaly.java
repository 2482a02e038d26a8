package dev.finwait.model;

/**
 * Something odd on a connection that did not stop the analysis (Zeek calls these "weirds").
 *
 * @param kind    what it was
 * @param frame   the frame that showed it (1-based)
 * @param atNanos capture time, nanoseconds since the epoch
 * @param detail  one line for a person ("RST seq 1234 outside the receiver's window")
 */
public record Anomaly(AnomalyKind kind, long frame, long atNanos, String detail) {
}
