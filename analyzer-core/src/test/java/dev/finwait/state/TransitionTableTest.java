package dev.finwait.state;
import dev.finwait.model.TcpState;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TransitionTableTest {

    @Test
    void everyStateAndStimulusIsDeclaredExactlyOnce() {
        assertEquals(TcpState.values().length, TransitionTable.GRID.length);
        Set<String> states = new HashSet<>();
        for (String row : TransitionTable.GRID) {
            String[] cells = row.trim().split("\\s+");
            assertEquals(Stimulus.values().length + 1, cells.length, row);
            assertTrue(states.add(cells[0]), "declared twice: " + cells[0]);
        }
        for (TcpState s : TcpState.values()) {
            for (Stimulus st : Stimulus.values()) {
                assertNotNull(TransitionTable.apply(s, st), s + " x " + st);
            }
        }
    }

    @Test
    void aGridWithAMissingCellIsRejected() {
        String[] broken = Arrays.copyOf(TransitionTable.GRID, TransitionTable.GRID.length);
        broken[0] = broken[0].substring(0, broken[0].lastIndexOf(' '));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> TransitionTable.parse(broken));
        assertTrue(e.getMessage().startsWith("transition row has 10 cells, expected 11"), e.getMessage());
    }

    @Test
    void aStateDeclaredTwiceIsRejected() {
        String[] broken = Arrays.copyOf(TransitionTable.GRID, TransitionTable.GRID.length);
        broken[1] = broken[0];
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> TransitionTable.parse(broken));
        assertEquals("state declared twice in the transition grid: UNKNOWN", e.getMessage());
    }

    @Test
    void onlyAFinReceiptOrItsAckLeadsIntoTimeWait() {
        for (TcpState s : TcpState.values()) {
            for (Stimulus st : Stimulus.values()) {
                Outcome o = TransitionTable.apply(s, st);
                if (o.changes() && o.next() == TcpState.TIME_WAIT) {
                    assertTrue(s.hasSentFin(), s + " x " + st + " enters TIME_WAIT without having sent FIN");
                }
            }
        }
    }

    @Test
    void rfcArrowsAreThere() {
        assertEquals(TcpState.FIN_WAIT_2, TransitionTable.apply(TcpState.FIN_WAIT_1, Stimulus.RECV_ACK_OF_FIN).next());
        assertEquals(TcpState.CLOSING, TransitionTable.apply(TcpState.FIN_WAIT_1, Stimulus.RECV_FIN).next());
        assertEquals(TcpState.TIME_WAIT, TransitionTable.apply(TcpState.CLOSING, Stimulus.RECV_ACK_OF_FIN).next());
        assertEquals(TcpState.LAST_ACK, TransitionTable.apply(TcpState.CLOSE_WAIT, Stimulus.SEND_FIN).next());
        assertEquals(TcpState.CLOSED, TransitionTable.apply(TcpState.LAST_ACK, Stimulus.RECV_ACK_OF_FIN).next());
        assertEquals(TcpState.SYN_RCVD, TransitionTable.apply(TcpState.SYN_SENT, Stimulus.RECV_SYN).next());
    }

    @Test
    void describePrintsOneLinePerStatePlusHeader() {
        assertEquals(TcpState.values().length + 1, TransitionTable.describe().size());
        assertTrue(TransitionTable.describe().get(6).startsWith("FIN_WAIT_1"));
    }
}
