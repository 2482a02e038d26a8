package dev.finwait.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.finwait.model.ZeekSummary;
import dev.finwait.tcp.TcpFlags;
import org.junit.jupiter.api.Test;

class ZeekConnTrackerTest {
    private static final boolean C = true;
    private static final boolean S = false;

    private static void assertZeek(String state, String history, Script script) {
        assertEquals(new ZeekSummary(state, history), script.zeek().summary());
    }

    @Test
    void normalOpenAndCloseIsSF() {
        assertZeek("SF", "ShADadFf", Script.http().syn().synAck().ack(C).data(C, 100).ack(S).data(S, 300)
                .fin(C).fin(S).ack(C));
    }

    @Test
    void unansweredSynIsS0AndARetransmittedSynWithTheSameSequenceAddsNoLetter() {
        assertZeek("S0", "S", Script.http().syn().lose(C, -1).syn());
    }

    @Test
    void synWithANewSequenceInSynSentRestartsTheNumberingSoItsRelativeSequenceIsZeroAgainAndNoSecondS() {
        // init_endpoint re-bases a SYN_SENT side on the new ISN before update_history compares sequences.
        assertZeek("S0", "S", Script.http().syn().lose(C, 7).syn());
    }

    @Test
    void synAnsweredByRstIsREJ() {
        assertZeek("REJ", "Sr", Script.http().syn().raw(S, TcpFlags.RST | TcpFlags.ACK, 0));
    }

    @Test
    void originatorResetAfterSynWithNoReplyIsRSTOS0() {
        assertZeek("RSTOS0", "SR", Script.http().syn().raw(C, TcpFlags.RST, 0));
    }

    @Test
    void establishedThenOriginatorResetIsRSTO() {
        assertZeek("RSTO", "ShADR", Script.http().syn().synAck().ack(C).data(C, 10).rst(C));
    }

    @Test
    void establishedThenResponderResetIsRSTR() {
        assertZeek("RSTR", "ShAr", Script.http().syn().synAck().ack(C).rst(S));
    }

    @Test
    void handshakeWithoutCloseIsS1() {
        assertZeek("S1", "ShA", Script.http().syn().synAck().ack(C));
    }

    @Test
    void onlyOriginatorFinIsS2AndOnlyResponderFinIsS3() {
        assertZeek("S2", "ShAF", Script.http().syn().synAck().ack(C).fin(C));
        assertZeek("S3", "ShAf", Script.http().syn().synAck().ack(C).fin(S));
    }

    @Test
    void finAfterSynWithNoReplyIsSH() {
        assertZeek("SH", "SF", Script.http().syn().raw(C, TcpFlags.FIN, 0));
    }

    @Test
    void midStreamDataOnlyIsOTH() {
        assertZeek("OTH", "DdA", Script.toPort(4000).data(C, 10).data(S, 10).ack(C));
    }

    @Test
    void connectionOpenedBySynAckFromAServerPortIsFlippedAtOnce() {
        Script s = Script.http().synAck();
        ZeekConnTracker t = s.zeek();
        assertEquals(new ZeekSummary("OTH", "^h"), t.summary());
        assertEquals(Script.CLIENT, t.originator().orElseThrow());
    }

    @Test
    void synAckFromAnUnknownPortFollowedByAnAckIsFlippedAsIfFromTheStart() {
        assertZeek("SF", "^hADadFf", Script.toPort(4000).synAck().ack(C).data(C, 5).ack(S).data(S, 5)
                .fin(C).fin(S));
    }

    @Test
    void lateSynAfterItsSynAckFlipsTheRolesAndLogsCaretAfterTheLetters() {
        Script s = Script.toPort(4000).synAck();
        Script withSyn = s.raw(C, TcpFlags.SYN, 0);
        // The SYN repeats the client's ISN the SYN-ACK acknowledged: a reordered handshake.
        ZeekConnTracker t = new ZeekConnTracker();
        withSyn.segments().forEach(seg -> {
            if (seg.syn() && !seg.hasAck()) {
                t.observe(new dev.finwait.tcp.Segment(seg.frame(), seg.timeNanos(), seg.src(), seg.dst(), seg.flags(),
                        seg.seq() - 1, 0, seg.window(), 0, seg.options(), seg.checksum()));
            } else {
                t.observe(seg);
            }
        });
        assertEquals("Hs^", t.summary().history());
        assertEquals(Script.CLIENT, t.originator().orElseThrow());
    }

    @Test
    void retransmittedDataIsLoggedAtOneTenAndHundredOccurrences() {
        Script s = Script.http().syn().synAck().ack(C).data(C, 10);
        for (int i = 0; i < 10; i++) {
            s.resend(C, 10, 10);
        }
        assertEquals("ShADTT", s.zeek().summary().history());
    }

    @Test
    void zeroWindowIsLoggedOncePerScaleAfterTheAckLetterOfTheSamePacket() {
        assertEquals("ShAaw", Script.http().syn().synAck().ack(C).windowZero(S).windowZero(S).zeek().summary().history());
    }

    @Test
    void badChecksumSegmentOnlyCountsAsC() {
        assertZeek("OTH", "C", Script.http().badChecksum(C, TcpFlags.SYN));
    }

    @Test
    void finAndRstTogetherIsInconsistentAndSynFinIsMultiFlag() {
        assertEquals("ShAI", Script.http().syn().synAck().ack(C).raw(C, TcpFlags.FIN | TcpFlags.RST | TcpFlags.ACK, 0)
                .zeek().summary().history());
        assertEquals("Q", Script.toPort(4000).raw(C, TcpFlags.SYN | TcpFlags.FIN, 0).zeek().summary().history());
    }

    @Test
    void ackAboveUnseenDataIsAGapOfTheSenderOfThatData() {
        assertEquals("ShADadgF", Script.http().syn().synAck().ack(C).data(C, 10).ack(S).data(S, 10).lose(S, 50)
                .ack(C).fin(C).zeek().summary().history());
    }

    @Test
    void retransmittedFinAddsNoLetterButARstWithANewSequenceDoes() {
        assertEquals("ShAFf", Script.http().syn().synAck().ack(C).fin(C).lose(C, -1).fin(C).fin(S)
                .zeek().summary().history());
        assertEquals("ShADRR", Script.http().syn().synAck().ack(C).data(C, 5).rst(C).lose(C, 5).rst(C)
                .zeek().summary().history());
    }

    @Test
    void dataCutByTheSnapLengthIsAGapOnceAcknowledged() {
        ZeekConnTracker t = new ZeekConnTracker();
        for (dev.finwait.tcp.Segment seg : Script.http().syn().synAck().ack(C).data(C, 474).ack(S).segments()) {
            t.observe(seg, seg.payloadLength() > 0 ? 0 : seg.payloadLength());
        }
        assertEquals("ShADaG", t.summary().history());
    }
}
