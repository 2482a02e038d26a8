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
            if (y.pendingSyn != null) {
                if (s.hasAck() && y.pendingSyn.stimulus() == Stimulus.RECV_SYN) {
                    // Simultaneous open: the peer's SYN-ACK repeats its SYN, now acknowledging ours.
                    y.pendingSyn = new SideTracker.Pending(y.pendingSyn.atNanos(), y.pendingSyn.frame(), Stimulus.RECV_SYN_ACK);
                }
            } else if (!(y.synReceived && y.pendingSynSeq == s.seq())) {
                y.pendingSyn = new SideTracker.Pending(t, frame, s.hasAck() ? Stimulus.RECV_SYN_ACK : Stimulus.RECV_SYN);
                y.pendingSynSeq = s.seq();
            }
        }
        if (s.fin() && !s.rst() && y.pendingFin == null && !y.finReceived) {
            y.pendingFin = new SideTracker.Pending(t, frame, Stimulus.RECV_FIN);
        }
    }

    /** x acknowledged up to {@code ack}: x must have received the peer's SYN / FIN it covers. */
    static void covered(ConnectionTracker c, Side xs, SideTracker x, SideTracker peer, int ack, boolean byRst) {
        if (x.pendingSyn != null && Seq.geq(ack, x.pendingSynSeq + 1)) {
            deliverSyn(c, xs, x, byRst, false);
        }
        if (x.pendingFin != null && peer.finSent() && Seq.geq(ack, peer.finSeq + 1)) {
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
        if (tracker.state() == TcpState.UNKNOWN && tracker.packets == 0) {
            return;
        }
        if (tracker.pendingSyn != null) {
            deliverSyn(c, side, tracker, false, inferred);
        }
        if (tracker.pendingFin != null) {
            deliverFin(c, side, tracker, inferred);
        }
    }

    private static void deliverSyn(ConnectionTracker c, Side side, SideTracker tracker, boolean answeredByRst,
                                   boolean inferred) {
        SideTracker.Pending p = tracker.pendingSyn;
        tracker.pendingSyn = null;
        tracker.synReceived = true;
        if (answeredByRst && p.stimulus() == Stimulus.RECV_SYN
                && (tracker.state() == TcpState.UNKNOWN || tracker.state() == TcpState.LISTEN || tracker.state() == TcpState.CLOSED)) {
            // Nothing listening: the SYN reached a CLOSED port and the RST is the refusal (RFC 9293 3.10.7.1).
            tracker.refusedSyn = true;
            return;
        }
        if (p.stimulus() == Stimulus.RECV_SYN_ACK) {
            tracker.synAcked = true;
        }
        c.applyTo(side, tracker, p.stimulus(), p.atNanos(), p.frame(), inferred);
    }

    private static void deliverFin(ConnectionTracker c, Side side, SideTracker tracker, boolean inferred) {
        SideTracker.Pending p = tracker.pendingFin;
        tracker.pendingFin = null;
        tracker.finReceived = true;
        c.applyTo(side, tracker, Stimulus.RECV_FIN, p.atNanos(), p.frame(), inferred);
    }
}
