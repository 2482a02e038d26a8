package dev.finwait.state;

import static dev.finwait.Script.CLIENT;
import static dev.finwait.Script.SERVER;
import static dev.finwait.model.TcpState.CLOSED;
import static dev.finwait.model.TcpState.ESTABLISHED;
import static dev.finwait.model.TcpState.TIME_WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.finwait.Script;
import dev.finwait.model.AnomalyKind;
import dev.finwait.model.CloseKind;
import dev.finwait.model.ConnectionReport;
import dev.finwait.model.Reset;
import dev.finwait.model.ResetCause;
import dev.finwait.model.TimeWaitEnd;
import org.junit.jupiter.api.Test;

/** Issue 17's engine rules (RFC 5961 challenge ACKs, ...) on hand-built conversations. */
class TruthUnderAdversityTest {

    private static Script open() {
        return Script.between("10.0.0.1:40000", "10.0.0.2:80").syn().synAck().ack(CLIENT);
    }

    // ---- RFC 5961 3.2: only a RST at RCV.NXT resets; elsewhere in the window it is challenged ----

    @Test
    void inWindowRstOffTheNextSequenceNumberIsChallengedAndChangesNothing() {
        ConnectionReport r = open().data(CLIENT, 100).ack(SERVER)
                .rstAt(CLIENT, 1000, false)   // in the server's window, 1000 bytes past its RCV.NXT
                .ack(SERVER)                  // the challenge ACK
                .data(CLIENT, 10).ack(SERVER)
                .fin(CLIENT).ack(SERVER).fin(SERVER).ack(CLIENT).run().only();
        Reset rst = r.resets().get(0);
        assertFalse(rst.acceptable());
        assertEquals(ResetCause.CHALLENGED, rst.cause());
        assertEquals(CloseKind.FOUR_WAY, r.close());
        assertEquals(TIME_WAIT, r.clientSide().finalState());
        assertEquals(CLOSED, r.serverSide().finalState());
        assertEquals(TimeWaitEnd.CAPTURE_END, r.timeWait().get(0).endedBy());
        assertFalse(r.anomalies().stream().anyMatch(a -> a.kind() == AnomalyKind.RST_OUT_OF_WINDOW));
    }

    @Test
    void challengedRstWithAckKeepsBothSidesEstablished() {
        ConnectionReport r = open().data(SERVER, 50).ack(CLIENT).rstAt(SERVER, 1, true).ack(CLIENT).run().only();
        assertEquals(ResetCause.CHALLENGED, r.resets().get(0).cause());
        assertEquals(ESTABLISHED, r.clientSide().finalState());
        assertEquals(ESTABLISHED, r.serverSide().finalState());
        assertEquals(CloseKind.OPEN, r.close());
    }

    @Test
    void rstExactlyAtTheNextSequenceNumberStillResets() {
        ConnectionReport r = open().data(CLIENT, 100).ack(SERVER).rstAt(CLIENT, 0, false).run().only();
        Reset rst = r.resets().get(0);
        assertTrue(rst.acceptable());
        assertEquals(ResetCause.ABORT, rst.cause());
        assertEquals(CloseKind.RESET, r.close());
    }

    @Test
    void rstAtTheSendersNextSequenceNumberWhileDataIsUnacknowledgedIsAccepted() {
        // The server has not acknowledged the 100 bytes yet: its RCV.NXT is somewhere between its last
        // ACK and the client's SND.NXT, so a RST at the client's SND.NXT is taken as exact.
        ConnectionReport r = open().data(CLIENT, 100).rstAt(CLIENT, 0, true).run().only();
        assertTrue(r.resets().get(0).acceptable());
        assertEquals(CloseKind.RESET, r.close());
    }

