package dev.finwait.flow;

import dev.finwait.compat.CompletenessTracker;
import dev.finwait.compat.ZeekConnTracker;
import dev.finwait.event.ConnectionEvent;
import dev.finwait.model.AnalyzerConfig;
import dev.finwait.model.Reuse;
import dev.finwait.model.Side;
import dev.finwait.model.TimeWaitEnd;
import dev.finwait.snapshot.SnapshotFormatException;
import dev.finwait.snapshot.SnapshotReader;
import dev.finwait.snapshot.SnapshotWriter;
import dev.finwait.state.ConnectionTracker;
import dev.finwait.state.Incarnations;
import dev.finwait.tcp.FlowKey;
import dev.finwait.tcp.Segment;
import java.util.function.Consumer;

/**
 * One 4-tuple over time, the unit of the analysis: its live incarnation (both sides' state machines,
 * with Zeek's and Wireshark's observers beside them), the rule that starts the next one, and the
 * deadline that ends it. Fed the 4-tuple's segments in capture order; hands each incarnation to
 * {@link Context#finished()} once nothing more can happen to it. Needs nothing else: the
 * {@link FlowTable} keeps one per live 4-tuple, a keyed stream processor one per key.
 *
 * <p>A connection finishes when capture time passes its deadline: for a closed one, its TIME_WAIT
 * windows and a linger of 2*MSL after its last packet (stray RSTs and retransmitted FINs still belong
 * to it); for an open one, the idle timeout; or when a new SYN starts the next incarnation.
 */
public final class Flow {
    /**
     * What every flow of one analysis shares.
     *
     * @param config   the analysis' settings
     * @param ids      numbers each new incarnation
     * @param events   takes every event; null when nobody registered for events (then none is built)
     * @param finished takes each incarnation once nothing more can happen to it
     * @param outcomes when not null, is handed the live incarnation once its outcome is known (both sides
     *                 closed or in TIME_WAIT): a snapshot to judge at once, on this thread, before the next
     *                 segment changes it (live capture writes each connection then, not after TIME_WAIT)
     */
    public record Context(AnalyzerConfig config, ConnectionIds ids, Consumer<ConnectionEvent> events,
                          FinishedSink finished, FinishedSink outcomes) {
        /** Without {@code outcomes}: nobody is told when an outcome is known. */
        public Context(AnalyzerConfig config, ConnectionIds ids, Consumer<ConnectionEvent> events, FinishedSink finished) {
            this(config, ids, events, finished, null);
        }

        long timeWaitNanos() {
            return config.timeWait().toNanos();
        }

        long idleNanos() {
            return config.idleTimeout().toNanos();
        }
    }

    /** Where finished incarnations go to be judged and reported. */
    @FunctionalInterface
    public interface FinishedSink {
        /** Takes an incarnation; it is not touched by the analysis again. */
        void finished(FinishedConnection c);
    }

    private final FlowKey key;
    private final Context context;
    private ConnectionTracker tracker; // the live incarnation; null once it finished and no other began
    private ZeekConnTracker zeek;
    private CompletenessTracker completeness;
    private boolean outcomeTold; // the live incarnation's outcome went to Context.outcomes (snapshotted too)
    // The FlowTable's wake-up for this flow: an entry in its heap at another time is stale.
    long scheduledAt = Long.MIN_VALUE;
    // The hash its FlowMap stored it under (set by the map): removal finds it without reading the key.
    int mapHash;
    // The FlowTable's copies of nextDeadline() as of the flow's last change and of the live incarnation's id,
    // so that a wake-up that finds nothing due (the first one of nearly every connection, a minute of capture
    // time after it opened) reads this object only, not the (cold) trackers. Long.MIN_VALUE: not known.
    long deadline = Long.MIN_VALUE;
    long liveId;

    /** A flow of {@code key} with no incarnation yet: the first segment starts one. */
    public Flow(FlowKey key, Context context) {
        this.key = key;
        this.context = context;
    }

