package dev.finwait.model;

/** Something odd on a connection that did not stop the analysis (Zeek calls these "weirds"). */
public record Anomaly(AnomalyKind kind, long frame, long atNanos, String detail) {
}
