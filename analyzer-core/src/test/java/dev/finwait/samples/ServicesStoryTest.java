package dev.finwait.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.finwait.Analyzer;
import dev.finwait.Fixtures;
import dev.finwait.capture.CaptureReaders;
import dev.finwait.diagnosis.Diagnosis;
import dev.finwait.diagnosis.DiagnosisConfig;
import dev.finwait.diagnosis.DiagnosisResult;
import dev.finwait.diagnosis.Finding;
import dev.finwait.diagnosis.FindingKind;
import dev.finwait.diagnosis.HostRecord;
import dev.finwait.diagnosis.ServiceRecord;
import dev.finwait.diagnosis.Severity;
import dev.finwait.event.AnalysisListener;
import dev.finwait.model.AnalyzerConfig;
import dev.finwait.model.ConnectionReport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * sample-captures/services.pcap: nine services on one loopback, each made by its application to
 * misbehave in one known way (and one clean), side by side in one capture. Each service must get its
 * own finding, for at least 90 % of the cases its application made, with examples among its own
 * connections, and nothing else; the clean service gets nothing. The denominators come from what the
 * applications did and the kernel's own record (ss, nstat) in services.truth.json, never from packets.
 */
class ServicesStoryTest {

    private static final Path SAMPLES = Fixtures.samples();
    /** make-captures.sh narrows the story namespace's ephemeral range to these 500 ports. */
    private static final DiagnosisConfig CONFIG = DiagnosisConfig.defaults().withEphemeralRange(40000, 40499);

    /** What each port's application did, as the story (Scenarios.servicesSideBySide) wrote it. */
    private static final Map<Integer, String> EXPECTED = Map.of(
            10401, "",
            10402, "close_wait_stuck/server",
            10403, "time_wait_on_server/server",
            10404, "write_after_peer_close/server",
            10405, "abortive_close/server",
            10406, "close_with_unread_data/server",
            10407, "refused",
            10408, "unanswered_syn",
            10409, "");

    private static JsonNode truth;
    private static DiagnosisResult diagnosis;
    private static final Map<Long, ConnectionReport> byId = new HashMap<>();

    @BeforeAll
    static void analyze() throws IOException {
        truth = new ObjectMapper().readTree(SAMPLES.resolve("services.truth.json").toFile());
        Diagnosis d = new Diagnosis(CONFIG);
        for (ConnectionReport r : Analyzer.analyze(CaptureReaders.open(SAMPLES.resolve("services.pcap")),
                AnalyzerConfig.defaults(), AnalysisListener.NONE).connections()) {
            byId.put(r.id(), r);
            d.add(r);
        }
        diagnosis = d.finish();
    }

    private static ServiceRecord service(int port) {
        return diagnosis.services().stream().filter(s -> s.server().port() == port).findFirst()
                .orElseThrow(() -> new AssertionError("no service record for port " + port));
    }

    private static long cases(int port) {
        return truth.get("services").get(String.valueOf(port)).get("connections").asLong();
    }

    private static String name(Finding f) {
        return f.kind().jsonName() + (f.side() == null ? "" : "/" + f.side().jsonName());
    }

    @Test
    void theStoryRanWithTheSettingsItNeeds() {
        JsonNode settings = truth.get("settings");
        assertEquals("40000-40499", settings.get("net.ipv4.ip_local_port_range").asText());
        assertEquals("0", settings.get("net.ipv4.tcp_tw_reuse").asText());
        assertTrue(settings.get("nft").asText().contains("tcp dport 10408"), settings.toString());
    }

    @Test
    void eachServiceHasItsOwnFindingAndNothingElse() {
        for (Map.Entry<Integer, String> e : EXPECTED.entrySet()) {
            int port = e.getKey();
            ServiceRecord s = service(port);
            Set<String> kinds = s.findings().stream().map(ServicesStoryTest::name).collect(Collectors.toSet());
            assertEquals(e.getValue().isEmpty() ? Set.of() : Set.of(e.getValue()), kinds, ":" + port);
            for (Finding f : s.findings()) {
                assertTrue(f.count() >= 0.9 * cases(port),
                        ":" + port + " " + name(f) + ": " + f.count() + " of " + cases(port) + " cases");
                assertTrue(!f.examples().isEmpty());
                for (long id : f.examples()) {
                    assertEquals(port, byId.get(id).server().port(), ":" + port + " example #" + id);
                }
            }
        }
    }

