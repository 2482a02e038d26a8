package dev.finwait.diagnosis;

import java.time.Duration;

/**
 * Thresholds and bounds of the per-service and per-host diagnosis. Immutable; change it with the
 * {@code withX} copies.
 *
 * @param closeWaitThreshold a side that received FIN and neither closed nor sent anything for this long
 *                           is {@code close_wait_stuck}. Default 5 s: a healthy server closes within
 *                           milliseconds of reading EOF (every sample capture: under 0.2 s), and a few
 *                           seconds covers a slow request handler finishing its work first
 * @param ephemeralLow       first port of the clients' ephemeral range (Linux default 32768)
 * @param ephemeralHigh      last port of the range (Linux default 60999)
 * @param portPressureShare  {@code ephemeral_port_pressure} when one client's peak concurrent TIME_WAIT
 *                           towards one server address and port reaches this share of the range (0.5);
 *                           severity problem from 0.9
 * @param seriesPoints       the most buckets a time series keeps (256): past that, buckets merge in pairs
 *                           and the step doubles, so the output has between half of it and all of it
 * @param seriesStep         the first step of the series; null: 1 ms, doubled as the capture grows
 * @param maxTimelines       the most services, hosts and client-to-service pairs with a time series of
 *                           their own (256 of each, the first seen; about 12 KB each), so memory stays
 *                           bounded with many hosts; the others are counted without peaks
 * @param idleTimeout        the analyzer's idle timeout: a connection it expired stayed as it was this long
 * @param maxExamples        connection ids kept per finding (5)
 */
public record DiagnosisConfig(Duration closeWaitThreshold, int ephemeralLow, int ephemeralHigh,
                              double portPressureShare, int seriesPoints, Duration seriesStep, int maxTimelines,
                              Duration idleTimeout, int maxExamples) {

    /** The default {@code closeWaitThreshold}: see there why 5 s. */
    public static final Duration DEFAULT_CLOSE_WAIT_THRESHOLD = Duration.ofSeconds(5);

    /** Rejects thresholds that cannot mean anything (a zero threshold, an empty or reversed port range, fewer than 2 points). */
    public DiagnosisConfig {
        if (closeWaitThreshold.isNegative() || closeWaitThreshold.isZero()) {
            throw new IllegalArgumentException("closeWaitThreshold must be longer than 0");
        }
        if (ephemeralLow < 1 || ephemeralHigh > 65535 || ephemeralLow > ephemeralHigh) {
            throw new IllegalArgumentException("ephemeral range must be LOW-HIGH within 1-65535");
        }
        if (seriesPoints < 2 || maxTimelines < 0 || maxExamples < 0) {
            throw new IllegalArgumentException("seriesPoints >= 2, maxTimelines and maxExamples >= 0");
        }
        if (seriesStep != null && (seriesStep.isNegative() || seriesStep.isZero())) {
            throw new IllegalArgumentException("seriesStep must be longer than 0");
        }
    }

    /** {@return the defaults: 5 s, Linux's ephemeral range 32768-60999, share 0.5, 256 points, 256 timelines, 1 h idle, 5 examples} */
    public static DiagnosisConfig defaults() {
        return new DiagnosisConfig(DEFAULT_CLOSE_WAIT_THRESHOLD, 32768, 60999, 0.5, 256, null, 256,
                Duration.ofHours(1), 5);
    }

    /** {@return the size of the ephemeral range} */
    public int ephemeralPorts() {
        return ephemeralHigh - ephemeralLow + 1;
    }

    /** {@return a copy with the CLOSE_WAIT threshold {@code d}} */
    public DiagnosisConfig withCloseWaitThreshold(Duration d) {
        return new DiagnosisConfig(d, ephemeralLow, ephemeralHigh, portPressureShare, seriesPoints, seriesStep,
                maxTimelines, idleTimeout, maxExamples);
    }

    /** {@return a copy with the ephemeral range {@code low}-{@code high} (inclusive)} */
    public DiagnosisConfig withEphemeralRange(int low, int high) {
        return new DiagnosisConfig(closeWaitThreshold, low, high, portPressureShare, seriesPoints, seriesStep,
                maxTimelines, idleTimeout, maxExamples);
    }

    /** {@return a copy whose series start at step {@code d} (null: 1 ms)} */
    public DiagnosisConfig withSeriesStep(Duration d) {
        return new DiagnosisConfig(closeWaitThreshold, ephemeralLow, ephemeralHigh, portPressureShare, seriesPoints, d,
                maxTimelines, idleTimeout, maxExamples);
    }

    /** {@return a copy whose series keep at most {@code n} points} */
    public DiagnosisConfig withSeriesPoints(int n) {
        return new DiagnosisConfig(closeWaitThreshold, ephemeralLow, ephemeralHigh, portPressureShare, n, seriesStep,
                maxTimelines, idleTimeout, maxExamples);
    }

    /** {@return a copy that keeps at most {@code n} time series of each kind} */
    public DiagnosisConfig withMaxTimelines(int n) {
        return new DiagnosisConfig(closeWaitThreshold, ephemeralLow, ephemeralHigh, portPressureShare, seriesPoints,
                seriesStep, n, idleTimeout, maxExamples);
    }

    /** {@return a copy with the analyzer's idle timeout {@code d} (the diagnosis must use the analyzer's)} */
    public DiagnosisConfig withIdleTimeout(Duration d) {
        return new DiagnosisConfig(closeWaitThreshold, ephemeralLow, ephemeralHigh, portPressureShare, seriesPoints,
                seriesStep, maxTimelines, d, maxExamples);
    }
}
