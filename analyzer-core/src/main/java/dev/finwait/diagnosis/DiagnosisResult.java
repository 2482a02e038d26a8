package dev.finwait.diagnosis;

import java.util.List;

/**
 * The diagnosis of a whole capture: services (busiest first), hosts (busiest first), the time series,
 * and every finding of services and hosts, worst first.
 */
public record DiagnosisResult(List<ServiceRecord> services, List<HostRecord> hosts, List<Series> series,
                              List<Finding> findings) {
    public DiagnosisResult {
        services = List.copyOf(services);
        hosts = List.copyOf(hosts);
        series = List.copyOf(series);
        findings = List.copyOf(findings);
    }
}
