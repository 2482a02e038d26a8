package dev.finwait.model;

/**
 * A side's TIME_WAIT: entered at {@code fromNanos}, would last until {@code untilNanos}
 * (= from + 2*MSL), actually ended at {@code endedAtNanos} by {@code endedBy}.
 */
public record TimeWaitWindow(Side side, long fromNanos, long untilNanos, TimeWaitEnd endedBy, long endedAtNanos) {
}
