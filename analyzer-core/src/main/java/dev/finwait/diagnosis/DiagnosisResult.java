package dev.finwait.diagnosis;

import java.util.List;

/**
 * The diagnosis of a whole capture.
 *
 * @param services every server endpoint, busiest first
 * @param hosts    every address, busiest first
 * @param series   the time series of the services and hosts that have one, on one common grid
 * @param findings every finding of services and hosts, worst first
 */
public record DiagnosisResult(List<ServiceRecord> services, List<HostRecord> hosts, List<Series> series,
                              List<Finding> findings) {
    /** Copies the lists: a result never changes. */
    public DiagnosisResult {
        services = List.copyOf(services);
        hosts = List.copyOf(hosts);
        series = List.copyOf(series);
        findings = List.copyOf(findings);
    }
}
