package dev.finwait.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.finwait.model.SideCounts;
import dev.finwait.compat.CompletenessTracker;
import dev.finwait.compat.ZeekConnTracker;
import dev.finwait.tcp.Endpoint;
import dev.finwait.tcp.FlowKey;
import dev.finwait.tcp.Segment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The compatibility trackers alone, without the state machine: every corpus capture decoded, its segments
 * grouped per 4-tuple (one connection per 4-tuple, which is how Zeek and tshark split every corpus capture
 * but one), each group fed to a {@link ZeekConnTracker} and a {@link CompletenessTracker}, and the verdicts
 * compared with Zeek's baselines and tshark's completeness. Each Zeek tracker runs with the
 * {@code likely_server_ports} of its baseline ({@link Corpus#zeekLikelyServerPorts}).
 */
class TrackersOnCorpusTest {

    @Test
    void zeekAndCompletenessTrackersAgreeWithTheOraclesOnEveryCorpusCapture() throws Exception {
        OracleComparison cmp = new OracleComparison(AllowedDifferences.load());
        for (Path capture : Corpus.captures()) {
            String name = Corpus.baseName(capture);
            List<OurConnection> ours = perFourTuple(Corpus.segments(capture, Corpus.zeekVerifiedChecksums(capture)),
                    Corpus.zeekLikelyServerPorts(capture));
            ExpectedAnswers all = Corpus.expected(capture);
            // Where tshark split a 4-tuple into several streams, one-connection-per-4-tuple cannot be compared.
            Map<FlowKey, Long> streams = all.tshark().stream()
                    .collect(java.util.stream.Collectors.groupingBy(ExpectedAnswers.TsharkRow::key,
                            java.util.stream.Collectors.counting()));
            ExpectedAnswers exp = new ExpectedAnswers(all.zeek(),
                    all.tshark().stream().filter(r -> streams.get(r.key()) == 1).toList(), all.suricata());
            cmp.compareTshark(name, ours, exp, false);
            cmp.compareZeek(name, ours, exp);
        }
        System.out.println("trackers alone, one connection per 4-tuple\n" + cmp.table());
        assertEquals("", String.join("\n", cmp.failures), "differences not in allowed-differences.tsv");
    }

    /** Fed with the {@code likely_server_ports} the capture's Zeek baseline ran with. */
    static List<OurConnection> perFourTuple(List<Corpus.Captured> segments, Set<Integer> likelyServerPorts) {
        Map<FlowKey, ZeekConnTracker> zeek = new LinkedHashMap<>();
        Map<FlowKey, CompletenessTracker> completeness = new LinkedHashMap<>();
        Map<FlowKey, Endpoint> first = new LinkedHashMap<>();
        for (Corpus.Captured c : segments) {
            Segment s = c.segment();
            zeek.computeIfAbsent(s.flowKey(), k -> new ZeekConnTracker(likelyServerPorts)).observe(s, c.capturedPayload());
            completeness.computeIfAbsent(s.flowKey(), k -> new CompletenessTracker()).observe(s);
            first.putIfAbsent(s.flowKey(), s.src());
        }
        List<OurConnection> out = new ArrayList<>();
        for (FlowKey k : zeek.keySet()) {
            Endpoint client = first.get(k);
            Endpoint server = client.equals(k.low()) ? k.high() : k.low();
            out.add(new OurConnection(client, server, SideCounts.ZERO, SideCounts.ZERO, zeek.get(k).summary(),
                    completeness.get(k).value(), Optional.empty(), Optional.empty()));
        }
        return out;
    }
}
