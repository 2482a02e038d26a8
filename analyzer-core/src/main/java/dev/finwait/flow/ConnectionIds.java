package dev.finwait.flow;

import dev.finwait.tcp.FlowKey;

/**
 * Gives each new incarnation its id. The CLI numbers connections in order of their first packet
 * ({@link #sequential()}); a distributed job may number them otherwise (a hash of the key and first
 * timestamp, or a later renumbering), so the rule is pluggable.
 */
@FunctionalInterface
public interface ConnectionIds {
    /**
     * {@return the id of a new incarnation of {@code key}}
     *
     * @param key        its 4-tuple
     * @param firstNanos capture time of its first segment
     * @param firstFrame frame number of its first segment
     */
    long next(FlowKey key, long firstNanos, long firstFrame);

    /** 1, 2, 3, ... in the order asked. */
    static ConnectionIds sequential() {
        long[] next = {1};
        return (key, firstNanos, firstFrame) -> next[0]++;
    }
}
