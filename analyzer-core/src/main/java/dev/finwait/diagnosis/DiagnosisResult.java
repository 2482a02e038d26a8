package dev.finwait.diagnosis;

import java.util.List;

/**
 * The diagnosis of a whole capture.
 *
 * @param services every server endpoint, busiest first
 * @param hosts    every address, busiest first
 * @param series   the time series of the services and hosts that have one, on one common grid
 * @param findings every finding of services and hosts, worst first
 * @param connectionsWithoutService connections of services first seen after
 *                                  {@link DiagnosisConfig#maxRecords} others: in no service record, their
 *                                  findings not counted (0 unless the cap was reached)
 * @param endsWithoutHost           connection ends (client or server address) of addresses first seen
 *                                  after {@link DiagnosisConfig#maxRecords} others: in no host record
 */
public record DiagnosisResult(List<ServiceRecord> services, List<HostRecord> hosts, List<Series> series,
                              List<Finding> findings, long connectionsWithoutService, long endsWithoutHost) {
    /** Copies the lists: a result never changes. */
    public DiagnosisResult {
        services = List.copyOf(services);
        hosts = List.copyOf(hosts);
        series = List.copyOf(series);
        findings = List.copyOf(findings);
    }

    /** A result with every service and host in a record of its own. */
    public DiagnosisResult(List<ServiceRecord> services, List<HostRecord> hosts, List<Series> series,
                           List<Finding> findings) {
        this(services, hosts, series, findings, 0, 0);
    }

    /** {@return whether the cap on records left some services or hosts out} */
    public boolean capped() {
        return connectionsWithoutService > 0 || endsWithoutHost > 0;
    }
}