    @Test
    void rstAtRcvNxtMinusOneAfterTheSendersFinIsAccepted() {
        // Linux's tcp_reset_check: CLOSE_WAIT / LAST_ACK / CLOSING take RCV.NXT - 1 (the FIN's own number).
        ConnectionReport r = open().fin(CLIENT).ack(SERVER).rstAt(CLIENT, -1, false).run().only();
        assertTrue(r.resets().get(0).acceptable());
        assertEquals(CLOSED, r.serverSide().finalState());
    }

    @Test
    void rstOutsideTheWindowStaysOutOfWindow() {
        ConnectionReport r = open().data(CLIENT, 10).ack(SERVER).rstAt(SERVER, 70_000, false).run().only();
        assertEquals(ResetCause.OUT_OF_WINDOW, r.resets().get(0).cause());
    }

    @Test
    void challengedRstIntoTimeWaitLeavesTheWindowOpen() {
        ConnectionReport r = open().fin(CLIENT).ack(SERVER).fin(SERVER).ack(CLIENT)
                .rstAt(SERVER, 500, false).run().only();
        assertEquals(ResetCause.CHALLENGED, r.resets().get(0).cause());
        assertEquals(TimeWaitEnd.CAPTURE_END, r.timeWait().get(0).endedBy());
    }

    // ---- a vanished peer: RST from no socket, told from an application's abort ----

    @Test
    void rstWithoutAckAtTheAnsweredSegmentsAckAfterSilenceIsFromNoSocket() {
        // The server's process is gone (its FIN lost): the client's next write finds no socket, and the
        // kernel answers with RST, no ACK, seq = the write's ack.
        ConnectionReport r = open().data(CLIENT, 100).ack(SERVER).after(java.time.Duration.ofSeconds(5))
                .data(CLIENT, 200).rstNoAck(SERVER).run().only();
        Reset rst = r.resets().get(0);
        assertEquals(ResetCause.NO_SOCKET, rst.cause());
        assertEquals(CLOSED, rst.senderState());
        assertTrue(rst.acceptable());
        assertFalse(rst.withAck());
        assertEquals(CloseKind.RESET, r.close());
    }

    @Test
    void applicationAbortFromALiveSocketStaysAbort() {
        // SO_LINGER 0: RST+ACK at SND.NXT, even with the peer's data unacknowledged.
        ConnectionReport r = open().data(CLIENT, 100).rst(SERVER).run().only();
        assertEquals(ResetCause.ABORT, r.resets().get(0).cause());
        assertEquals(ESTABLISHED, r.resets().get(0).senderState());
    }

    @Test
    void rstWithoutAckWithNothingUnacknowledgedStaysAbort() {
        ConnectionReport r = open().data(CLIENT, 100).ack(SERVER).rstNoAck(SERVER).run().only();
        assertEquals(ResetCause.ABORT, r.resets().get(0).cause());
    }

    @Test
    void orphanedFinWait2AnsweringDataStaysDataAfterClose() {
        // Linux's FIN_WAIT_2 socket answers data with the same no-ACK RST (write-after-close story).
        ConnectionReport r = open().fin(CLIENT).ack(SERVER).data(SERVER, 100).rstNoAck(CLIENT).run().only();
        assertEquals(ResetCause.DATA_AFTER_CLOSE, r.resets().get(0).cause());
    }

    // ---- duplicates told from retransmissions ----

    @Test
    void aSegmentCapturedTwiceIsADuplicateNotARetransmission() {
        ConnectionReport r = Script.between("10.0.0.1:40000", "10.0.0.2:80").syn().duplicateLast().synAck().ack(CLIENT)
                .data(CLIENT, 100).duplicateLast().ack(SERVER)
                .fin(CLIENT).duplicateLast().ack(SERVER).fin(SERVER).ack(CLIENT).run().only();
        assertEquals(3, r.clientSide().counts().duplicates());
        assertEquals(0, r.clientSide().counts().retransmissions());
        assertEquals(8, r.clientSide().counts().packets());
        assertEquals(2, r.clientSide().counts().fin());
        assertEquals(CloseKind.FOUR_WAY, r.close());
        assertEquals(java.util.List.of(dev.finwait.model.TcpState.SYN_SENT, ESTABLISHED, dev.finwait.model.TcpState.FIN_WAIT_1,
                dev.finwait.model.TcpState.FIN_WAIT_2, TIME_WAIT),
                r.clientSide().transitions().stream().map(dev.finwait.model.Transition::state).toList());
    }

