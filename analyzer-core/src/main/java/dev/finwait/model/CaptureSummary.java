package dev.finwait.model;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Totals for one run. {@code problems} counts skipped or malformed frames by {@link DecodeProblem}
 * (e.g. "ipv4 fragment", "truncated tcp header"), in the order of their text; {@code inputError} is the
 * one-line message of a fatal input error (truncated file, corrupt header) after which reading
 * stopped, or null.
 */
public record CaptureSummary(long frames, long tcpSegments, long connections, long malformed, long nonTcp,
                             Map<DecodeProblem, Long> problems, String inputError) {
    public CaptureSummary {
        problems = Collections.unmodifiableMap(new TreeMap<>(problems));
    }

    /** How many frames of {@code reason} (any number) were counted. */
    public long count(DecodeReason reason) {
        long n = 0;
        for (Map.Entry<DecodeProblem, Long> e : problems.entrySet()) {
            if (e.getKey().reason() == reason) {
                n += e.getValue();
            }
        }
        return n;
    }
}
