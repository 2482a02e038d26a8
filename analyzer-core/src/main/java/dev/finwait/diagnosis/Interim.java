package dev.finwait.diagnosis;

/**
 * The diagnosis so far during a live capture ({@link Diagnosis#soFar}): as of {@code asOfNanos}
 * (capture time), over {@code finished} connections finished and {@code tracked} still tracked.
 *
 * @param asOfNanos capture time of the last packet analyzed, nanoseconds since the epoch
 * @param finished  connections reported so far
 * @param tracked   connections still open (not in the diagnosis yet)
 * @param diagnosis the findings and service/host records over the finished connections
 */
public record Interim(long asOfNanos, long finished, long tracked, DiagnosisResult diagnosis) {
}
