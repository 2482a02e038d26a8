package dev.finwait.state;
import dev.finwait.model.TcpState;

import static dev.finwait.Script.CLIENT;
import static dev.finwait.Script.SERVER;
import static dev.finwait.model.TcpState.CLOSED;
import static dev.finwait.model.TcpState.CLOSE_WAIT;
import static dev.finwait.model.TcpState.CLOSING;
import static dev.finwait.model.TcpState.ESTABLISHED;
import static dev.finwait.model.TcpState.FIN_WAIT_1;
import static dev.finwait.model.TcpState.FIN_WAIT_2;
import static dev.finwait.model.TcpState.LAST_ACK;
import static dev.finwait.model.TcpState.SYN_RCVD;
import static dev.finwait.model.TcpState.SYN_SENT;
import static dev.finwait.model.TcpState.TIME_WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.finwait.model.AnalyzerConfig;
import dev.finwait.model.AnomalyKind;
import dev.finwait.Script;
import dev.finwait.event.ConnectionEvent;
import dev.finwait.model.CloseKind;
import dev.finwait.model.ConnectionReport;
import dev.finwait.model.HalfClose;
import dev.finwait.model.Handshake;
import dev.finwait.model.Opener;
import dev.finwait.model.Reset;
import dev.finwait.model.ResetCause;
import dev.finwait.model.Side;
import dev.finwait.model.TimeWaitEnd;
import dev.finwait.model.TimeWaitWindow;
import dev.finwait.model.Transition;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every arrow of the RFC 9293 diagram and every named variant, on hand-built conversations. */
class StateMachineScenarioTest {

    private static Script open() {
        return Script.between("10.0.0.1:40000", "10.0.0.2:80").syn().synAck().ack(CLIENT);
    }

    private static List<TcpState> path(ConnectionReport r, Side side) {
        return r.side(side).transitions().stream().map(Transition::state).toList();
    }

    @Test
    void fourWayCloseLeavesTheActiveCloserInTimeWait() {
        ConnectionReport r = open().data(CLIENT, 100).ack(SERVER)
                .fin(CLIENT).ack(SERVER).fin(SERVER).ack(CLIENT).run().only();
        assertEquals(List.of(SYN_SENT, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, TIME_WAIT), path(r, CLIENT));
        assertEquals(List.of(SYN_RCVD, ESTABLISHED, CLOSE_WAIT, LAST_ACK, CLOSED), path(r, SERVER));
        assertEquals(Handshake.COMPLETE, r.handshake());
        assertEquals(CloseKind.FOUR_WAY, r.close());
        assertEquals(Side.CLIENT, r.firstFin().orElseThrow());
        assertTrue(r.halfClose().isEmpty(), "no data after the first FIN: not a half-close");
        assertEquals(1, r.timeWait().size());
        assertEquals(Side.CLIENT, r.timeWait().get(0).side());
        assertEquals(TimeWaitEnd.CAPTURE_END, r.timeWait().get(0).endedBy());
        assertEquals(Opener.SYN, r.opener());
    }

    @Test
    void finPiggybackedOnTheAckIsAThreeWayClose() {
        ConnectionReport r = open().fin(CLIENT).fin(SERVER).ack(CLIENT).run().only();
        assertEquals(CloseKind.THREE_WAY, r.close());
        assertEquals(List.of(SYN_SENT, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, TIME_WAIT), path(r, CLIENT));
        assertEquals(List.of(SYN_RCVD, ESTABLISHED, CLOSE_WAIT, LAST_ACK, CLOSED), path(r, SERVER));
    }

    @Test
    void crossingFinsTakeBothSidesThroughClosing() {
        ConnectionReport r = open().fin(CLIENT).finNotAckingPeerFin(SERVER).ack(CLIENT).ack(SERVER).run().only();
        assertEquals(List.of(SYN_SENT, ESTABLISHED, FIN_WAIT_1, CLOSING, TIME_WAIT), path(r, CLIENT));
        assertEquals(List.of(SYN_RCVD, ESTABLISHED, FIN_WAIT_1, CLOSING, TIME_WAIT), path(r, SERVER));
        assertEquals(CloseKind.SIMULTANEOUS, r.close());
        assertEquals(2, r.timeWait().size());
    }

