package dev.finwait.model;

/**
 * This connection reuses the 4-tuple of connection {@code previousId}.
 * {@code inTimeWaitOf} names the side of the previous incarnation whose TIME_WAIT window was still open
 * when the new SYN came (null if none was). {@code legal} follows RFC 1122 4.2.2.13 / RFC 6191:
 * a SYN inside TIME_WAIT is acceptable if its ISN is above the old connection's final sequence number
 * (or its timestamp above the last one seen).
 */
public record Reuse(long previousId, Side inTimeWaitOf, boolean legal, String reason) {
}