    @Test
    void theCleanServiceHasNoProblem() {
        assertTrue(service(10401).findings().isEmpty());
        assertTrue(service(10401).connections() >= 0.9 * cases(10401));
        // The pool's service itself is clean too: its clients close first; the pressure is the client host's.
        assertTrue(service(10409).findings().isEmpty());
        assertTrue(diagnosis.findings().stream().filter(f -> f.kind() != FindingKind.EPHEMERAL_PORT_PRESSURE)
                .noneMatch(f -> f.service().port() == 10401 || f.service().port() == 10409));
    }

    @Test
    void thePoolRunningOutOfPortsIsUnderPressure() {
        JsonNode pool = truth.get("services").get("10409");
        assertEquals("Cannot assign requested address", pool.get("first connect failure").asText(),
                "the story ran the pool until connect() found no port");
        HostRecord client = diagnosis.hosts().stream().filter(h -> h.ip().toString().equals("127.0.0.1"))
                .findFirst().orElseThrow();
        List<Finding> pressure = client.findings().stream()
                .filter(f -> f.kind() == FindingKind.EPHEMERAL_PORT_PRESSURE).toList();
        assertEquals(1, pressure.size(), pressure.toString());
        Finding f = pressure.get(0);
        assertEquals(10409, f.service().port());
        assertEquals(500, f.of());
        assertTrue(f.count() >= 0.9 * cases(10409), f.count() + " of " + cases(10409));
        assertEquals(Severity.PROBLEM, f.severity());
        for (long id : f.examples()) {
            assertEquals(10409, byId.get(id).server().port());
        }
        // The kernel's count of the pool's TIME_WAIT sockets when the range was exhausted.
        assertEquals(cases(10409), kernelSockets(0, "10409", "client TIME_WAIT"));
        // With Linux's default range (28,232 ports) 500 are no pressure.
        Diagnosis d = new Diagnosis(DiagnosisConfig.defaults());
        byId.values().forEach(d::add);
        assertTrue(d.finish().findings().stream().noneMatch(x -> x.kind() == FindingKind.EPHEMERAL_PORT_PRESSURE));
    }

    @Test
    void theKernelSawWhatTheFindingsSay() {
        // ss, 8 s after the stuck server read EOF: its sockets in CLOSE-WAIT, the clients' in FIN-WAIT-2.
        assertEquals(cases(10402), kernelSockets(0, "10402", "server CLOSE_WAIT"));
        assertEquals(kernelSockets(0, "10402", "server CLOSE_WAIT"), count(10402, FindingKind.CLOSE_WAIT_STUCK));
        assertTrue(service(10402).closeWait().maxSeconds() >= 8.0, "the kernel held them 8 s and more");
        // The server that closes first holds the TIME_WAIT sockets.
        assertEquals(kernelSockets(1, "10403", "server TIME_WAIT"), service(10403).timeWait().server());
        // nstat: SO_LINGER 0 closes count as TCPAbortOnData (data was read, nothing unread), closes with
        // unread input as TCPAbortOnClose.
        JsonNode counters = truth.get("kernel_counters");
        assertEquals(counters.get("TcpExtTCPAbortOnData").asLong(), count(10405, FindingKind.ABORTIVE_CLOSE));
        assertEquals(counters.get("TcpExtTCPAbortOnClose").asLong(), count(10406, FindingKind.CLOSE_WITH_UNREAD_DATA));
        assertEquals(counters.get("TcpAttemptFails").asLong(), count(10407, FindingKind.REFUSED));
    }

    private static long count(int port, FindingKind kind) {
        return service(port).findings().stream().filter(f -> f.kind() == kind).mapToLong(Finding::count).sum();
    }

    /** Sockets of one port in one state in the kernel's snapshot number {@code snapshot}. */
    private static long kernelSockets(int snapshot, String port, String state) {
        JsonNode n = truth.get("kernel").get(snapshot).get("sockets_by_port").path(port).path(state);
        return n.isMissingNode() ? 0 : n.asLong();
    }
}