    @Test
    void serverClosingFirstPutsTheServerInTimeWait() {
        ConnectionReport r = open().fin(SERVER).ack(CLIENT).fin(CLIENT).ack(SERVER).run().only();
        assertEquals(TIME_WAIT, r.serverSide().finalState());
        assertEquals(CLOSED, r.clientSide().finalState());
        assertEquals(Side.SERVER, r.timeWait().get(0).side());
    }

    @Test
    void halfCloseCountsTheBytesTheOpenSideSendsAfterTheFirstFin() {
        Script s = open().fin(CLIENT).ack(SERVER).data(SERVER, 1000).ack(CLIENT).data(SERVER, 500).ack(CLIENT)
                .fin(SERVER).ack(CLIENT);
        ConnectionReport r = s.run().only();
        HalfClose h = r.halfClose().orElseThrow();
        assertEquals(Side.CLIENT, h.by());
        assertEquals(1500, h.bytesAfter());
        assertEquals(s.time(3), h.fromNanos());
        assertEquals(s.time(9), h.toNanos().orElseThrow());
        assertEquals(CloseKind.FOUR_WAY, r.close());
    }

    @Test
    void halfCloseStillOpenAtTheEndHasNoEnd() {
        ConnectionReport r = open().fin(CLIENT).ack(SERVER).data(SERVER, 10).run().only();
        assertTrue(r.halfClose().orElseThrow().toNanos().isEmpty());
        assertEquals(CloseKind.HALF_CLOSED, r.close());
        assertEquals(FIN_WAIT_2, r.clientSide().finalState());
        assertEquals(CLOSE_WAIT, r.serverSide().finalState());
    }

    @Test
    void synAnsweredByRstIsARefusal() {
        ConnectionReport r = Script.between("10.0.0.1:40000", "10.0.0.2:81").syn().rst(SERVER).run().only();
        assertEquals(Handshake.REFUSED, r.handshake());
        assertEquals(CloseKind.REFUSED, r.close());
        Reset rst = r.resets().get(0);
        assertEquals(Side.SERVER, rst.by());
        assertEquals(ResetCause.REFUSED, rst.cause());
        assertEquals(CLOSED, rst.senderState());
        assertTrue(rst.withAck());
        assertTrue(rst.acceptable());
        assertEquals(List.of(SYN_SENT, CLOSED), path(r, CLIENT));
    }

    @Test
    void retransmittedSynsStayOneUnansweredConnection() {
        ConnectionReport r = Script.between("10.0.0.1:40000", "10.0.0.2:80").syn().retransmitLast().retransmitLast()
                .run().only();
        assertEquals(Handshake.UNANSWERED, r.handshake());
        assertEquals(CloseKind.NEVER_OPENED, r.close());
        assertEquals(3, r.clientSide().counts().syn());
        assertEquals(2, r.clientSide().counts().retransmissions());
        assertEquals(List.of(SYN_SENT), path(r, CLIENT));
        assertTrue(path(r, SERVER).isEmpty(), "a side never seen stays without transitions");
    }

    @Test
    void rstFromEstablishedIsAnAbortiveClose() {
        ConnectionReport r = open().data(SERVER, 300).rst(CLIENT).run().only();
        assertEquals(CloseKind.RESET, r.close());
        Reset rst = r.resets().get(0);
        assertEquals(ResetCause.ABORT, rst.cause());
        assertEquals(ESTABLISHED, rst.senderState());
        assertEquals(CLOSED, r.serverSide().finalState());
        assertEquals(CLOSED, r.clientSide().finalState());
    }

