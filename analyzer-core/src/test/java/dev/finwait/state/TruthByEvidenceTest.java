package dev.finwait.state;

import static dev.finwait.Script.CLIENT;
import static dev.finwait.Script.SERVER;
import static dev.finwait.model.TcpState.CLOSED;
import static dev.finwait.model.TcpState.CLOSE_WAIT;
import static dev.finwait.model.TcpState.TIME_WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.finwait.Script;
import dev.finwait.model.AnalyzerConfig;
import dev.finwait.model.CloseKind;
import dev.finwait.model.ConnectionReport;
import dev.finwait.model.Handshake;
import dev.finwait.model.Reset;
import dev.finwait.model.ResetCause;
import dev.finwait.model.SideReport;
import dev.finwait.model.TcpState;
import dev.finwait.model.TimeWaitEnd;
import dev.finwait.model.Transition;
import dev.finwait.tcp.Segment;
import dev.finwait.tcp.TcpOptions;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 17's rules that the capture point can only judge by later evidence: a FIN that overtook data,
 * data sent before the peer's FIN arrived, a RST into TIME_WAIT, and the named handshake variants.
 * Each has a real recorded story in sample-captures (out-of-order-fin, fin-data-crossing, rfc1337-off,
 * rfc1337-on, fast-open, syn-cookies, simultaneous-open).
 */
class TruthByEvidenceTest {

    private static Script open() {
        return Script.between("10.0.0.1:40000", "10.0.0.2:80").syn().synAck().ack(CLIENT);
    }

    private static Transition entering(SideReport side, TcpState state) {
        return side.transitions().stream().filter(t -> t.state() == state).findFirst()
                .orElseThrow(() -> new AssertionError("never entered " + state + ": " + side.transitions()));
    }

    private static long lastFrame(Script s) {
        return s.segments().get(s.segments().size() - 1).frame();
    }

    // ---- delivery order: a FIN that overtook data waits for the hole ----

    @Test
    void finThatOvertookDataIsReceivedWhenTheHoleIsFilled() {
        Script s = open().data(CLIENT, 100).ack(SERVER)
                .hold(CLIENT, 100)          // sent, overtaken on the way
                .fin(CLIENT)                // arrives first: the server keeps it out of order
                .ackBehind(SERVER, 101)     // its duplicate ACK: still waiting for the 100 bytes
                .release();                 // the late original
        long filled = lastFrame(s);
        ConnectionReport r = s.ack(SERVER).fin(SERVER).ack(CLIENT).run().only();
        assertEquals(filled, entering(r.serverSide(), CLOSE_WAIT).frame());
        assertEquals(0, r.clientSide().counts().retransmissions(), "the late original was sent once");
        assertEquals(CloseKind.FOUR_WAY, r.close());
    }

    @Test
    void aResendIntoTheHoleIsStillARetransmission() {
        // The original was lost before the capture point: what fills the hole was sent later (a newer IPv4 id).
        ConnectionReport r = open().data(CLIENT, 100).ack(SERVER).hold(CLIENT, 100).data(CLIENT, 100)
                .ackBehind(SERVER, 200).resendHeld().ack(SERVER).run().only();
        assertEquals(1, r.clientSide().counts().retransmissions());
    }

    @Test
    void aLateOriginalBelowDataIsNoRetransmission() {
        ConnectionReport r = open().hold(CLIENT, 100).data(CLIENT, 100).release().ack(SERVER).run().only();
        assertEquals(0, r.clientSide().counts().retransmissions());
        assertEquals(200, r.clientSide().counts().payloadBytes());
    }

    /** The same conversation without IPv4 ids (IPv6): each segment's TSval is when its sender sent it. */
    private static List<Segment> timestampsInsteadOfIpIds(Script s) {
        return s.segments().stream().map(o -> new Segment(o.frame(), o.timeNanos(), o.src(), o.dst(), o.flags(), o.seq(),
                o.ack(), o.window(), o.payloadLength(), new TcpOptions(-1, -1, false, o.ipId(), 0, false), o.checksum(),
                o.ipLength(), -1)).toList();
    }

    @Test
    void withoutIpIdsTheTimestampTellsALateOriginalFromAResend() {
        Script late = open().data(CLIENT, 100).ack(SERVER).hold(CLIENT, 100).data(CLIENT, 100).release().ack(SERVER);
        Script resent = open().data(CLIENT, 100).ack(SERVER).hold(CLIENT, 100).data(CLIENT, 100)
                .ackBehind(SERVER, 200).resendHeld().ack(SERVER);
        assertEquals(0, Script.run(AnalyzerConfig.defaults(), timestampsInsteadOfIpIds(late)).only()
                .clientSide().counts().retransmissions());
        assertEquals(1, Script.run(AnalyzerConfig.defaults(), timestampsInsteadOfIpIds(resent)).only()
                .clientSide().counts().retransmissions());
    }

