package dev.finwait.model;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Totals for one run.
 *
 * @param frames      frames read
 * @param tcpSegments frames decoded to a TCP segment
 * @param connections connections found (every incarnation of a 4-tuple counts)
 * @param malformed   frames whose bytes contradict their own headers (a {@link DecodeReason#malformed()} reason)
 * @param nonTcp      well-formed frames that carry no TCP (ARP, UDP, ICMP, fragments, ...)
 * @param problems    skipped or malformed frames counted by {@link DecodeProblem} (e.g. "ipv4 fragment",
 *                    "truncated tcp header"), in the order of their text
 * @param inputError  the one-line message of a fatal input error (truncated file, corrupt header) after
 *                    which reading stopped, or null
 */
public record CaptureSummary(long frames, long tcpSegments, long connections, long malformed, long nonTcp,
                             Map<DecodeProblem, Long> problems, String inputError) {
    /** Sorts the problems by text and makes them unmodifiable: outputs list them in that order. */
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
