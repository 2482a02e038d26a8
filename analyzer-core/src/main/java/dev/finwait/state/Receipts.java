package dev.finwait.state;

import dev.finwait.model.Side;
import dev.finwait.model.TcpState;
import dev.finwait.tcp.Segment;
import dev.finwait.tcp.Seq;

/**
 * Receipt inference. The capture point sees a segment leave its sender, not reach its receiver, so
 * the peer's SYN or FIN is held as pending for the receiving side until that side shows it got it:
 * its own segment acknowledges it, or a later segment from the peer has to have arrived first (TCP
 * delivers in order), or the capture ends. Receipts no packet shows are marked inferred. Stateless:
 * the pending receipts live in each {@link SideTracker}, the stimuli go through the connection's table.
 */
final class Receipts {
    private Receipts() {
    }

    /** {@code s} was sent towards {@code y}: its SYN and FIN are now in flight to y. */
    static void inFlight(SideTracker y, Segment s, long t, long frame) {
        if (s.syn() && !s.rst()) {
            y.synInFlight(s, t, frame);
        }
        if (s.fin() && !s.rst()) {
            y.finInFlight(t, frame);
        }
    }

    /** x acknowledged up to {@code ack}: x must have received the peer's SYN / FIN it covers. */
    static void covered(ConnectionTracker c, Side xs, SideTracker x, SideTracker peer, int ack, boolean byRst) {
        if (x.pendingSynCoveredBy(ack)) {
            deliverSyn(c, xs, x, byRst, false);
        }
        if (x.finPending() && peer.finSent() && Seq.geq(ack, peer.finSeq() + 1)) {
            deliverFin(c, xs, x, false);
        }
    }

    /**
     * Delivers everything in flight to this side because a later segment from the peer reached it
     * (TCP delivers in order) or the capture ended. No packet of this side shows the receipt, so the
     * transitions are marked inferred. A side never seen at all is left alone: it may never have
     * received anything.
     */
    static void deliverPending(ConnectionTracker c, Side side, SideTracker tracker, boolean inferred) {
        if (tracker.state() == TcpState.UNKNOWN && tracker.packets() == 0) {
            return;
        }
        if (tracker.synPending()) {
            deliverSyn(c, side, tracker, false, inferred);
        }
        if (tracker.finPending()) {
            deliverFin(c, side, tracker, inferred);
        }
    }

    private static void deliverSyn(ConnectionTracker c, Side side, SideTracker tracker, boolean answeredByRst,
                                   boolean inferred) {
        SideTracker.Pending p = tracker.receiveSyn();
        if (answeredByRst && p.stimulus() == Stimulus.RECV_SYN
                && (tracker.state() == TcpState.UNKNOWN || tracker.state() == TcpState.LISTEN || tracker.state() == TcpState.CLOSED)) {
            // Nothing listening: the SYN reached a CLOSED port and the RST is the refusal (RFC 9293 3.10.7.1).
            tracker.refuseSyn();
            return;
        }
        c.applyTo(side, tracker, p.stimulus(), p.atNanos(), p.frame(), inferred);
    }

    private static void deliverFin(ConnectionTracker c, Side side, SideTracker tracker, boolean inferred) {
        SideTracker.Pending p = tracker.receiveFin();
        c.applyTo(side, tracker, Stimulus.RECV_FIN, p.atNanos(), p.frame(), inferred);
    }
}
