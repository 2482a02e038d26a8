package dev.finwait.model;

import dev.finwait.model.TcpState;
import java.util.List;

/**
 * Everything known about one side.
 *
 * @param finalState  its state when the analysis finished with the connection
 * @param transitions every state it went through, in order (an unmodifiable copy)
 * @param counts      what it sent
 */
public record SideReport(TcpState finalState, List<Transition> transitions, SideCounts counts) {
    /** Copies the transitions (unless already an unmodifiable list of its own): a report never changes after it is made. */
    public SideReport {
        transitions = transitions instanceof PackedTransitions ? transitions : List.copyOf(transitions);
    }

    // Transition i's fields without making the Transition: the JSONL writer and the diagnosis read every
    // transition of every report, and C1 (short captures, 1 M packets) cannot elide the objects.

    /** {@return the state of transition {@code i}} */
    public TcpState stateAt(int i) {
        return transitions instanceof PackedTransitions p ? p.state(i) : transitions.get(i).state();
    }

    /** {@return the time of transition {@code i}} */
    public long atNanosAt(int i) {
        return transitions instanceof PackedTransitions p ? p.atNanos(i) : transitions.get(i).atNanos();
    }

    /** {@return the frame of transition {@code i}} */
    public long frameAt(int i) {
        return transitions instanceof PackedTransitions p ? p.frame(i) : transitions.get(i).frame();
    }

    /** {@return whether transition {@code i} was inferred} */
    public boolean inferredAt(int i) {
        return transitions instanceof PackedTransitions p ? p.inferred(i) : transitions.get(i).inferred();
    }
}
