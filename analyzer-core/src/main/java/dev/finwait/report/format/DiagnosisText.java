package dev.finwait.report.format;

import dev.finwait.diagnosis.DiagnosisResult;
import dev.finwait.diagnosis.Finding;
import dev.finwait.diagnosis.FindingKind;
import dev.finwait.diagnosis.HostRecord;
import dev.finwait.diagnosis.ServiceRecord;
import dev.finwait.model.ResetCause;
import dev.finwait.model.Side;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The diagnosis for people: findings worst first, and the tables of {@code --by service} / {@code --by host}. */
final class DiagnosisText {
    private DiagnosisText() {
    }

    static void findings(StringBuilder sb, DiagnosisResult d) {
        findingList(sb, d);
        if (d.capped()) {
            sb.append("Past the cap on records: ").append(d.connectionsWithoutService())
                    .append(" connections of later services are in no service record (their findings not counted), ")
                    .append(d.endsWithoutHost()).append(" connection ends of later addresses in no host record\n");
        }
    }

    private static void findingList(StringBuilder sb, DiagnosisResult d) {
        if (d.findings().isEmpty()) {
            sb.append("\nFindings: none\n");
            return;
        }
        sb.append("\nFindings, worst first (see one connection with --connection ID --format ladder):\n");
        for (Finding f : d.findings()) {
            sb.append("  ").append(f.severity().jsonName()).append("  ").append(f.kind().jsonName()).append("  ");
            if (f.kind() == FindingKind.EPHEMERAL_PORT_PRESSURE) {
                sb.append("client ").append(d.hosts().stream().filter(h -> h.findings().contains(f)).findFirst()
                                .map(h -> h.ip().toString()).orElse("?"))
                        .append(" -> ").append(f.service()).append(": ").append(f.count()).append(" in TIME_WAIT at once, ")
                        .append(percent(f.share())).append(" of ").append(f.of()).append(" ephemeral ports\n");
            } else {
                sb.append(f.service()).append(f.side() == null ? "" : " (" + f.side().jsonName() + ")").append(": ")
                        .append(f.count()).append(" of ").append(f.of()).append(f.of() == 1 ? " connection (" : " connections (")
                        .append(percent(f.share())).append(")\n");
            }
            sb.append("      ").append(f.explanation()).append('\n');
            sb.append("      examples: ").append(f.examples().stream().map(id -> "#" + id)
                    .collect(Collectors.joining(" "))).append('\n');
        }
    }

    static void services(StringBuilder sb, DiagnosisResult d) {
        sb.append("\nServices, busiest first:\n");
        sb.append(String.format(Locale.ROOT, "  %-28s %7s %7s %13s %11s %15s %15s %20s  %s%n", "server", "conns", "clients",
                "1st FIN c/s/-", "RST c/s", "TIME_WAIT c/s", "peak TW c/s", "CLOSE_WAIT n/max/end", "findings"));
        for (ServiceRecord s : d.services()) {
            sb.append(String.format(Locale.ROOT, "  %-28s %7d %7s %13s %11s %15s %15s %20s  %s%n", s.server(), s.connections(),
                    s.clients() + (s.clientsExact() ? "" : "+"),
                    s.firstFin().client() + "/" + s.firstFin().server() + "/" + s.firstFin().none(),
                    sum(s.resets().get(Side.CLIENT)) + "/" + sum(s.resets().get(Side.SERVER)),
                    s.timeWait().client() + "/" + s.timeWait().server(),
                    orDash(s.timeWait().peakClient()) + "/" + orDash(s.timeWait().peakServer()),
                    s.closeWait().connections() + "/" + Times.seconds((long) (s.closeWait().maxSeconds() * 1e9)) + "/"
                            + s.closeWait().openAtEnd(),
                    kinds(s.findings())));
        }
    }

    static void hosts(StringBuilder sb, DiagnosisResult d) {
        sb.append("\nHosts, busiest first:\n");
        sb.append(String.format(Locale.ROOT, "  %-40s %-6s %9s %9s %8s %8s %8s  %s%n", "address", "role", "as client",
                "as server", "peak TW", "peak CW", "RST sent", "findings"));
        for (HostRecord h : d.hosts()) {
            sb.append(String.format(Locale.ROOT, "  %-40s %-6s %9d %9d %8s %8s %8d  %s%n", h.ip(), h.role().jsonName(),
                    h.asClient(), h.asServer(), orDash(h.peakTimeWait()), orDash(h.peakCloseWait()), sum(h.resetsSent()),
                    kinds(h.findings())));
        }
    }

    private static String percent(double share) {
        return Math.round(share * 100) + " %";
    }

    private static long sum(Map<ResetCause, Long> m) {
        return m == null ? 0 : m.values().stream().mapToLong(Long::longValue).sum();
    }

    private static String orDash(Long v) {
        return v == null ? "-" : v.toString();
    }

    private static String kinds(java.util.List<Finding> findings) {
        return findings.isEmpty() ? "-" : findings.stream()
                .map(f -> f.kind().jsonName() + (f.side() == null ? "" : "(" + f.side().jsonName() + ")") + " " + f.count())
                .collect(Collectors.joining(", "));
    }
}
