package dev.finwait.flink;

import dev.finwait.tcp.FlowKey;

/**
 * What the analysis is keyed by: the canonical 4-tuple, and the capture point when several are read
 * (the same 4-tuple seen by two sensors is two flows). {@link #CONTROL} carries the per-file records.
 */
record Key(int point, FlowKey flow) {
    static final Key CONTROL = new Key(-1, null);
}
