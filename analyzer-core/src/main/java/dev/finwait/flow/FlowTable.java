package dev.finwait.flow;
import dev.finwait.model.TcpState;

import dev.finwait.model.AnalyzerConfig;
import dev.finwait.event.ConnectionEvent;
import dev.finwait.model.Opener;
import dev.finwait.model.Reuse;
import dev.finwait.model.Side;
import dev.finwait.model.TimeWaitEnd;
import dev.finwait.state.ConnectionTracker;
import dev.finwait.state.SideTracker;
import dev.finwait.tcp.Endpoint;
import dev.finwait.tcp.FlowKey;
import dev.finwait.tcp.Segment;
import dev.finwait.tcp.Seq;
import java.util.List;
import java.util.function.Consumer;

/**
 * Live connections by 4-tuple, one {@link ConnectionTracker} per incarnation. A connection is
 * finished (reported, then dropped) once capture time passes its deadline: for a closed one, its
 * TIME_WAIT windows and a linger of 2*MSL after its last packet (stray RSTs and retransmitted FINs
 * still belong to it); for an open one, the idle timeout. Memory is bounded by live connections.
 */
public final class FlowTable {
    private final AnalyzerConfig config;
    private final Consumer<ConnectionEvent> events; // null: nobody registered for events, none are built
    private final FinishedSink finished;
    private final long timeWaitNanos;
    private final long idleNanos;
    private final FlowMap live = new FlowMap();
    private final DeadlineHeap deadlines = new DeadlineHeap();
    private long nextId = 1;
    private long clock = Long.MIN_VALUE;

    /**
     * {@code events} receives every event as it happens, or is null (then none is built);
     * {@code finished} receives each connection once nothing more can happen to it.
     */
    public FlowTable(AnalyzerConfig config, Consumer<ConnectionEvent> events, FinishedSink finished) {
        this.config = config;
        this.events = events;
        this.finished = finished;
        this.timeWaitNanos = config.timeWait().toNanos();
        this.idleNanos = config.idleTimeout().toNanos();
    }

    public long connectionsSeen() {
        return nextId - 1;
    }

    public int liveConnections() {
        return live.size();
    }

    public void accept(Segment s, Segment zeekView, int capturedPayload) {
        advanceTo(s.timeNanos());
        ConnectionTracker c = live.get(s.src(), s.dst());
        Reuse reuse = null;
        if (c != null && startsNewIncarnation(c, s)) {
            reuse = reuseOf(c, s);
            for (Side side : Side.values()) {
                c.endTimeWait(side, TimeWaitEnd.REUSE, s.timeNanos());
            }
            finish(c, s.timeNanos(), false);
            c = null;
        }
        if (c == null) {
            c = open(s.flowKey(), s);
        }
        c.onSegment(s, zeekView, capturedPayload);
        if (reuse != null) {
            c.markReuse(reuse);
        }
    }

    /** Moves capture time forward: fires TIME_WAIT timers and finishes connections that are due. */
    public void advanceTo(long now) {
        if (now <= clock) {
            return; // timestamps going backwards do not rewind timers
        }
        clock = now;
        // Wake-ups per connection; stale entries are re-checked against the connection when popped.
        while (!deadlines.isEmpty() && deadlines.peekAt() <= now) {
            ConnectionTracker c = deadlines.poll();
            if (c.isFinished()) {
                continue; // already finished (ended by reuse of its tuple, or by an earlier entry)
            }
            c.advanceTo(now);
            long removal = removalAt(c);
            if (removal <= now) {
                finish(c, removal, !c.isOver());
            } else {
                deadlines.add(Math.min(removal, c.nextTimerNanos()), c);
            }
        }
    }

    /** End of input: every live connection is finished, in id order. */
    public void finishAll() {
        List<ConnectionTracker> rest = live.valuesById();
        long now = clock;
        for (ConnectionTracker c : rest) {
            c.advanceTo(now);
            long at = Math.max(now, c.lastNanos());
            c.finish(at, false);
            finished.finished(c, at);
        }
        // Emptied at once: removing the connections one by one (each removal reads a cold key) took
        // about 10 ms for the 17,000 still in the table at the end of the 1 M-packet capture.
        live.clear();
        deadlines.clear();
    }

    /** When a connection can be dropped: after its linger and TIME_WAIT if closed, else when idle too long. */
    private long removalAt(ConnectionTracker c) {
        if (!c.isOver()) {
            return c.lastNanos() + idleNanos;
        }
        long linger = c.lastNanos() + timeWaitNanos;
        long timer = c.nextTimerNanos();
        return timer == Long.MAX_VALUE ? linger : Math.max(linger, timer);
    }

