package dev.finwait;

import dev.finwait.model.CaptureSummary;
import dev.finwait.model.ConnectionReport;
import java.util.List;

/** What a finished analysis found: the connections (if retained), in id order, and the totals. */
public record AnalysisResult(List<ConnectionReport> connections, CaptureSummary summary) {
    public AnalysisResult {
        connections = List.copyOf(connections);
    }
}
