package dev.finwait.flow;

import dev.finwait.tcp.FlowKey;
import dev.finwait.tcp.Segment;
import java.util.List;

/**
 * The live {@link Flow}s of one analysis by 4-tuple, and one clock: capture time, moved forward by
 * every segment, wakes the flows whose deadlines have passed, earliest first (ties by connection id),
 * so that no flow's report depends on the packets of the others. A flow whose incarnation finished is
 * dropped; memory is bounded by live connections.
 */
public final class FlowTable {
    private final Flow.Context context;
    private final long firstWakeUp;
    private final FlowMap live = new FlowMap();
    private final DeadlineHeap deadlines = new DeadlineHeap();
    private long opened;
    private long clock = Long.MIN_VALUE;
    /** The latest packet time: the end of the capture (a live capture's quiet-wire ticks move only the clock). */
    private long lastPacket = Long.MIN_VALUE;
    // The heap entry (time, tie) whose flow is being woken, while it is; for a sharded analysis's merge order.
    private long wakingAt = Long.MIN_VALUE;
    private long wakingTie;
    /**
     * How many segments {@link #warm} takes at once (LiveConnectionsCpu at 100,000 flows, ns per packet:
     * groups of 4: 332, 8: 295-300, 12: 385, 16: 352-371, 32: 388; more misses in flight than the core
     * can track only queue).
     */
    public static final int WARM_GROUP = 8;
    // Below this many live flows warm() does nothing. LiveConnectionsCpu, ns per packet without / with the
    // warm-up (groups of 16): 1,000 flows 70 / 98, 4,000 103 / 110, 16,000 235 / 208, 40,000 430 / 312,
    // 100,000 552 / 371. But a real capture's packets come in bursts per connection, so its live flows are
    // mostly idle (TIME_WAIT, linger) and the busy ones warm already: analyzing the 1 M capture from
    // memory (ReplayCpu; about 17,000 flows live at its end) took 193-212 ns per packet without and
    // 215-228 with.
    // From 65,536 live flows (85 MB of them, well past any cache) it is done.
    private static final int WARM_MIN = 65_536;
    private final int warmMin;
    // What the last warm() found, for accept() to use instead of looking the flow up again: the segments in
    // order, each one's flow (null: none then), and the next one accept() expects.
    private final Flow[] warmFlows = new Flow[WARM_GROUP];
    private final Segment[] warmSegments = new Segment[WARM_GROUP];
    private int warmNext;
    private int warmCount;
    private long warmSink; // what warm() read, kept so that the reads are not dropped as unused

    /** An empty table; every flow it makes shares {@code context}. */
    public FlowTable(Flow.Context context) {
        this(context, WARM_MIN);
    }

    /** An empty table whose {@link #warm} works from {@code warmMin} live flows on (tests: from none). */
    FlowTable(Flow.Context context, int warmMin) {
        this.context = context;
        this.warmMin = warmMin;
        long timeWait = context.config().timeWait().toNanos();
        long idle = context.config().idleTimeout().toNanos();
        this.firstWakeUp = Math.min(idle, Math.max(timeWait, 1));
    }

    /** Incarnations opened so far. */
    public long connectionsSeen() {
        return opened;
    }

    /** {@return the flows whose incarnation has not finished: what the table holds in memory} */
    public int liveConnections() {
        return live.size();
    }

    /**
     * Moves the clock to the segment's time (finishing the flows whose deadlines passed), then hands it to
     * its 4-tuple's flow, making one if there is none; the other parameters are {@link Flow#accept}'s.
     */
    public void accept(Segment s, Segment zeekView, int capturedPayload) {
        advanceTo(s.timeNanos());
        lastPacket = Math.max(lastPacket, s.timeNanos());
        Flow f = warmed(s);
        if (f == null) {
            f = live.get(s.src(), s.dst());
        }
        if (f == null) {
            f = new Flow(s.flowKey(), context);
            live.put(f);
        }
        // The table's clock already woke every flow due by now, this one included.
        boolean opened = f.acceptAdvanced(s, zeekView, capturedPayload);
        long next = f.nextDeadline();
        f.deadline = next;
        if (opened) {
            this.opened++;
            // No incarnation finishes sooner than this; its real deadline is set when the wake-up finds
            // it (one heap entry per connection: a first entry at the idle timeout would stay in the
            // heap, with its flow, for an hour of capture time).
            long wake = s.timeNanos() + firstWakeUp;
            if (f.scheduledAt == Long.MIN_VALUE || wake < f.scheduledAt) {
                schedule(f, wake);
                return;
            }
        }
        // A segment can bring the deadline closer only by closing the connection (the idle timeout gives
        // way to TIME_WAIT and the linger); a later deadline is left to the wake-up, which finds it early.
        if (next < f.scheduledAt) {
            schedule(f, next);
        }
    }

