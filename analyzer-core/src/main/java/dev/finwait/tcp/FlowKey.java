package dev.finwait.tcp;

/**
 * The unordered 4-tuple that names a flow, so both directions of one connection map to the same key.
 * Make one with {@link #of}.
 *
 * @param low  the smaller endpoint (by address, then port)
 * @param high the larger endpoint
 */
public record FlowKey(Endpoint low, Endpoint high) {

    // Written out for the per-packet flow lookup (see IpAddress).
    @Override
    public boolean equals(Object o) {
        return o instanceof FlowKey k && k.low.equals(low) && k.high.equals(high);
    }

    @Override
    public int hashCode() {
        return low.hashCode() * 31 + high.hashCode();
    }


    /** Rejects endpoints out of order: two keys for one flow would split it in two. */
    public FlowKey {
        if (low.compareTo(high) > 0) {
            throw new IllegalArgumentException("FlowKey endpoints out of order; use FlowKey.of");
        }
    }

    /** {@return the key of the flow between {@code a} and {@code b}, in either order} */
    public static FlowKey of(Endpoint a, Endpoint b) {
        return a.compareTo(b) <= 0 ? new FlowKey(a, b) : new FlowKey(b, a);
    }

    @Override
    public String toString() {
        return low + " <-> " + high;
    }
}
