package dev.finwait.state;

import dev.finwait.flow.FinishedConnection;
import dev.finwait.report.ConnectionVerdict;

/** A deliberate state -> report dependency, for ArchitectureTest to prove that its rule catches one. */
public final class ReportingLeakFixture {
    private ReportingLeakFixture() {
    }

    public static Object leak(FinishedConnection c) {
        return ConnectionVerdict.report(c);
    }
}