    /**
     * Brings into the cache what {@link #accept} will read for each of {@code segments[from, to)} (at most
     * {@link #WARM_GROUP} of them): changes nothing. With many connections live nearly every packet's
     * flow is cold, and one packet's reads depend on each other (slot, flow, tracker, sides), so alone
     * they are a chain of cache misses. Done stage by stage for a group of packets (every lookup, then every
     * flow's objects, then what those point to), the misses of one stage are independent of each other
     * and the processor overlaps them. The lookups are kept for {@link #accept}. (A first stage that only
     * read each lookup's home slot, and warming the flows the next wake-ups will read, cost more than
     * they saved.)
     */
    public void warm(Segment[] segments, int from, int to) {
        if (live.size() < warmMin) {
            return; // the flows fit in the cache: the extra lookups would cost more than they save
        }
        int n = Math.min(to - from, WARM_GROUP);
        if (n <= 0) {
            return;
        }
        Flow[] flows = warmFlows;
        long sink = 0;
        for (int i = 0; i < n; i++) {
            Segment s = segments[from + i];
            flows[i] = live.get(s.src(), s.dst());
            warmSegments[i] = s;
        }
        for (int i = 0; i < n; i++) {
            Flow f = flows[i];
            if (f != null) {
                sink += f.touch();
            }
        }
        for (int i = 0; i < n; i++) {
            Flow f = flows[i];
            if (f != null) {
                sink += f.touchParts();
            }
        }
        warmSink += sink;
        warmNext = 0;
        warmCount = n;
    }

    /**
     * The flow warm() found for {@code s} if {@code s} is the next segment it took and that flow is still
     * live (a live flow is the one in the table under its key); else null, and the table is asked. A flow
     * made or finished since the warm-up is looked up as usual.
     */
    private Flow warmed(Segment s) {
        if (warmNext == warmCount) {
            return null;
        }
        int i = warmNext;
        if (warmSegments[i] != s) {
            forgetWarmed();
            return null;
        }
        Flow f = warmFlows[i];
        warmFlows[i] = null;
        warmSegments[i] = null;
        warmNext = i + 1;
        return f != null && f.isLive() ? f : null;
    }

    private void forgetWarmed() {
        java.util.Arrays.fill(warmFlows, null);
        java.util.Arrays.fill(warmSegments, null);
        warmNext = 0;
        warmCount = 0;
    }

    /** Moves capture time forward: wakes the flows that are due, finishes what is over. */
    public void advanceTo(long now) {
        if (now <= clock) {
            return; // timestamps going backwards do not rewind timers
        }
        clock = now;
        while (!deadlines.isEmpty() && deadlines.peekAt() <= now) {
            long at = deadlines.peekAt();
            long tie = deadlines.peekTie();
            Flow f = deadlines.poll();
            if (at != f.scheduledAt || !f.isLive()) {
                continue; // stale: the flow was rescheduled since, or dropped
            }
            f.scheduledAt = Long.MIN_VALUE;
            if (f.deadline > now) {
                // Nothing is due (no TIME_WAIT window ends, the flow is not over): f.advanceTo(now) would
                // change nothing, and the next wake-up is its deadline.
                schedule(f, f.deadline);
                continue;
            }
            wakingAt = at;
            wakingTie = tie;
            f.advanceTo(now);
            wakingAt = Long.MIN_VALUE;
            if (f.isLive()) {
                f.deadline = f.nextDeadline();
                schedule(f, f.deadline);
            } else {
                live.remove(f);
            }
        }
    }

    private void schedule(Flow f, long at) {
        f.scheduledAt = at;
        deadlines.add(at, f.connectionId(), f);
    }

    /**
     * End of input: every live connection is finished, in id order, at the time of the last packet (in
     * a file that is the clock; a live capture's wall-clock ticks after it do not count, so a stopped
     * capture ends as its --write file does).
     */
    public void finishAll() {
        finishAll(lastPacket != Long.MIN_VALUE ? lastPacket : clock);
    }

    /**
     * End of input at capture time {@code end}: {@link #finishAll()} for a table that holds only some of
     * the capture's flows (a shard), whose own last packet is not the capture's.
     */
    public void finishAll(long end) {
        List<Flow> rest = live.valuesById();
        for (Flow f : rest) {
            f.finishAtEnd(end);
        }
        // Emptied at once: removing the connections one by one (each removal reads a cold key) took
        // about 10 ms for the 17,000 still in the table at the end of the 1 M-packet capture.
        live.clear();
        deadlines.clear();
        forgetWarmed();
    }

    /**
     * While a wake-up finishes a connection (inside {@link #advanceTo}): the time of the heap entry that
     * woke it, else {@code Long.MIN_VALUE}. Connections woken by one clock step finish in the order of
     * (this time, {@link #wakingTie()}), which is how a sharded analysis merges its shards' finishes.
     */
    public long wakingAt() {
        return wakingAt;
    }

    /** The tie key (connection id when scheduled) of the entry that {@link #wakingAt()} belongs to. */
    public long wakingTie() {
        return wakingTie;
    }

    /**
     * Each live incarnation as it stands now (at the table's clock), in id order, for provisional
     * reports (a live capture's summary so far). Only on the analysis thread, and only to be judged
     * there and then: the trackers go on changing afterwards.
     */
    public void forEachLive(java.util.function.Consumer<FinishedConnection> each) {
        for (Flow f : live.valuesById()) {
            if (f.isLive()) {
                each.accept(f.asItStands(clock));
            }
        }
    }

    /** The flow of {@code key}, or null: for tests. */
    Flow flow(FlowKey key) {
        return live.get(key.low(), key.high());
    }
}