    /** {@return the 4-tuple} */
    public FlowKey key() {
        return key;
    }

    /** Whether an incarnation is live (not yet finished). */
    public boolean isLive() {
        return tracker != null;
    }

    /** The live incarnation's id; only while {@link #isLive()}. */
    public long connectionId() {
        return liveId;
    }

    /** The live incarnation as it stands at {@code now} (not finished: provisional); only while {@link #isLive()}. */
    FinishedConnection asItStands(long now) {
        return new FinishedConnection(tracker, zeek, completeness, Math.max(now, tracker.lastNanos()));
    }

    /** Reads this flow's objects' first lines (for {@link FlowTable#warm}); the result means nothing. */
    long touch() {
        ConnectionTracker t = tracker;
        return t == null ? 0 : t.touch() + zeek.touch() + completeness.touch();
    }

    /** Reads what the flow's objects point to (for {@link FlowTable#warm}); the result means nothing. */
    long touchParts() {
        ConnectionTracker t = tracker;
        return t == null ? 0 : t.touchParts() + zeek.touchParts();
    }

    /** The live incarnation; only while {@link #isLive()}. For snapshots and tests. */
    ConnectionTracker tracker() {
        return tracker;
    }

    /**
     * Analyzes one segment of this 4-tuple. First moves the flow's time to the segment's (a deadline
     * passed finishes the live incarnation); a SYN that starts a new incarnation finishes the old one.
     * {@code zeekView} is the segment as Zeek would judge its checksum; {@code capturedPayload} how
     * much of its payload the capture holds. Returns true when the segment opened an incarnation.
     */
    public boolean accept(Segment s, Segment zeekView, int capturedPayload) {
        advanceTo(s.timeNanos());
        return acceptAdvanced(s, zeekView, capturedPayload);
    }

    /** {@link #accept} for a caller that has already moved this flow's time to the segment's (the table). */
    boolean acceptAdvanced(Segment s, Segment zeekView, int capturedPayload) {
        long t = s.timeNanos();
        Reuse reuse = null;
        if (tracker != null && Incarnations.startsNew(tracker, s)) {
            reuse = Incarnations.reuseOf(tracker, s);
            for (Side side : Side.values()) {
                tracker.endTimeWait(side, TimeWaitEnd.REUSE, t);
            }
            finish(t, false);
        }
        boolean opened = tracker == null;
        if (opened) {
            open(s);
        }
        tracker.onSegment(s);
        zeek.observe(zeekView, capturedPayload);
        completeness.observe(s);
        if (reuse != null) {
            tracker.markReuse(reuse);
        }
        if (!outcomeTold && context.outcomes() != null && tracker.isOver()) {
            outcomeTold = true;
            context.outcomes().finished(new FinishedConnection(tracker, zeek, completeness, t));
        }
        return opened;
    }

    private void open(Segment s) {
        long id = context.ids().next(key, s.timeNanos(), s.frame());
        AnalyzerConfig config = context.config();
        liveId = id;
        tracker = Incarnations.open(id, key, s, context.timeWaitNanos(), config.emitSegments(), config.skipBadChecksums(),
                context.events());
        zeek = new ZeekConnTracker();
        completeness = new CompletenessTracker();
        outcomeTold = false;
        if (context.events() != null) {
            context.events().accept(new ConnectionEvent.Opened(id, key, s.timeNanos(), s.frame(), tracker.client(),
                    tracker.server()));
        }
    }

    /**
     * When this flow next needs {@link #advanceTo}: the earliest open TIME_WAIT end or the moment the
     * live incarnation finishes; {@code Long.MAX_VALUE} when nothing is live.
     */
    public long nextDeadline() {
        if (tracker == null) {
            return Long.MAX_VALUE;
        }
        return Math.min(removalAt(), tracker.nextTimerNanos());
    }

