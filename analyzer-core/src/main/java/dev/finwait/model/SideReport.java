package dev.finwait.model;

import dev.finwait.model.TcpState;
import java.util.List;

/** Everything known about one side: its last state, every state it went through, what it sent. */
public record SideReport(TcpState finalState, List<Transition> transitions, SideCounts counts) {
    public SideReport {
        transitions = List.copyOf(transitions);
    }
}
