package dev.finwait.model;

/**
 * A side's TIME_WAIT window. Times are capture time, nanoseconds since the epoch.
 *
 * @param side         the side in TIME_WAIT
 * @param fromNanos    when it entered TIME_WAIT
 * @param untilNanos   when 2*MSL would end it ({@code fromNanos} plus the configured TIME_WAIT length)
 * @param endedBy      what actually ended it
 * @param endedAtNanos when it ended
 */
public record TimeWaitWindow(Side side, long fromNanos, long untilNanos, TimeWaitEnd endedBy, long endedAtNanos) {
}
