package dev.finwait.diagnosis;

/**
 * The diagnosis so far during a live capture ({@link Diagnosis#soFar}): as of {@code asOfNanos}
 * (capture time), over {@code finished} connections finished and {@code tracked} still tracked.
 */
public record Interim(long asOfNanos, long finished, long tracked, DiagnosisResult diagnosis) {
}