    @Test
    void aFinSentAgainIsReceivedAtTheCopyThatArrived() {
        // fin-retransmit: the first FIN was lost on the wire; the server's ACK comes after the second copy.
        Script s = open().data(CLIENT, 100).ack(SERVER).fin(CLIENT).retransmitLast();
        long resent = lastFrame(s);
        ConnectionReport r = s.fin(SERVER).ack(CLIENT).run().only();
        assertEquals(resent, entering(r.serverSide(), CLOSE_WAIT).frame());
        assertEquals(1, r.clientSide().counts().retransmissions());
    }

    @Test
    void aFinAcknowledgedAtOnceIsReceivedWhenItWasSeen() {
        Script s = open().data(CLIENT, 100).fin(CLIENT);
        long fin = lastFrame(s);
        ConnectionReport r = s.ack(SERVER).fin(SERVER).ack(CLIENT).run().only();
        assertEquals(fin, entering(r.serverSide(), CLOSE_WAIT).frame());
    }

    // ---- half-close by the sender's view ----

    @Test
    void dataSentBeforeThePeersFinArrivedIsNoHalfCloseData() {
        ConnectionReport r = open().data(CLIENT, 100).ack(SERVER).fin(CLIENT)
                .dataNotAckingPeerFin(SERVER, 100)   // crossed the FIN on the wire
                .ack(CLIENT).ack(SERVER).fin(SERVER).ack(CLIENT).run().only();
        assertTrue(r.halfClose().isEmpty() || r.halfClose().get().bytesAfter() == 0, r.halfClose().toString());
        assertEquals(CloseKind.FOUR_WAY, r.close());
    }

    @Test
    void dataSentAfterThePeersFinArrivedIsHalfCloseData() {
        ConnectionReport r = open().fin(CLIENT).ack(SERVER).data(SERVER, 100).ack(CLIENT)
                .fin(SERVER).ack(CLIENT).run().only();
        assertEquals(100, r.halfClose().orElseThrow().bytesAfter());
    }

    // ---- RST into TIME_WAIT (RFC 1337): judged by what the TIME_WAIT side does next ----

    /** Client closes first; the server's data segment (index 3) comes again as an old duplicate. */
    private static Script timeWaitHitByRst() {
        return open().data(SERVER, 100).ack(CLIENT).fin(CLIENT).ack(SERVER).fin(SERVER).ack(CLIENT)
                .replay(3)              // the old duplicate
                .ack(CLIENT)            // the TIME_WAIT socket answers it
                .rstNoAck(SERVER);      // the server has no socket: RST at the client's RCV.NXT
    }

    @Test
    void rstIntoTimeWaitWithoutLaterEvidenceEndsTheWindow() {
        ConnectionReport r = timeWaitHitByRst().run().only();
        assertEquals(TimeWaitEnd.RST, r.timeWait().get(0).endedBy());
        assertEquals(CLOSED, r.clientSide().finalState());
        assertEquals(ResetCause.TIME_WAIT, r.resets().get(0).cause());
        assertEquals(CloseKind.FOUR_WAY, r.close(), "the close was graceful; the RST ended the TIME_WAIT after it");
    }

    @Test
    void timeWaitSideAnsweringAfterTheRstSurvivedIt() {
        // net.ipv4.tcp_rfc1337 = 1: the TIME_WAIT socket ignores the RST and answers the next old duplicate.
        ConnectionReport r = timeWaitHitByRst().replay(3).ack(CLIENT).rstNoAck(SERVER).run().only();
        assertEquals(1, r.timeWait().size());
        assertEquals(TimeWaitEnd.CAPTURE_END, r.timeWait().get(0).endedBy());
        assertEquals(TIME_WAIT, r.clientSide().finalState());
        assertEquals(2, r.resets().size());
        for (Reset rst : r.resets()) {
            assertFalse(rst.acceptable(), "ignored by the TIME_WAIT socket: " + rst);
            assertEquals(ResetCause.TIME_WAIT, rst.cause());
        }
        assertEquals(CloseKind.FOUR_WAY, r.close());
        assertEquals(List.of(TcpState.SYN_SENT, TcpState.ESTABLISHED, TcpState.FIN_WAIT_1, TcpState.FIN_WAIT_2, TIME_WAIT),
                r.clientSide().transitions().stream().map(Transition::state).toList());
    }

