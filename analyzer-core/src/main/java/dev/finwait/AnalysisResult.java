package dev.finwait;

import dev.finwait.report.CaptureSummary;
import dev.finwait.report.ConnectionReport;
import java.util.List;

/** What a finished analysis found: the connections (if retained), in id order, and the totals. */
public record AnalysisResult(List<ConnectionReport> connections, CaptureSummary summary) {
    public AnalysisResult {
        connections = List.copyOf(connections);
    }
}
