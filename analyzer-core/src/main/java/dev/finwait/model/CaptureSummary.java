package dev.finwait.model;

import java.util.Map;

/**
 * Totals for one run. {@code problems} counts skipped or malformed frames by reason
 * (e.g. "ipv4 fragment", "truncated tcp header"); {@code inputError} is the one-line message of a
 * fatal input error (truncated file, corrupt header) after which reading stopped, or null.
 */
public record CaptureSummary(long frames, long tcpSegments, long connections, long malformed, long nonTcp,
                             Map<String, Long> problems, String inputError) {
    public CaptureSummary {
        problems = Map.copyOf(problems);
    }
}
