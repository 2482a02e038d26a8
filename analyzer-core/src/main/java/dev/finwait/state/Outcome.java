package dev.finwait.state;
import dev.finwait.model.TcpState;

/**
 * What a stimulus does to a side in a given state: go to {@code next}, stay (a retransmission or
 * a no-op), or stay and flag the segment as unexpected for that state.
 *
 * @param next the state after the stimulus (the same state unless {@code kind} is GO)
 * @param kind which of the three it is
 */
public record Outcome(TcpState next, Kind kind) {
    /** The three things a table cell can say. */
    public enum Kind {
        /** Move to {@code next} ("a state name" in the table). */
        GO,
        /** Stay ("=" in the table). */
        STAY,
        /** Stay and report an anomaly ("!" in the table). */
        UNEXPECTED
    }

    static Outcome go(TcpState next) {
        return new Outcome(next, Kind.GO);
    }

    static Outcome stay(TcpState current) {
        return new Outcome(current, Kind.STAY);
    }

    static Outcome unexpected(TcpState current) {
        return new Outcome(current, Kind.UNEXPECTED);
    }

    /** {@return whether the side changes state} */
    public boolean changes() {
        return kind == Kind.GO;
    }
}
