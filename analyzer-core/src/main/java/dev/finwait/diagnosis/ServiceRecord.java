package dev.finwait.diagnosis;

import dev.finwait.model.CloseKind;
import dev.finwait.model.Handshake;
import dev.finwait.model.ResetCause;
import dev.finwait.model.Side;
import dev.finwait.tcp.Endpoint;
import java.util.List;
import java.util.Map;

/**
 * Everything the capture shows about one server endpoint (ip:port). Refused and unanswered attempts
 * count as connections of the service they were aimed at. Maps hold only non-zero counts.
 *
 * @param clients      distinct client addresses; a lower bound when {@code clientsExact} is false
 *                     (counted exactly up to {@link Diagnosis#MAX_CLIENTS_COUNTED})
 * @param resets       RST segments by sender and cause
 * @param timeWait     TIME_WAIT windows per side and the most at once (null: no time series kept)
 * @param closeWait    the server's CLOSE_WAIT
 */
public record ServiceRecord(Endpoint server, long connections, long clients, boolean clientsExact,
                            Map<Handshake, Long> handshake, Map<CloseKind, Long> close, FirstFins firstFin,
                            Map<Side, Map<ResetCause, Long>> resets, TimeWaits timeWait, CloseWaits closeWait,
                            List<Finding> findings) {
    public ServiceRecord {
        findings = List.copyOf(findings);
    }

    /** Who sent the first FIN; {@code none}: no FIN (reset, refused, still open). */
    public record FirstFins(long client, long server, long none) {
    }

    /** TIME_WAIT windows per side; peaks are null when this service has no time series (see maxTimelines). */
    public record TimeWaits(long client, long server, Long peakClient, Long peakServer) {
    }

    /**
     * The server side in CLOSE_WAIT: how many connections went through it, the longest stay in seconds
     * (up to the end of the capture for those still there), and how many were still there at the end.
     */
    public record CloseWaits(long connections, double maxSeconds, long openAtEnd) {
    }
}
