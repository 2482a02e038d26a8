package dev.finwait;

import dev.finwait.model.CaptureSummary;
import dev.finwait.model.ConnectionReport;
import java.util.List;

/**
 * What a finished analysis found: the connections (if retained), in id order, and the totals.
 *
 * @param connections every finished connection's report, in id order; empty when the configuration
 *                    does not retain them ({@link dev.finwait.model.AnalyzerConfig#retainConnections()})
 * @param summary     the capture's totals: frames, TCP segments, connections, problems, input error
 */
public record AnalysisResult(List<ConnectionReport> connections, CaptureSummary summary) {
    /** Keeps an unmodifiable copy of the list. */
    public AnalysisResult {
        connections = List.copyOf(connections);
    }
}
