package dev.finwait.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The packed transitions read as the list of records they stand for, and cannot change. */
class PackedTransitionsTest {
    private static final List<Transition> RECORDS = List.of(
            new Transition(TcpState.SYN_SENT, 1_700_000_000_000_000_001L, 1, false),
            new Transition(TcpState.ESTABLISHED, 1_700_000_000_500_000_000L, 3, true),
            new Transition(TcpState.CLOSED, 1_700_000_061_000_000_000L, 1L << 40, false));

    private static long[] packed(List<Transition> ts, int spare) {
        long[] words = new long[2 * ts.size() + spare];
        for (int i = 0; i < ts.size(); i++) {
            Transition t = ts.get(i);
            words[2 * i] = t.atNanos();
            words[2 * i + 1] = t.frame() << 6 | (long) t.state().ordinal() << 1 | (t.inferred() ? 1 : 0);
        }
        return words;
    }

    @Test
    void readsAsTheRecordsItPacks() {
        long[] words = packed(RECORDS, 4);
        List<Transition> list = Transition.unpacking(words, RECORDS.size());
        words[0] = 0; // a copy: the tracker goes on
        assertEquals(RECORDS, list);
        assertEquals(list, RECORDS);
        assertEquals(RECORDS.hashCode(), list.hashCode());
        assertEquals(RECORDS.toString(), list.toString());
        assertThrows(UnsupportedOperationException.class, () -> list.add(RECORDS.get(0)));
        assertThrows(UnsupportedOperationException.class, () -> list.set(0, RECORDS.get(0)));
        assertThrows(IndexOutOfBoundsException.class, () -> list.get(3));
        assertEquals(List.of(), Transition.unpacking(words, 0));
    }

    @Test
    void aSideReportKeepsItAndReadsFieldsAsFromRecords() {
        List<Transition> list = Transition.unpacking(packed(RECORDS, 0), RECORDS.size());
        SideCounts counts = new SideCounts(1, 2, 3, 4, 5, 6, 7, 8, 9);
        SideReport packed = new SideReport(TcpState.CLOSED, list, counts);
        SideReport plain = new SideReport(TcpState.CLOSED, RECORDS, counts);
        assertSame(list, packed.transitions());
        assertEquals(plain, packed);
        for (SideReport s : List.of(packed, plain)) {
            for (int i = 0; i < RECORDS.size(); i++) {
                assertEquals(RECORDS.get(i).state(), s.stateAt(i));
                assertEquals(RECORDS.get(i).atNanos(), s.atNanosAt(i));
                assertEquals(RECORDS.get(i).frame(), s.frameAt(i));
                assertEquals(RECORDS.get(i).inferred(), s.inferredAt(i));
            }
            assertThrows(IndexOutOfBoundsException.class, () -> s.stateAt(3));
        }
    }

    @Test
    void aStateNumberOutOfRangeIsRefused() {
        long[] words = {1, 31L << 1};
        assertThrows(IllegalArgumentException.class, () -> Transition.unpacking(words, 1));
        assertThrows(IllegalArgumentException.class, () -> Transition.unpacking(words, 2));
    }

    @Test
    void adoptingSharesTheArrayUnpackingCopiesIt() {
        long[] words = packed(RECORDS, 2);
        List<Transition> adopted = Transition.adopting(words, RECORDS.size());
        List<Transition> copied = Transition.unpacking(words, RECORDS.size());
        assertEquals(RECORDS, adopted);
        words[0]++; // only a caller that broke its promise does this
        assertEquals(RECORDS.get(0).atNanos() + 1, adopted.get(0).atNanos());
        assertEquals(RECORDS, copied);
    }
}