    private void finish(ConnectionTracker c, long now, boolean expiredIdle) {
        c.finish(now, expiredIdle);
        live.remove(c);
        finished.finished(c, now);
    }

    /** Where finished connections go to be judged and reported. A finished tracker is never touched again. */
    @FunctionalInterface
    public interface FinishedSink {
        void finished(ConnectionTracker c, long at);
    }

    private ConnectionTracker open(FlowKey key, Segment s) {
        Endpoint client;
        Opener opener;
        if (s.syn()) {
            client = s.hasAck() ? s.dst() : s.src();
            opener = Opener.SYN;
        } else {
            client = guessClient(s);
            opener = Opener.GUESSED;
        }
        Endpoint server = client.equals(s.src()) ? s.dst() : s.src();
        ConnectionTracker c = new ConnectionTracker(nextId++, key, client, server, opener, s.timeNanos(),
                timeWaitNanos, config.emitSegments(), config.skipBadChecksums(), events);
        live.put(c);
        deadlines.add(s.timeNanos() + Math.min(idleNanos, Math.max(timeWaitNanos, 1)), c);
        if (events != null) events.accept(new ConnectionEvent.Opened(c.id(), key, s.timeNanos(), s.frame()));
        return c;
    }

    /**
     * No SYN seen: the side on a well-known port (below 1024), or else the side not on an ephemeral
     * port (Linux and IANA ranges start at 32768 / 49152), is the server; otherwise the first
     * packet's sender is taken as the client.
     */
    static Endpoint guessClient(Segment s) {
        int sp = s.src().port();
        int dp = s.dst().port();
        if ((sp < 1024) != (dp < 1024)) {
            return sp < 1024 ? s.dst() : s.src();
        }
        if ((sp >= 32768) != (dp >= 32768)) {
            return sp >= 32768 ? s.src() : s.dst();
        }
        return s.src();
    }

    /**
     * A SYN without ACK starts a new incarnation unless it repeats the ISN of the one that opened
     * this connection (a retransmission) or is the peer's half of a simultaneous open.
     */
    private static boolean startsNewIncarnation(ConnectionTracker c, Segment s) {
        if (!s.syn() || s.hasAck() || s.rst()) {
            return false;
        }
        Side from = c.sideOf(s.src());
        SideTracker sender = c.side(from);
        if (sender.synSent() && sender.isn() == s.seq()) {
            return false;
        }
        if (!sender.synSent() && sender.packets() == 0 && !c.isOver() && !c.inTimeWait(Side.CLIENT) && !c.inTimeWait(Side.SERVER)
                && !c.side(Side.CLIENT).rstSent() && !c.side(Side.SERVER).rstSent()) {
            // First packet of a side of an open connection is its SYN: reordered (SYN-ACK captured first).
            // A side that already sent other segments and now sends a SYN starts over (split handshake).
            return false;
        }
        SideTracker peer = c.side(from.opposite());
        boolean simultaneousOpen = !sender.synSent() && sender.packets() == 0 && peer.synSent()
                && peer.state() == dev.finwait.model.TcpState.SYN_SENT;
        return !simultaneousOpen;
    }

    /** RFC 1122 4.2.2.13 / RFC 6191: may a SYN reopen a 4-tuple whose old incarnation sits in TIME_WAIT? */
    private static Reuse reuseOf(ConnectionTracker old, Segment syn) {
        Side twSide = old.inTimeWait(Side.CLIENT) ? Side.CLIENT : old.inTimeWait(Side.SERVER) ? Side.SERVER : null;
        if (twSide == null) {
            return new Reuse(old.id(), null, true, "no TIME_WAIT window was open");
        }
        SideTracker oldSender = old.side(old.sideOf(syn.src()));
        if (oldSender.synSent() || oldSender.packets() > 0) {
            if (Seq.gt(syn.seq(), oldSender.sndNxt())) {
                return new Reuse(old.id(), twSide, true, "ISN above the old connection's sequence space (RFC 1122 4.2.2.13)");
            }
            long ts = syn.options().tsVal();
            if (ts >= 0 && oldSender.lastTsVal() >= 0 && Seq.gt((int) ts, (int) oldSender.lastTsVal())) {
                return new Reuse(old.id(), twSide, true, "timestamp above the old connection's (RFC 6191)");
            }
            return new Reuse(old.id(), twSide, false,
                    "ISN " + Seq.unsigned(syn.seq()) + " not above the old sequence space (ended at "
                            + Seq.unsigned(oldSender.sndNxt()) + ") and no newer timestamp");
        }
        return new Reuse(old.id(), twSide, true, "the old connection never used this direction");
    }
}
