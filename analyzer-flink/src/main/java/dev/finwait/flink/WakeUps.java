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
 * deadline. The form in state is {@code [scheduled, wake-up...]}.
 */
final class WakeUps {
    private final long firstWakeUp;
    long scheduled = Long.MIN_VALUE;
    private long[] at = new long[4];
    private int n;

    WakeUps(AnalyzerConfig config) {
        long timeWait = config.timeWait().toNanos();
        this.firstWakeUp = Math.min(config.idleTimeout().toNanos(), Math.max(timeWait, 1));
    }

    static WakeUps of(AnalyzerConfig config, long[] state) {
        WakeUps w = new WakeUps(config);
        if (state != null && state.length > 0) {
            w.scheduled = state[0];
            w.n = state.length - 1;
            w.at = Arrays.copyOfRange(state, 1, Math.max(state.length, 5));
        }
        return w;
    }

    long[] state() {
        long[] s = new long[n + 1];
        s[0] = scheduled;
        System.arraycopy(at, 0, s, 1, n);
        return s;
    }

    /** The wake-ups of the live incarnation so far. */
    long[] wakeUps() {
        return Arrays.copyOf(at, n);
    }

    /**
     * The table's wake-ups due by {@code now}: each moves the flow to its time. Returns the wake-ups
     * of the incarnation when one of them finished it (the flow then starts anew, as the table drops a
     * finished flow), else null.
     */
    long[] wakeUntil(Flow f, long now) {
        for (int guard = 0; guard < 10_000; guard++) {
            if (!f.isLive() || scheduled == Long.MIN_VALUE || scheduled > now) {
                return null;
            }
            long s = scheduled;
            add(s);
            scheduled = Long.MIN_VALUE;
            f.advanceTo(s);
            if (!f.isLive()) {
                long[] all = wakeUps();
                n = 0;
                return all;
            }
            scheduled = f.nextDeadline();
        }
        return null;
    }

    /** After the flow took a segment at {@code t}: {@code opened} when it opened an incarnation. */
    void accepted(Flow f, long t, boolean opened) {
        if (opened) {
            n = 0;
            long wake = t + firstWakeUp;
            if (scheduled == Long.MIN_VALUE || wake < scheduled) {
                scheduled = wake;
                return;
            }
        }
        long next = f.nextDeadline();
        if (next < scheduled) {
            scheduled = next;
        }
    }

    private void add(long s) {
        if (n == at.length) {
            at = Arrays.copyOf(at, 2 * n + 4);
        }
        at[n++] = s;
    }
}
