package dev.finwait.state;
import dev.finwait.model.TcpState;

/**
 * What a stimulus does to a side in a given state: go to {@code next}, stay (a retransmission or
 * a no-op), or stay and flag the segment as unexpected for that state.
 */
public record Outcome(TcpState next, Kind kind) {
    public enum Kind { GO, STAY, UNEXPECTED }

    static Outcome go(TcpState next) {
        return new Outcome(next, Kind.GO);
    }

    static Outcome stay(TcpState current) {
        return new Outcome(current, Kind.STAY);
    }

    static Outcome unexpected(TcpState current) {
        return new Outcome(current, Kind.UNEXPECTED);
    }

    public boolean changes() {
        return kind == Kind.GO;
    }
}