    @Test
    void writeAfterPeerCloseDrawsRstFromTheClosedSide() {
        ConnectionReport r = open().fin(CLIENT).ack(SERVER).data(SERVER, 100).rst(CLIENT).run().only();
        Reset rst = r.resets().get(0);
        assertEquals(Side.CLIENT, rst.by());
        assertEquals(FIN_WAIT_2, rst.senderState());
        assertEquals(ResetCause.DATA_AFTER_CLOSE, rst.cause());
        assertEquals(CloseKind.FIN_THEN_RESET, r.close());
        assertEquals(100, r.halfClose().orElseThrow().bytesAfter());
        assertEquals(CLOSED, r.serverSide().finalState());
    }

    @Test
    void rstWithoutAckIsRecordedAsSuch() {
        ConnectionReport r = open().rstNoAck(SERVER).run().only();
        assertFalse(r.resets().get(0).withAck());
        assertEquals(ResetCause.ABORT, r.resets().get(0).cause());
    }

    @Test
    void rstInTimeWaitEndsTheWindow() {
        ConnectionReport r = open().fin(CLIENT).ack(SERVER).fin(SERVER).ack(CLIENT).rst(SERVER).run().only();
        TimeWaitWindow w = r.timeWait().get(0);
        assertEquals(TimeWaitEnd.RST, w.endedBy());
        assertEquals(ResetCause.TIME_WAIT, r.resets().get(0).cause());
        assertEquals(CLOSED, r.clientSide().finalState());
    }

    @Test
    void outOfWindowRstIsFlaggedAndChangesNothing() {
        ConnectionReport r = open().data(CLIENT, 10).ack(SERVER).rstOutOfWindow(SERVER).data(CLIENT, 10).run().only();
        Reset rst = r.resets().get(0);
        assertFalse(rst.acceptable());
        assertEquals(ResetCause.OUT_OF_WINDOW, rst.cause());
        assertEquals(ESTABLISHED, r.clientSide().finalState());
        assertEquals(ESTABLISHED, r.serverSide().finalState());
        assertEquals(CloseKind.OPEN, r.close());
        assertTrue(r.anomalies().stream().anyMatch(a -> a.kind() == AnomalyKind.RST_OUT_OF_WINDOW));
    }

    @Test
    void retransmittedFinIsNotASecondClose() {
        ConnectionReport r = open().fin(CLIENT).retransmitLast().ack(SERVER).fin(SERVER).ack(CLIENT).run().only();
        assertEquals(2, r.clientSide().counts().fin());
        assertEquals(1, r.clientSide().counts().retransmissions());
        assertEquals(List.of(SYN_SENT, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, TIME_WAIT), path(r, CLIENT));
    }

    @Test
    void finCarryingDataClosesAfterTheData() {
        ConnectionReport r = open().dataFin(CLIENT, 50).ack(SERVER).fin(SERVER).ack(CLIENT).run().only();
        assertEquals(CloseKind.FOUR_WAY, r.close());
        assertEquals(50, r.clientSide().counts().payloadBytes());
        assertEquals(TIME_WAIT, r.clientSide().finalState());
    }

    @Test
    void sequenceNumbersWrapAroundTwoToThe32() {
        ConnectionReport r = Script.between("10.0.0.1:40000", "10.0.0.2:80")
                .isn(CLIENT, -20).isn(SERVER, -5).syn().synAck().ack(CLIENT)
                .data(CLIENT, 100).ack(SERVER).data(SERVER, 100).fin(CLIENT).ack(SERVER).fin(SERVER).ack(CLIENT)
                .run().only();
        assertEquals(CloseKind.FOUR_WAY, r.close());
        assertEquals(0, r.clientSide().counts().retransmissions());
        assertEquals(0, r.serverSide().counts().retransmissions());
        assertEquals(TIME_WAIT, r.clientSide().finalState());
    }

