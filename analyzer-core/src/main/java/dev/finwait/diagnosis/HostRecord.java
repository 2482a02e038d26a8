package dev.finwait.diagnosis;

import dev.finwait.model.ResetCause;
import dev.finwait.tcp.IpAddress;
import java.util.List;
import java.util.Map;

/**
 * One IP address: whether it opened connections, accepted them or both, the most of its own sockets
 * in TIME_WAIT and CLOSE_WAIT at once (null when it has no time series), the RSTs it sent by cause,
 * and the findings about it: those of the services it serves, and its own ephemeral port pressure.
 */
public record HostRecord(IpAddress ip, Role role, long asClient, long asServer, Long peakTimeWait,
                         Long peakCloseWait, Map<ResetCause, Long> resetsSent, List<Finding> findings) {
    public HostRecord {
        findings = List.copyOf(findings);
    }

    public enum Role {
        CLIENT, SERVER, BOTH;

        public String jsonName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
