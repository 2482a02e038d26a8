package dev.finwait.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.finwait.tcp.TcpFlags;
import org.junit.jupiter.api.Test;

class CompletenessTrackerTest {
    private static final boolean C = true;
    private static final boolean S = false;

    @Test
    void fullConversationSetsEveryBitButRst() {
        assertEquals(31, Script.http().syn().synAck().ack(C).data(C, 10).fin(C).fin(S).ack(C).completeness());
    }

    @Test
    void loneSynIsOne() {
        assertEquals(1, Script.http().syn().completeness());
    }

    @Test
    void aSingleSegmentThatIsNotABareSynReportsNothing() {
        assertEquals(0, Script.http().rst(C).completeness());
        assertEquals(0, Script.http().synAck().completeness());
        assertEquals(0, Script.http().data(C, 10).completeness());
    }

    @Test
    void refusedConnectionIsSynAckRst() {
        assertEquals(37, Script.http().syn().rst(S).completeness());
    }

    @Test
    void finWithoutAckDoesNotCount() {
        assertEquals(37, Script.http().syn().ack(S).raw(C, TcpFlags.FIN, 0).raw(C, TcpFlags.RST, 0).completeness());
    }

    @Test
    void payloadOnSynCountsAsData() {
        assertEquals(9, Script.http().raw(C, TcpFlags.SYN, 100).completeness());
        assertEquals(11, Script.http().raw(C, TcpFlags.SYN, 100).synAck().completeness());
    }

    @Test
    void synAfterItsSynAckIsNotCounted() {
        assertEquals(6, Script.http().synAck().raw(C, TcpFlags.SYN, 0).ack(C).completeness());
    }

    @Test
    void flagsRenderLikeWireshark() {
        assertEquals("SYN|SYN-ACK|ACK|DATA|FIN|RST", CompletenessTracker.flags(63));
        assertEquals("-", CompletenessTracker.flags(0));
    }
}
