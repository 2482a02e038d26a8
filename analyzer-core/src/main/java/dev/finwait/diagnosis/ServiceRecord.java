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
 * @param server       the service: server address and port
 * @param connections  connections to it, refused and unanswered attempts included
 * @param clients      distinct client addresses; a lower bound when {@code clientsExact} is false
 *                     (counted exactly up to {@link Diagnosis#MAX_CLIENTS_COUNTED})
 * @param clientsExact whether {@code clients} is exact
 * @param handshake    connections by what became of their handshake
 * @param close        connections by how they ended
 * @param firstFin     who sent the first FIN
 * @param resets       RST segments by sender and cause
 * @param timeWait     TIME_WAIT windows per side and the most at once (null: no time series kept)
 * @param closeWait    the server's CLOSE_WAIT
 * @param findings     what was found about the service, worst first
 */
public record ServiceRecord(Endpoint server, long connections, long clients, boolean clientsExact,
                            Map<Handshake, Long> handshake, Map<CloseKind, Long> close, FirstFins firstFin,
                            Map<Side, Map<ResetCause, Long>> resets, TimeWaits timeWait, CloseWaits closeWait,
                            List<Finding> findings) {
    /** Copies the findings: a record never changes. */
    public ServiceRecord {
        findings = List.copyOf(findings);
    }

    /**
     * Who sent the first FIN, in connections.
     *
     * @param client the client closed first
     * @param server the server closed first
     * @param none   no FIN (reset, refused, still open)
     */
    public record FirstFins(long client, long server, long none) {
    }

    /**
     * TIME_WAIT windows per side; peaks are null when this service has no time series (see
     * {@link DiagnosisConfig#maxTimelines()}).
     *
     * @param client     windows on the client side (the usual place: the side that closes first waits)
     * @param server     windows on the server side
     * @param peakClient the most client sockets in TIME_WAIT at once
     * @param peakServer the most server sockets in TIME_WAIT at once
     */
    public record TimeWaits(long client, long server, Long peakClient, Long peakServer) {
    }

    /**
     * The server side in CLOSE_WAIT.
     *
     * @param connections connections whose server went through CLOSE_WAIT
     * @param maxSeconds  the longest stay, in seconds (up to the end of the capture for those still there)
     * @param openAtEnd   connections whose server was still in CLOSE_WAIT at the end
     */
    public record CloseWaits(long connections, double maxSeconds, long openAtEnd) {
    }
}
