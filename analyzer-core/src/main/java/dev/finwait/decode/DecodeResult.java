package dev.finwait.decode;

import dev.finwait.tcp.Segment;

/**
 * What one frame turned out to be. Reasons are short, stable strings meant to be counted
 * (e.g. in the summary's problems map), and the common ones are shared constant instances.
 */
public sealed interface DecodeResult {

    /** A TCP segment. */
    record Decoded(Segment segment) implements DecodeResult {
    }

    /** Well-formed, but not something we analyze: "arp", "udp", "ipv4 fragment", "link type 147 not supported". */
    record Skipped(String reason) implements DecodeResult {
    }

    /** Bytes that contradict their own headers: "truncated tcp header", "ipv4 ihl 4 &lt; 5". */
    record Malformed(String reason) implements DecodeResult {
    }
}
