package dev.finwait.flow;

import java.util.Arrays;

/**
 * A binary min-heap of (time, flow) wake-ups in parallel arrays: comparisons read {@code long[]}s
 * instead of chasing one object per entry, and adding allocates nothing. Entries with equal times
 * come out in order of a tie key (the flow's connection id when added), so the order in which
 * connections finish never depends on the history of the heap.
 */
final class DeadlineHeap {
    private long[] at = new long[1024];
    private long[] tie = new long[1024];
    private Flow[] flow = new Flow[1024];
    private int size;

    boolean isEmpty() {
        return size == 0;
    }

    /** Time of the earliest entry; only when not empty. */
    long peekAt() {
        return at[0];
    }

    void add(long time, long tieKey, Flow f) {
        if (size == at.length) {
            int n = size + (size >> 1);
            at = Arrays.copyOf(at, n);
            tie = Arrays.copyOf(tie, n);
            flow = Arrays.copyOf(flow, n);
        }
        int k = size++;
        while (k > 0) {
            int parent = (k - 1) >>> 1;
            if (!before(time, tieKey, at[parent], tie[parent])) {
                break;
            }
            move(parent, k);
            k = parent;
        }
        set(k, time, tieKey, f);
    }

    /** Tie key of the earliest entry; only when not empty. */
    long peekTie() {
        return tie[0];
    }

    /** Removes the earliest entry and returns its flow; only when not empty. */
    Flow poll() {
        Flow result = flow[0];
        int n = --size;
        long lastAt = at[n];
        long lastTie = tie[n];
        Flow last = flow[n];
        flow[n] = null;
        if (n > 0) {
            int k = 0;
            int half = n >>> 1;
            while (k < half) {
                int child = (k << 1) + 1;
                int right = child + 1;
                if (right < n && before(at[right], tie[right], at[child], tie[child])) {
                    child = right;
                }
                if (!before(at[child], tie[child], lastAt, lastTie)) {
                    break;
                }
                move(child, k);
                k = child;
            }
            set(k, lastAt, lastTie, last);
        }
        return result;
    }

    void clear() {
        Arrays.fill(flow, 0, size, null);
        size = 0;
    }

    private static boolean before(long at1, long tie1, long at2, long tie2) {
        return at1 < at2 || (at1 == at2 && tie1 < tie2);
    }

    private void move(int from, int to) {
        at[to] = at[from];
        tie[to] = tie[from];
        flow[to] = flow[from];
    }

    private void set(int k, long time, long tieKey, Flow f) {
        at[k] = time;
        tie[k] = tieKey;
        flow[k] = f;
    }
}
