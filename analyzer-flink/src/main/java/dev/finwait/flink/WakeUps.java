package dev.finwait.flink;

import dev.finwait.flow.Flow;
import dev.finwait.model.AnalyzerConfig;
import java.util.Arrays;

/**
 * The wake-ups the CLI's one flow table ({@code FlowTable}) gives one flow, followed here so that the
 * job can tell at which of them the CLI finished the flow. Results do not depend on it (a flow's
 * report has the times of its deadlines, whenever it is woken); only the order in which the CLI hands
 * reports to the diagnosis does, and the diagnosis keeps the first connections it sees as examples.
 *
 * <p>The table's rules: a new incarnation is first woken {@code min(idle, TIME_WAIT)} after its first
 * packet, unless an earlier wake-up is still pending; a packet brings the wake-up forward to the flow's
 * next deadline when that is sooner; a wake-up that does not finish the flow sets the next one at the
 * flow's next deadline. Here each wake-up happens at its own time (the table's happens at the first
 * packet at or after it, which may be much later): {@link #at} is every wake-up of the live
 * incarnation, and the final stage picks the first one after which no packet came before the
 * deadline. It is kept in the key's state with the key's timer.
 */
final class WakeUps {
    private static final int TIMER = 0;
    private static final int SCHEDULED = 1;
    private static final int COUNT = 2;
    private static final int FIRST = 3;
    private final long firstWakeUp;
    /** [the event-time timer set for the key, the table's wake-up, n, n wake-ups]: the key's state, changed in place. */
    private long[] a;

    private WakeUps(long firstWakeUp, long[] a) {
        this.firstWakeUp = firstWakeUp;
        this.a = a;
    }

    static long firstWakeUp(AnalyzerConfig config) {
        long timeWait = config.timeWait().toNanos();
        return Math.min(config.idleTimeout().toNanos(), Math.max(timeWait, 1));
    }

    /** The schedule in {@code state} (null: a new flow, nothing scheduled); {@code state} is changed in place. */
    static WakeUps of(long firstWakeUp, long[] state) {
        if (state == null) {
            state = new long[] {Long.MIN_VALUE, Long.MIN_VALUE, 0, 0, 0, 0};
        }
        return new WakeUps(firstWakeUp, state);
    }

    long[] state() {
        return a;
    }

    /** The event-time timer set for the key, Long.MIN_VALUE for none. */
    long timer() {
        return a[TIMER];
    }

    void timer(long at) {
        a[TIMER] = at;
    }

    /** The wake-ups of the live incarnation so far. */
    long[] wakeUps() {
        return Arrays.copyOfRange(a, FIRST, FIRST + (int) a[COUNT]);
    }

    /**
     * The table's wake-ups due by {@code now}: each moves the flow to its time. Returns the wake-ups
     * of the incarnation when one of them finished it (the flow then starts anew, as the table drops a
     * finished flow), else null.
     */
    long[] wakeUntil(Flow f, long now) {
        for (int guard = 0; guard < 10_000; guard++) {
            long s = a[SCHEDULED];
            if (!f.isLive() || s == Long.MIN_VALUE || s > now) {
                return null;
            }
            add(s);
            a[SCHEDULED] = Long.MIN_VALUE;
            f.advanceTo(s);
            if (!f.isLive()) {
                long[] all = wakeUps();
                a[COUNT] = 0;
                return all;
            }
            a[SCHEDULED] = f.nextDeadline();
        }
        return null;
    }

    /** After the flow took a segment at {@code t}: {@code opened} when it opened an incarnation. */
    void accepted(Flow f, long t, boolean opened) {
        if (opened) {
            a[COUNT] = 0;
            long wake = t + firstWakeUp;
            if (a[SCHEDULED] == Long.MIN_VALUE || wake < a[SCHEDULED]) {
                a[SCHEDULED] = wake;
                return;
            }
        }
        long next = f.nextDeadline();
        if (next < a[SCHEDULED]) {
            a[SCHEDULED] = next;
        }
    }

    private void add(long s) {
        int n = (int) a[COUNT];
        if (FIRST + n == a.length) {
            a = Arrays.copyOf(a, 2 * a.length);
        }
        a[FIRST + n] = s;
        a[COUNT] = n + 1;
    }
}
