package dev.finwait.flink;

import dev.finwait.tcp.FlowKey;
import java.util.Objects;

/**
 * What the analysis is keyed by: the canonical 4-tuple, and the capture point when several are read
 * (the same 4-tuple seen by two sensors is two flows). {@link #CONTROL} carries the clock's steps; keys
 * with a point below it and no flow, the copies of each file's totals ({@link Job#routes}).
 *
 * <p>Not a record: it keeps its hash. The state table hashes and compares the key on every look-up
 * (two per packet and state), and a record's generated equals and hashCode went through method handles
 * (a tenth of an analysis task's time). The hash is the one a record would have, so keys go to the same
 * tasks as before.
 */
final class Key {
    static final Key CONTROL = new Key(-1, null);
    private final int point;
    private final FlowKey flow;
    private final int hash;

    Key(int point, FlowKey flow) {
        this.point = point;
        this.flow = flow;
        this.hash = 31 * point + (flow == null ? 0 : flow.hashCode());
    }

    int point() {
        return point;
    }

    FlowKey flow() {
        return flow;
    }

    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof Key k && k.hash == hash && k.point == point && Objects.equals(k.flow, flow);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return "Key[point=" + point + ", flow=" + flow + "]";
    }
}
