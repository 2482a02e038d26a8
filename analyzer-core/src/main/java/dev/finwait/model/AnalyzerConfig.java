package dev.finwait.model;

import java.time.Duration;

/**
 * How the analysis runs. Immutable; change it with the {@code withX} copies.
 *
 * @param timeWait          2*MSL, the length of a TIME_WAIT window (Linux: 60 s; RFC 9293: 2 * 2 min)
 * @param idleTimeout       a connection with no packet for this long (capture time) is finished as "expired idle"
 * @param emitSegments      emit a {@code SegmentSeen} event per segment (ladder diagrams need it)
 * @param retainConnections keep every finished report in the {@link dev.finwait.AnalysisResult} (batch use); off for
 *                          streaming, where reports go only to the listener and memory stays bounded
 * @param verifyChecksums   compute TCP checksums in the decoder; off by default: nothing uses the result
 *                          unless {@code skipBadChecksums} is on, and it costs about a sixth of the time
 * @param skipBadChecksums  drop segments whose checksum is bad from the state machine, as Zeek does
 *                          (only counted, history letter 'C'); off by default because loopback captures
 *                          with checksum offload carry bad checksums on every segment
 */
public record AnalyzerConfig(Duration timeWait, Duration idleTimeout, boolean emitSegments,
                             boolean retainConnections, boolean verifyChecksums, boolean skipBadChecksums) {

    public static final Duration LINUX_TIME_WAIT = Duration.ofSeconds(60);
    /** RFC 9293 3.4.2: MSL is 2 minutes, TIME_WAIT lasts 2*MSL. */
    public static final Duration RFC_TIME_WAIT = Duration.ofMinutes(4);

    public AnalyzerConfig {
        if (timeWait.isNegative() || idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("timeWait must be >= 0 and idleTimeout > 0");
        }
    }

    public static AnalyzerConfig defaults() {
        return new AnalyzerConfig(LINUX_TIME_WAIT, Duration.ofHours(1), false, true, false, false);
    }

    public AnalyzerConfig withTimeWait(Duration d) {
        return new AnalyzerConfig(d, idleTimeout, emitSegments, retainConnections, verifyChecksums, skipBadChecksums);
    }

    public AnalyzerConfig withRfcTimeWait() {
        return withTimeWait(RFC_TIME_WAIT);
    }

    public AnalyzerConfig withIdleTimeout(Duration d) {
        return new AnalyzerConfig(timeWait, d, emitSegments, retainConnections, verifyChecksums, skipBadChecksums);
    }

    public AnalyzerConfig withEmitSegments(boolean on) {
        return new AnalyzerConfig(timeWait, idleTimeout, on, retainConnections, verifyChecksums, skipBadChecksums);
    }

    public AnalyzerConfig withRetainConnections(boolean on) {
        return new AnalyzerConfig(timeWait, idleTimeout, emitSegments, on, verifyChecksums, skipBadChecksums);
    }

    public AnalyzerConfig withVerifyChecksums(boolean on) {
        return new AnalyzerConfig(timeWait, idleTimeout, emitSegments, retainConnections, on, skipBadChecksums);
    }

    public AnalyzerConfig withSkipBadChecksums(boolean on) {
        return new AnalyzerConfig(timeWait, idleTimeout, emitSegments, retainConnections, verifyChecksums || on, on);
    }
}
