package dev.finwait.model;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * A side's transitions kept as the state machine packs them, two words each: the time, then
 * {@code frame << 6 | state.ordinal() << 1 | (inferred ? 1 : 0)}. An unmodifiable list that makes each
 * {@link Transition} when asked: a report's transitions as objects, their array and the list around it
 * were over half of the report thread's allocation on 10 M packets, while the JSONL writer and the
 * diagnosis read each transition once (and the compiler, seeing the object go no further, mostly
 * makes none).
 */
final class PackedTransitions extends AbstractList<Transition> implements RandomAccess {
    private static final TcpState[] STATES = TcpState.values();
    private final long[] words;
    private final int size;

    /** Over the first {@code 2 * count} words: a copy of them, or ({@code adopt}) the array itself. */
    PackedTransitions(long[] words, int count, boolean adopt) {
        if (count < 0 || 2 * count > words.length) {
            throw new IllegalArgumentException(count + " transitions in " + words.length + " words");
        }
        this.words = adopt ? words : Arrays.copyOf(words, 2 * count);
        this.size = count;
        for (int i = 0; i < count; i++) {
            long meta = words[2 * i + 1];
            if (((meta >>> 1) & 0x1F) >= STATES.length) {
                throw new IllegalArgumentException("transition " + i + ": no state number " + ((meta >>> 1) & 0x1F));
            }
        }
    }

    @Override
    public Transition get(int i) {
        return new Transition(state(i), atNanos(i), frame(i), inferred(i));
    }

    TcpState state(int i) {
        return STATES[(int) (meta(i) >>> 1) & 0x1F];
    }

    long atNanos(int i) {
        Objects.checkIndex(i, size);
        return words[2 * i];
    }

    long frame(int i) {
        return meta(i) >> 6;
    }

    boolean inferred(int i) {
        return (meta(i) & 1) != 0;
    }

    private long meta(int i) {
        Objects.checkIndex(i, size);
        return words[2 * i + 1];
    }

    @Override
    public int size() {
        return size;
    }
}
