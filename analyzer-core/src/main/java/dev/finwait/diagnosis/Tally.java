package dev.finwait.diagnosis;

import java.util.ArrayList;
import java.util.List;

/** A count of connections and the ids of the first few (and, as bits, how the packets showed it). */
final class Tally {
    long count;
    int marks;
    private final long[] examples;
    private int kept;

    Tally(int maxExamples) {
        examples = new long[maxExamples];
    }

    Tally copy() {
        Tally c = new Tally(examples.length);
        c.count = count;
        c.marks = marks;
        c.kept = kept;
        System.arraycopy(examples, 0, c.examples, 0, kept);
        return c;
    }

    void add(long id, int how) {
        marks |= how;
        add(id);
    }

    void add(long id) {
        count++;
        if (kept < examples.length) {
            examples[kept++] = id;
        }
    }

    List<Long> examples() {
        List<Long> out = new ArrayList<>(kept);
        for (int i = 0; i < kept; i++) {
            out.add(examples[i]);
        }
        return out;
    }
}