    @Test
    void timeWaitEndsByTimerAfterTwoMsl() {
        Script s = open().fin(CLIENT).ack(SERVER).fin(SERVER).ack(CLIENT);
        List<dev.finwait.tcp.Segment> segs = new java.util.ArrayList<>(s.segments());
        // Another connection 61 s later moves capture time past the window.
        segs.addAll(Script.between("10.0.0.9:1", "10.0.0.2:80").after(Duration.ofSeconds(61)).syn().segments().stream()
                .map(x -> new dev.finwait.tcp.Segment(100, x.timeNanos() + (s.time(6) - Script.T0), x.src(), x.dst(),
                        x.flags(), x.seq(), x.ack(), x.window(), x.payloadLength(), x.options(), x.checksum()))
                .toList());
        Script.Run run = Script.run(AnalyzerConfig.defaults(), segs);
        TimeWaitWindow w = run.connection(1).timeWait().get(0);
        assertEquals(TimeWaitEnd.TIMER, w.endedBy());
        assertEquals(Duration.ofSeconds(60).toNanos(), w.untilNanos() - w.fromNanos());
        assertEquals(w.untilNanos(), w.endedAtNanos());
        assertTrue(run.timeline().stream().anyMatch(e -> e instanceof ConnectionReport r && r.id() == 1),
                "the closed connection is finished once its window is over");
    }

    /** RFC 9293 3.10.7.4 (and Linux): a FIN arriving in TIME_WAIT is acked again and 2*MSL starts over. */
    @Test
    void retransmittedFinInTimeWaitRestartsTheWindow() {
        Script s = open().fin(CLIENT).ack(SERVER).fin(SERVER).ack(CLIENT)
                .after(Duration.ofSeconds(10)).retransmit(5).ack(CLIENT);
        ConnectionReport r = s.run().only();
        TimeWaitWindow w = r.timeWait().get(0);
        assertEquals(Side.CLIENT, w.side());
        assertEquals(s.time(5), w.fromNanos(), "dated at the server's FIN, which the client acknowledged");
        assertEquals(s.time(7) + Duration.ofSeconds(60).toNanos(), w.untilNanos(), "restarted by the resent FIN");
        assertEquals(List.of(SYN_SENT, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, TIME_WAIT), path(r, CLIENT));
        assertEquals(1, r.serverSide().counts().retransmissions());
    }

    @Test
    void rfcTimeWaitIsFourMinutes() {
        ConnectionReport r = open().fin(CLIENT).ack(SERVER).fin(SERVER).ack(CLIENT)
                .run(AnalyzerConfig.defaults().withRfcTimeWait()).only();
        TimeWaitWindow w = r.timeWait().get(0);
        assertEquals(Duration.ofMinutes(4).toNanos(), w.untilNanos() - w.fromNanos());
    }

    @Test
    void newSynAboveTheOldSequenceSpaceReusesTheTupleLegally() {
        Script first = open().data(CLIENT, 100).fin(CLIENT).ack(SERVER).fin(SERVER).ack(CLIENT);
        Script.Run run = first.reconnect(900_000, 70_000).after(Duration.ofSeconds(1)).syn().synAck().ack(CLIENT).run();
        assertEquals(2, run.result().connections().size());
        ConnectionReport old = run.connection(1);
        ConnectionReport fresh = run.connection(2);
        assertEquals(TimeWaitEnd.REUSE, old.timeWait().get(0).endedBy());
        assertEquals(1, fresh.reuse().orElseThrow().previousId());
        assertEquals(Side.CLIENT, fresh.reuse().orElseThrow().inTimeWaitOf());
        assertTrue(fresh.reuse().orElseThrow().legal());
        assertEquals(Handshake.COMPLETE, fresh.handshake());
    }

    @Test
    void newSynBelowTheOldSequenceSpaceIsAPrematureReuse() {
        Script first = open().data(CLIENT, 100).fin(CLIENT).ack(SERVER).fin(SERVER).ack(CLIENT);
        Script.Run run = first.reconnect(10, 70_000).after(Duration.ofSeconds(1)).syn().run();
        assertFalse(run.connection(2).reuse().orElseThrow().legal());
    }

