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
    /** Copies the transitions: a report never changes after it is made. */
    public SideReport {
        transitions = List.copyOf(transitions);
    }
}
