package dev.finwait.diagnosis;

import dev.finwait.model.ResetCause;
import dev.finwait.tcp.IpAddress;
import java.util.List;
import java.util.Map;

/**
 * One IP address, as a client, a server or both.
 *
 * @param ip            the address
 * @param role          whether it opened connections, accepted them or both
 * @param asClient      connections it opened
 * @param asServer      connections it accepted (refused and unanswered attempts at it included)
 * @param peakTimeWait  the most of its own sockets in TIME_WAIT at once; null when it has no time series
 * @param peakCloseWait the most of its own sockets in CLOSE_WAIT at once; null likewise
 * @param resetsSent    the RST segments it sent, by cause (only non-zero counts)
 * @param findings      the findings about it: those of the services it serves, and its own ephemeral port
 *                      pressure, worst first
 */
public record HostRecord(IpAddress ip, Role role, long asClient, long asServer, Long peakTimeWait,
                         Long peakCloseWait, Map<ResetCause, Long> resetsSent, List<Finding> findings) {
    /** Copies the findings: a record never changes. */
    public HostRecord {
        findings = List.copyOf(findings);
    }

    /** What a host did in the capture. */
    public enum Role {
        /** It only opened connections. */
        CLIENT,
        /** It only accepted them. */
        SERVER,
        /** It did both. */
        BOTH;

        /** {@return the name in JSON and text output: the constant's name in lower case} */
        public String jsonName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
