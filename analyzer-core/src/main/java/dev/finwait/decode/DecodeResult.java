package dev.finwait.decode;

import dev.finwait.model.DecodeProblem;
import dev.finwait.tcp.Segment;

/**
 * What one frame turned out to be. Skipped and malformed frames carry a {@link DecodeProblem} (a
 * closed set of reasons, counted in the summary's problems); the common ones are shared instances.
 */
public sealed interface DecodeResult {

    /** A TCP segment. */
    record Decoded(Segment segment) implements DecodeResult {
    }

    /** Well-formed, but not something we analyze: "arp", "udp", "ipv4 fragment", "link type 147 not supported". */
    record Skipped(DecodeProblem problem) implements DecodeResult {
        /** The problem's stable text. */
        public String reason() {
            return problem.text();
        }
    }

    /** Bytes that contradict their own headers: "truncated tcp header", "ipv4 ihl 4 &lt; 5". */
    record Malformed(DecodeProblem problem) implements DecodeResult {
        /** The problem's stable text. */
        public String reason() {
            return problem.text();
        }
    }
}
