package dev.finwait.model;

/**
 * This connection reuses the 4-tuple of an earlier one.
 *
 * @param previousId   id of the earlier connection on the same 4-tuple
 * @param inTimeWaitOf the side of the earlier connection whose TIME_WAIT window was still open when the
 *                     new SYN came, or null if none was
 * @param legal        whether the reuse is allowed by RFC 1122 4.2.2.13 / RFC 6191: a SYN inside TIME_WAIT
 *                     is acceptable if its ISN is above the old connection's final sequence number (or
 *                     its timestamp above the last one seen)
 * @param reason       one line saying which rule decided {@code legal}
 */
public record Reuse(long previousId, Side inTimeWaitOf, boolean legal, String reason) {
}
