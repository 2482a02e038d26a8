package dev.finwait.tcp;

/**
 * The unordered 4-tuple that names a flow: {@code low} is the smaller endpoint, so both
 * directions of one connection map to the same key.
 */
public record FlowKey(Endpoint low, Endpoint high) {

    public FlowKey {
        if (low.compareTo(high) > 0) {
            throw new IllegalArgumentException("FlowKey endpoints out of order; use FlowKey.of");
        }
    }

    public static FlowKey of(Endpoint a, Endpoint b) {
        return a.compareTo(b) <= 0 ? new FlowKey(a, b) : new FlowKey(b, a);
    }

    @Override
    public String toString() {
        return low + " <-> " + high;
    }
}
