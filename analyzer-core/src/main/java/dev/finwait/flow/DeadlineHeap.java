package dev.finwait.flow;

import dev.finwait.state.ConnectionTracker;
import java.util.Arrays;

/**
 * A binary min-heap of (time, connection) wake-ups in two parallel arrays: comparisons read a
 * {@code long[]} instead of chasing one object per entry, and adding allocates nothing. The sift
 * steps are those of {@link java.util.PriorityQueue}, so entries with equal times come out in the
 * same order as they did from the queue this replaces (and with them, the order of the reports).
 */
final class DeadlineHeap {
    private long[] at = new long[1024];
    private ConnectionTracker[] connection = new ConnectionTracker[1024];
    private int size;

    boolean isEmpty() {
        return size == 0;
    }

    /** Time of the earliest entry; only when not empty. */
    long peekAt() {
        return at[0];
    }

    void add(long time, ConnectionTracker c) {
        if (size == at.length) {
            int n = size + (size >> 1);
            at = Arrays.copyOf(at, n);
            connection = Arrays.copyOf(connection, n);
        }
        int k = size++;
        while (k > 0) {
            int parent = (k - 1) >>> 1;
            if (time >= at[parent]) {
                break;
            }
            at[k] = at[parent];
            connection[k] = connection[parent];
            k = parent;
        }
        at[k] = time;
        connection[k] = c;
    }

    /** Removes the earliest entry and returns its connection; only when not empty. */
    ConnectionTracker poll() {
        ConnectionTracker result = connection[0];
        int n = --size;
        long keyAt = at[n];
        ConnectionTracker key = connection[n];
        connection[n] = null;
        if (n > 0) {
            int k = 0;
            int half = n >>> 1;
            while (k < half) {
                int child = (k << 1) + 1;
                int right = child + 1;
                if (right < n && at[child] > at[right]) {
                    child = right;
                }
                if (keyAt <= at[child]) {
                    break;
                }
                at[k] = at[child];
                connection[k] = connection[child];
                k = child;
            }
            at[k] = keyAt;
            connection[k] = key;
        }
        return result;
    }

    void clear() {
        Arrays.fill(connection, 0, size, null);
        size = 0;
    }
}