    @Test
    void aRetransmissionHasANewIpIdAndStaysARetransmission() {
        ConnectionReport r = open().data(CLIENT, 100).retransmitLast().ack(SERVER).run().only();
        assertEquals(1, r.clientSide().counts().retransmissions());
        assertEquals(0, r.clientSide().counts().duplicates());
    }

    @Test
    void aDuplicatedRstIsOneReset() {
        ConnectionReport r = open().data(CLIENT, 10).ack(SERVER).rst(SERVER).duplicateLast().run().only();
        assertEquals(1, r.resets().size());
        assertEquals(1, r.serverSide().counts().duplicates());
    }

    @Test
    void simultaneousOpenSynAckRepeatingTheSynIsNoRetransmission() {
        ConnectionReport r = Script.between("10.0.0.1:40000", "10.0.0.2:80").syn().synFrom(SERVER)
                .synAckFrom(CLIENT).synAckFrom(SERVER).ack(CLIENT).run().only();
        assertEquals(0, r.clientSide().counts().retransmissions());
        assertEquals(0, r.serverSide().counts().retransmissions());
        assertEquals(dev.finwait.model.Handshake.SIMULTANEOUS, r.handshake());
    }

    @Test
    void aSynSentAgainIsStillARetransmission() {
        ConnectionReport r = Script.between("10.0.0.1:40000", "10.0.0.2:80").syn().retransmitLast().synAck().ack(CLIENT)
                .run().only();
        assertEquals(1, r.clientSide().counts().retransmissions());
    }

    // ---- keepalive and zero-window probes ----

    @Test
    void keepaliveProbesAreNeitherDataNorRetransmissions() {
        ConnectionReport r = open().data(CLIENT, 100).ack(SERVER).after(java.time.Duration.ofSeconds(75))
                .keepalive(CLIENT, 0).ack(SERVER).keepalive(CLIENT, 1).ack(SERVER)
                .data(CLIENT, 10).ack(SERVER).run().only();
        assertEquals(0, r.clientSide().counts().retransmissions());
        assertEquals(ESTABLISHED, r.clientSide().finalState());
        assertEquals(ESTABLISHED, r.serverSide().finalState());
    }

    @Test
    void keepaliveAfterTheFirstFinIsNoHalfCloseData() {
        ConnectionReport r = open().fin(SERVER).ack(CLIENT).after(java.time.Duration.ofSeconds(75))
                .keepalive(CLIENT, 1).ack(SERVER).fin(CLIENT).ack(SERVER).run().only();
        assertEquals(0, r.clientSide().counts().retransmissions());
        assertTrue(r.halfClose().isEmpty() || r.halfClose().get().bytesAfter() == 0);
    }

    @Test
    void zeroWindowProbesAreNeitherDataNorRetransmissions() {
        ConnectionReport r = open().data(CLIENT, 100).ackWindow(SERVER, 0)
                .zeroWindowProbe(CLIENT).ackWindow(SERVER, 0).zeroWindowProbe(CLIENT).ackWindow(SERVER, 0)
                .ack(SERVER)          // the window opens again
                .data(CLIENT, 100).ack(SERVER).run().only();
        assertEquals(0, r.clientSide().counts().retransmissions());
        assertEquals(ESTABLISHED, r.clientSide().finalState());
    }

    @Test
    void theLastByteResentBeforeItsAckIsStillARetransmission() {
        ConnectionReport r = open().data(CLIENT, 1).retransmitLast().ack(SERVER).run().only();
        assertEquals(1, r.clientSide().counts().retransmissions());
    }
}