    @Test
    void anAckCrossingTheRstIsNoEvidenceTheWindowSurvived() {
        // Captured near the RST's sender: the TIME_WAIT side's ACK left before the RST arrived and is seen
        // after it. It answers nothing sent after the RST, so the window still ended by the RST.
        ConnectionReport r = timeWaitHitByRst().ack(CLIENT).run().only();
        assertEquals(TimeWaitEnd.RST, r.timeWait().get(0).endedBy());
        assertEquals(CLOSED, r.clientSide().finalState());
        assertTrue(r.resets().get(0).acceptable());
    }

    @Test
    void timeWaitSideAnsweringWithRstDidNotSurviveIt() {
        // net.ipv4.tcp_rfc1337 = 0: the RST killed the TIME_WAIT socket; the next old duplicate finds no socket.
        ConnectionReport r = timeWaitHitByRst().replay(3).rstAt(CLIENT, 0, false).run().only();
        assertEquals(TimeWaitEnd.RST, r.timeWait().get(0).endedBy());
        assertEquals(CLOSED, r.clientSide().finalState());
        assertTrue(r.resets().get(0).acceptable());
    }

    @Test
    void aRstOneBelowRcvNxtDoesNotEndTimeWait() {
        // Linux's TIME_WAIT socket dies only by a RST at RCV.NXT; one at the peer's FIN (RCV.NXT - 1, which
        // CLOSE_WAIT, LAST_ACK and CLOSING accept) is dropped there (tcp_timewait_state_process).
        ConnectionReport r = open().fin(CLIENT).ack(SERVER).fin(SERVER).ack(CLIENT).rstAt(SERVER, -1, false)
                .run().only();
        assertEquals(TIME_WAIT, r.clientSide().finalState());
        assertEquals(TimeWaitEnd.CAPTURE_END, r.timeWait().get(0).endedBy());
        assertFalse(r.resets().get(0).acceptable());
        ConnectionReport exact = open().fin(CLIENT).ack(SERVER).fin(SERVER).ack(CLIENT).rstAt(SERVER, 0, false)
                .run().only();
        assertEquals(TimeWaitEnd.RST, exact.timeWait().get(0).endedBy(), "at RCV.NXT it still ends the window");
    }

    @Test
    void aSegmentWithAckIntoTimeWaitRestartsIt() {
        // Linux answers it and restarts the 60 s (inet_twsk_reschedule): ss showed it in rfc1337-on.
        Script s = open().data(SERVER, 100).ack(CLIENT).fin(CLIENT).ack(SERVER).fin(SERVER).ack(CLIENT)
                .after(java.time.Duration.ofSeconds(10)).replay(3);
        long replayed = s.time(s.segments().size() - 1);
        ConnectionReport r = s.ack(CLIENT).run().only();
        assertEquals(replayed + 60_000_000_000L, r.timeWait().get(0).untilNanos());
    }

    @Test
    void aTimeWaitThatSurvivedARstKeepsTheRestartsOfItsTimer() {
        Script s = timeWaitHitByRst().replay(3);
        long lastReplay = s.time(s.segments().size() - 1);
        ConnectionReport r = s.ack(CLIENT).run().only();
        assertEquals(lastReplay + 60_000_000_000L, r.timeWait().get(0).untilNanos());
    }

    // ---- named handshake variants ----

    @Test
    void synWithDataTheSynAckAcknowledgesIsFastOpen() {
        ConnectionReport r = Script.between("10.0.0.1:40000", "10.0.0.2:80").synData(100).synAck().ack(CLIENT)
                .ack(SERVER).fin(CLIENT).ack(SERVER).fin(SERVER).ack(CLIENT).run().only();
        assertEquals(Handshake.FAST_OPEN, r.handshake());
        assertEquals(100, r.clientSide().counts().payloadBytes());
        assertEquals(0, r.clientSide().counts().retransmissions());
        assertEquals(CloseKind.FOUR_WAY, r.close());
    }

    @Test
    void synDataTheServerDidNotTakeIsAPlainHandshakeAndItsResendARetransmission() {
        ConnectionReport r = Script.between("10.0.0.1:40000", "10.0.0.2:80").synData(100).synAckNotAckingData(100)
                .ack(CLIENT).resendSynData(100).ack(SERVER).run().only();
        assertEquals(Handshake.COMPLETE, r.handshake());
        assertEquals(1, r.clientSide().counts().retransmissions());
    }

    @Test
    void simultaneousOpenIsNamed() {
        ConnectionReport r = Script.between("10.0.0.1:40000", "10.0.0.2:80").synFrom(CLIENT).synFrom(SERVER)
                .synAckFrom(CLIENT).synAckFrom(SERVER).ack(CLIENT).run().only();
        assertEquals(Handshake.SIMULTANEOUS, r.handshake());
        assertEquals(0, r.clientSide().counts().retransmissions() + r.serverSide().counts().retransmissions());
    }
}
