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
                             boolean retainConnections, boolean verifyChecksums, boolean skipBadChecksums)
        implements java.io.Serializable {

    /** Linux's TIME_WAIT length ({@code TCP_TIMEWAIT_LEN}, fixed at 60 s): the default. */
    public static final Duration LINUX_TIME_WAIT = Duration.ofSeconds(60);
    /** RFC 9293 3.4.2: MSL is 2 minutes, TIME_WAIT lasts 2*MSL. */
    public static final Duration RFC_TIME_WAIT = Duration.ofMinutes(4);

    /**
     * Checks the durations.
     *
     * @throws IllegalArgumentException when {@code timeWait} is negative or {@code idleTimeout} is not positive
     */
    public AnalyzerConfig {
        if (timeWait.isNegative() || idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("timeWait must be >= 0 and idleTimeout > 0");
        }
    }

    /**
     * Linux's 60 s TIME_WAIT, a 1 h idle timeout, reports retained, no per-segment events, checksums
     * not verified.
     *
     * @return the default configuration
     */
    public static AnalyzerConfig defaults() {
        return new AnalyzerConfig(LINUX_TIME_WAIT, Duration.ofHours(1), false, true, false, false);
    }

    /**
     * @param d the TIME_WAIT length (2*MSL), zero or more
     * @return a copy with that TIME_WAIT length
     */
    public AnalyzerConfig withTimeWait(Duration d) {
        return new AnalyzerConfig(d, idleTimeout, emitSegments, retainConnections, verifyChecksums, skipBadChecksums);
    }

    /** @return a copy with RFC 9293's TIME_WAIT of 4 minutes ({@link #RFC_TIME_WAIT}) */
    public AnalyzerConfig withRfcTimeWait() {
        return withTimeWait(RFC_TIME_WAIT);
    }

    /**
     * @param d how long (capture time) a connection may go without a packet before it is finished
     *          as "expired idle"; more than zero
     * @return a copy with that idle timeout
     */
    public AnalyzerConfig withIdleTimeout(Duration d) {
        return new AnalyzerConfig(timeWait, d, emitSegments, retainConnections, verifyChecksums, skipBadChecksums);
    }

    /**
     * @param on emit a {@code SegmentSeen} event per segment (for ladder diagrams; it costs time)
     * @return a copy with that setting
     */
    public AnalyzerConfig withEmitSegments(boolean on) {
        return new AnalyzerConfig(timeWait, idleTimeout, on, retainConnections, verifyChecksums, skipBadChecksums);
    }

    /**
     * @param on keep every finished report for the {@link dev.finwait.AnalysisResult}; off for
     *           streaming with bounded memory (reports then go only to the listener)
     * @return a copy with that setting
     */
    public AnalyzerConfig withRetainConnections(boolean on) {
        return new AnalyzerConfig(timeWait, idleTimeout, emitSegments, on, verifyChecksums, skipBadChecksums);
    }

    /**
     * @param on compute TCP checksums in the decoder (counted; used only with {@link #withSkipBadChecksums})
     * @return a copy with that setting
     */
    public AnalyzerConfig withVerifyChecksums(boolean on) {
        return new AnalyzerConfig(timeWait, idleTimeout, emitSegments, retainConnections, on, skipBadChecksums);
    }

    /**
     * @param on keep segments with a bad checksum out of the state machine, as Zeek does without
     *           {@code -C}; turns checksum verification on too
     * @return a copy with that setting
     */
    public AnalyzerConfig withSkipBadChecksums(boolean on) {
        return new AnalyzerConfig(timeWait, idleTimeout, emitSegments, retainConnections, verifyChecksums || on, on);
    }
}