    @Test
    void captureStartingMidStreamIsGuessedAndInferred() {
        Script s = Script.between("10.0.0.1:40000", "10.0.0.2:80");
        // Without the handshake: hand the analyzer only the data and close.
        List<dev.finwait.tcp.Segment> segs = open().data(CLIENT, 10).ack(SERVER).fin(CLIENT).ack(SERVER)
                .fin(SERVER).ack(CLIENT).segments().subList(3, 9);
        ConnectionReport r = Script.run(AnalyzerConfig.defaults(), segs).only();
        assertEquals(Opener.GUESSED, r.opener());
        assertEquals(Handshake.NOT_SEEN, r.handshake());
        assertEquals("10.0.0.1:40000", r.client().toString(), "the port-80 side is the server");
        Transition first = r.clientSide().transitions().get(0);
        assertEquals(ESTABLISHED, first.state());
        assertTrue(first.inferred());
        assertEquals(CloseKind.FOUR_WAY, r.close());
    }

    @Test
    void synsCrossingAreASimultaneousOpen() {
        ConnectionReport r = Script.between("10.0.0.1:5000", "10.0.0.2:6000").syn().synFrom(SERVER)
                .synAckFrom(CLIENT).synAckFrom(SERVER).data(CLIENT, 5).run().only();
        assertEquals(Handshake.SIMULTANEOUS, r.handshake());
        assertEquals(ESTABLISHED, r.clientSide().finalState());
        assertEquals(ESTABLISHED, r.serverSide().finalState());
    }

    @Test
    void idleConnectionExpiresByCaptureTime() {
        AnalyzerConfig config = AnalyzerConfig.defaults().withIdleTimeout(Duration.ofSeconds(10));
        List<dev.finwait.tcp.Segment> segs = new java.util.ArrayList<>(open().data(CLIENT, 10).segments());
        segs.addAll(Script.between("10.0.0.9:1", "10.0.0.2:80").after(Duration.ofSeconds(30)).syn().segments());
        Script.Run run = Script.run(config, segs);
        ConnectionReport idle = run.connection(1);
        assertTrue(idle.anomalies().stream().anyMatch(a -> a.kind() == AnomalyKind.EXPIRED_IDLE));
        int finishedAt = -1;
        int lastSegmentEvent = -1;
        for (int i = 0; i < run.timeline().size(); i++) {
            if (run.timeline().get(i) instanceof ConnectionReport r && r.id() == 1) finishedAt = i;
            if (run.timeline().get(i) instanceof ConnectionEvent.Opened o && o.connectionId() == 2) lastSegmentEvent = i;
        }
        assertTrue(finishedAt >= 0 && finishedAt < lastSegmentEvent, "expired before the next connection opened");
    }

    @Test
    void finishedConnectionsAreDroppedFromTheTable() {
        dev.finwait.Analyzer analyzer = new dev.finwait.Analyzer(AnalyzerConfig.defaults().withRetainConnections(false),
                dev.finwait.event.AnalysisListener.NONE);
        open().fin(CLIENT).ack(SERVER).fin(SERVER).ack(CLIENT).segments().forEach(analyzer::accept);
        assertEquals(1, analyzer.liveConnections());
        analyzer.advanceTo(Script.T0 + Duration.ofSeconds(120).toNanos());
        assertEquals(0, analyzer.liveConnections());
        assertTrue(analyzer.finish().connections().isEmpty(), "nothing retained in streaming mode");
    }

    @Test
    void eventsComeInCaptureTimeOrder() {
        Script.Run run = open().data(CLIENT, 10).fin(CLIENT).ack(SERVER).fin(SERVER).ack(CLIENT).run();
        long last = Long.MIN_VALUE;
        for (ConnectionEvent e : run.events()) {
            assertTrue(e.atNanos() >= last, "event out of order: " + e);
            last = e.atNanos();
        }
    }
}
