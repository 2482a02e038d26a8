package dev.finwait.state;

import dev.finwait.event.ConnectionEvent;
import dev.finwait.model.Opener;
import dev.finwait.model.Reuse;
import dev.finwait.model.Side;
import dev.finwait.model.TcpState;
import dev.finwait.tcp.Endpoint;
import dev.finwait.tcp.FlowKey;
import dev.finwait.tcp.Segment;
import dev.finwait.tcp.Seq;
import java.util.function.Consumer;

/**
 * When a segment starts a new incarnation of a 4-tuple, who its client is, and whether reopening the
 * tuple was legal: the rules beside the state machine they read.
 */
public final class Incarnations {
    private Incarnations() {
    }

    /** The first incarnation's tracker, or the next one's: the client is the SYN's sender, else guessed by ports. */
    public static ConnectionTracker open(long id, FlowKey key, Segment s, long timeWaitNanos, boolean emitSegments,
                                         boolean skipBadChecksums, Consumer<ConnectionEvent> events) {
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
        return new ConnectionTracker(id, key, client, server, opener, s.timeNanos(), s.frame(), timeWaitNanos,
                emitSegments, skipBadChecksums, events);
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
    public static boolean startsNew(ConnectionTracker c, Segment s) {
        if (!s.syn() || s.hasAck() || s.rst()) {
            return false;
        }
        Side from = c.sideOf(s.src());
        SideTracker sender = c.side(from);
        if (sender.synSent() && sender.isn() == s.seq()) {
            return false;
        }
        if (!sender.synSent() && sender.packets() == 0 && !c.isOver() && !c.inTimeWait(Side.CLIENT)
                && !c.inTimeWait(Side.SERVER) && !c.side(Side.CLIENT).rstSent() && !c.side(Side.SERVER).rstSent()) {
            // First packet of a side of an open connection is its SYN: reordered (SYN-ACK captured first).
            // A side that already sent other segments and now sends a SYN starts over (split handshake).
            return false;
        }
        SideTracker peer = c.side(from.opposite());
        boolean simultaneousOpen = !sender.synSent() && sender.packets() == 0 && peer.synSent()
                && peer.state() == TcpState.SYN_SENT;
        return !simultaneousOpen;
    }

    /** RFC 1122 4.2.2.13 / RFC 6191: may a SYN reopen a 4-tuple whose old incarnation sits in TIME_WAIT? */
    public static Reuse reuseOf(ConnectionTracker old, Segment syn) {
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
