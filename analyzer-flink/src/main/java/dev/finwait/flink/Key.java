package dev.finwait.flink;

import dev.finwait.tcp.FlowKey;

/**
 * What the analysis is keyed by: the canonical 4-tuple, and the capture point when several are read
 * (the same 4-tuple seen by two sensors is two flows). {@link #CONTROL} carries the clock's steps; keys
 * with a point below it and no flow, the copies of each file's totals ({@link Job#routes}).
 */
record Key(int point, FlowKey flow) {
    static final Key CONTROL = new Key(-1, null);

    // Written out, as the core's FlowKey: a record's generated equals and hashCode go through method
    // handles, which were a tenth of an analysis task's time (the state table compares keys on every
    // packet). The same values as the generated ones, so keys go to the same tasks as before.
    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof Key k && k.point == point && java.util.Objects.equals(k.flow, flow);
    }

    @Override
    public int hashCode() {
        return 31 * point + (flow == null ? 0 : flow.hashCode());
    }
}