    /** Moves the flow's capture time to {@code now}: ends TIME_WAIT windows and the incarnation when due. */
    public void advanceTo(long now) {
        if (tracker == null) {
            return;
        }
        tracker.advanceTo(now);
        long removal = removalAt();
        if (removal <= now) {
            finish(removal, !tracker.isOver());
        }
    }

    /** End of input at capture time {@code now}: the live incarnation finishes as it stands. */
    public void finishAtEnd(long now) {
        if (tracker == null) {
            return;
        }
        tracker.advanceTo(now);
        finish(Math.max(now, tracker.lastNanos()), false);
    }

    /** When the live incarnation can be dropped: after its linger and TIME_WAIT if closed, else when idle too long. */
    private long removalAt() {
        if (!tracker.isOver()) {
            return tracker.lastNanos() + context.idleNanos();
        }
        long linger = tracker.lastNanos() + context.timeWaitNanos();
        long timer = tracker.nextTimerNanos();
        return timer == Long.MAX_VALUE ? linger : Math.max(linger, timer);
    }

    private void finish(long at, boolean expiredIdle) {
        ConnectionTracker done = tracker;
        done.finish(at, expiredIdle);
        FinishedConnection finished = new FinishedConnection(done, zeek, completeness, at);
        tracker = null;
        zeek = null;
        completeness = null;
        context.finished().finished(finished);
    }

    // ---- snapshot ----

    /** The version of {@link #snapshot()}'s byte form; a restore of any other is refused. */
    public static final int SNAPSHOT_VERSION = 3; // 2: a side's duplicates and last segment fingerprint; 3: holes, IPv4 id, Fast Open, RST into TIME_WAIT, windows before a RST
    private static final int MAGIC = 0x4657_464C; // "FWFL"

    /**
     * This flow's whole state as bytes: the live incarnation's state machines and observers (or none).
     * {@link #restore} with the same analysis settings continues exactly where this one stands.
     */
    public byte[] snapshot() {
        SnapshotWriter w = new SnapshotWriter();
        w.writeInt(MAGIC).writeByte(SNAPSHOT_VERSION).writeKey(key).writeBoolean(tracker != null);
        if (tracker != null) {
            tracker.writeTo(w);
            zeek.writeTo(w);
            completeness.writeTo(w);
            w.writeBoolean(outcomeTold);
        }
        return w.toByteArray();
    }

    /**
     * A flow from {@link #snapshot()}'s bytes, in an analysis with {@code context}'s settings.
     *
     * @throws SnapshotFormatException if the bytes are not a snapshot of this version (one-line reason)
     */
    public static Flow restore(byte[] bytes, Context context) {
        SnapshotReader r = new SnapshotReader(bytes);
        if (bytes.length < 5 || r.readInt() != MAGIC) {
            throw new SnapshotFormatException("not a finwait flow snapshot (" + bytes.length + " bytes)");
        }
        int version = r.readByte();
        if (version != SNAPSHOT_VERSION) {
            throw new SnapshotFormatException("flow snapshot version " + version + " is not supported (this finwait reads "
                    + SNAPSHOT_VERSION + ")");
        }
        try {
            Flow f = new Flow(r.readKey(), context);
            if (r.readBoolean()) {
                AnalyzerConfig config = context.config();
                f.tracker = ConnectionTracker.readFrom(r, context.timeWaitNanos(), config.emitSegments(),
                        config.skipBadChecksums(), context.events());
                f.liveId = f.tracker.id();
                f.zeek = ZeekConnTracker.readFrom(r);
                f.completeness = CompletenessTracker.readFrom(r);
                f.outcomeTold = r.readBoolean();
            }
            r.expectEnd();
            return f;
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            // A value the records refuse (their constructors check what they can): the bytes are corrupt.
            throw new SnapshotFormatException("corrupt snapshot: " + e.getMessage());
        }
    }
}
