package dev.finwait.diagnosis;

import java.util.Arrays;

/**
 * How many connections are in each {@link SeriesState} over capture time, in at most {@code points}
 * buckets of one step each. Intervals arrive in any order (a report comes when its connection
 * finishes, long after it started), so each bucket keeps the signed number of interval ends that fall
 * in it and their signed offsets from the bucket's start: the count just before the bucket ends is
 * the running sum of the first, and the time-weighted mean over the bucket follows from the second
 * (mean = count at its end - offsets / step). Both are exact for any order of arrival.
 *
 * <p>Memory is fixed: when an interval falls outside the buckets and the used span cannot be shifted
 * to hold it, adjacent buckets are merged and the step doubles (steps are powers of two times the
 * first one, aligned on multiples of the step, so two timelines can be brought to one step exactly).
 */
final class Timeline {
    private final int points;
    private final int states;
    private long step;
    /** Absolute bucket number (time / step) of slot 0; valid once {@code used}. */
    private long lo;
    private boolean used;
    private long minUsed;
    private long maxUsed;
    private final int[][] ends;
    private final double[][] offsets;
    /** Intervals still open when the capture ended: the exact count at its last instant. */
    private final long[] atEnd;

    Timeline(int states, int points, long stepNanos) {
        if (points < 2 || stepNanos < 1) {
            throw new IllegalArgumentException("points >= 2 and step >= 1 ns");
        }
        this.points = points;
        this.states = states;
        this.step = stepNanos;
        this.ends = new int[states][points];
        this.offsets = new double[states][points];
        this.atEnd = new long[states];
    }

    /** A deep copy (for a summary so far that finishes the copy). */
    Timeline copy() {
        Timeline c = new Timeline(states, points, step);
        c.lo = lo;
        c.used = used;
        c.minUsed = minUsed;
        c.maxUsed = maxUsed;
        for (int s = 0; s < states; s++) {
            System.arraycopy(ends[s], 0, c.ends[s], 0, points);
            System.arraycopy(offsets[s], 0, c.offsets[s], 0, points);
        }
        System.arraycopy(atEnd, 0, c.atEnd, 0, states);
        return c;
    }

    long step() {
        return step;
    }

    boolean isEmpty() {
        return !used;
    }

    /** The connection was in {@code state} from {@code from} (inclusive) to {@code to} (exclusive). */
    void add(int state, long from, long to) {
        if (to <= from) {
            return;
        }
        fit(from, to);
        point(state, from, 1);
        point(state, to, -1);
    }

    private void point(int state, long t, int sign) {
        long k = Math.floorDiv(t, step);
        int slot = (int) (k - lo);
        ends[state][slot] += sign;
        offsets[state][slot] += sign * (double) (t - k * step);
    }

    /** As {@link #add}, for an interval that lasted until the end of the capture. */
    void addUntilEnd(int state, long from, long end) {
        add(state, from, end);
        atEnd[state]++;
    }

    /** Makes room for the buckets of {@code from} and {@code to}: shift the window, else coarsen. */
    private void fit(long from, long to) {
        for (int guard = 0; guard < 64; guard++) {
            long a = Math.floorDiv(from, step);
            long b = Math.floorDiv(to, step);
            long min = used ? Math.min(minUsed, a) : a;
            long max = used ? Math.max(maxUsed, b) : b;
            if (max - min < points) {
                if (!used) {
                    lo = min;
                    used = true;
                } else if (min < lo) {
                    shift(min);
                } else if (max >= lo + points) {
                    shift(max - points + 1);
                }
                minUsed = min;
                maxUsed = max;
                return;
            }
            coarsen();
        }
        throw new IllegalStateException("interval does not fit: " + from + ".." + to);
    }

    /** Moves slot 0 to absolute bucket {@code newLo}; only empty slots fall off. */
    private void shift(long newLo) {
        int by = (int) (newLo - lo); // > 0: contents move left
        for (int s = 0; s < states; s++) {
            int[] e = ends[s];
            double[] o = offsets[s];
            if (by > 0) {
                System.arraycopy(e, by, e, 0, points - by);
                System.arraycopy(o, by, o, 0, points - by);
                Arrays.fill(e, points - by, points, 0);
                Arrays.fill(o, points - by, points, 0);
            } else {
                System.arraycopy(e, 0, e, -by, points + by);
                System.arraycopy(o, 0, o, -by, points + by);
                Arrays.fill(e, 0, -by, 0);
                Arrays.fill(o, 0, -by, 0);
            }
        }
        lo = newLo;
    }

    /** Doubles the step: buckets 2k and 2k+1 become bucket k. */
    void coarsen() {
        if (!used) {
            step *= 2;
            return;
        }
        long newLo = Math.floorDiv(lo, 2);
        for (int s = 0; s < states; s++) {
            int[] e = new int[points];
            double[] o = new double[points];
            for (int i = 0; i < points; i++) {
                if (ends[s][i] == 0 && offsets[s][i] == 0) {
                    continue;
                }
                long k = lo + i;
                int t = (int) (Math.floorDiv(k, 2) - newLo);
                e[t] += ends[s][i];
                o[t] += offsets[s][i] + (Math.floorMod(k, 2) == 1 ? ends[s][i] * (double) step : 0);
            }
            ends[s] = e;
            offsets[s] = o;
        }
        lo = newLo;
        minUsed = Math.floorDiv(minUsed, 2);
        maxUsed = Math.floorDiv(maxUsed, 2);
        step *= 2;
    }

    /** Coarsens until the step is at least {@code target} (both powers of two of the same first step). */
    void coarsenTo(long target) {
        for (int guard = 0; guard < 64 && step < target; guard++) {
            coarsen();
        }
    }

    /** Start of the first used bucket (epoch nanoseconds). */
    long start() {
        return minUsed * step;
    }

    /** Number of used buckets, from the first to the last. */
    int length() {
        return used ? (int) (maxUsed - minUsed + 1) : 0;
    }

    /** Time-weighted mean number in {@code state} during each used bucket. */
    double[] means(int state) {
        return means(state, minUsed, length());
    }

    /** The means of {@code n} buckets from absolute bucket {@code first}; 0 outside the used ones. */
    double[] means(int state, long first, int n) {
        double[] out = new double[n];
        long count = 0;
        for (int slot = 0; slot < points && lo + slot < first; slot++) {
            count += ends[state][slot];
        }
        for (int i = 0; i < n; i++) {
            long k = first + i;
            int slot = (int) (k - lo);
            if (used && slot >= 0 && slot < points) {
                count += ends[state][slot];
                out[i] = Math.max(0, count - offsets[state][slot] / step);
            } else {
                out[i] = Math.max(0, count);
            }
        }
        return out;
    }

    /** Absolute number of the last used bucket. */
    long lastBucket() {
        return maxUsed;
    }

    long firstBucket() {
        return minUsed;
    }

    /**
     * The largest number in {@code state} seen at once: the exact count at each bucket's end, or a
     * bucket's mean, or the number still there when the capture ended, whichever is largest. Never more than the true peak (a burst shorter than a step
     * between two bucket ends can be missed).
     */
    long peak(int state) {
        if (!used) {
            return 0;
        }
        long count = 0;
        double best = atEnd[state];
        int first = (int) (minUsed - lo);
        for (int i = 0; i < length(); i++) {
            int slot = first + i;
            count += ends[state][slot];
            best = Math.max(best, Math.max(count, count - offsets[state][slot] / step));
        }
        return (long) Math.floor(best + 1e-9);
    }
}
