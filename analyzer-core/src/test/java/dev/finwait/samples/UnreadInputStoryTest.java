package dev.finwait.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
import dev.finwait.event.AnalysisListener;
import dev.finwait.model.AnalyzerConfig;
import dev.finwait.model.ConnectionReport;
import dev.finwait.model.ReceiveWindow;
import dev.finwait.model.Reset;
import dev.finwait.model.ResetCause;
import dev.finwait.model.Side;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A lone RST after unread input told apart from a deliberate abort by the receive window its sender
 * advertised before it. sample-captures/unread-lone-rst: two C-style servers (close(2) with no shutdown
 * first) with a 4 KiB receive buffer; one closes with 3,996 bytes unread (ss Recv-Q, the kernel's
 * TcpExtTCPAbortOnClose), one after reading everything, with SO_LINGER 0 (TcpExtTCPAbortOnData). Both
 * send RST+ACK from ESTABLISHED; the kernel's counters, never the packets, say which is which.
 */
class UnreadInputStoryTest {
    private static final Path SAMPLES = Fixtures.samples();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern COUNTERS = Pattern.compile("TcpExtTCPAbortOnClose \\+(\\d+).*TcpExtTCPAbortOnData \\+(\\d+)"
            + ".*Recv-Q before close\\(\\): (\\d+) bytes");

    private static List<ConnectionReport> analyze(String story) throws IOException {
        return Analyzer.analyze(CaptureReaders.open(SAMPLES.resolve(story + ".pcap")), AnalyzerConfig.defaults(),
                AnalysisListener.NONE).connections();
    }

    private static DiagnosisResult diagnose(List<ConnectionReport> reports) {
        Diagnosis d = new Diagnosis(DiagnosisConfig.defaults());
        reports.forEach(d::add);
        return d.finish();
    }

    private static List<Long> examples(DiagnosisResult d, FindingKind kind) {
        List<Long> ids = new ArrayList<>();
        for (Finding f : d.findings()) {
            if (f.kind() == kind) {
                ids.addAll(f.examples());
            }
        }
        return ids;
    }

    @Test
    void theWindowTellsTheCloseWithUnreadInputFromTheAbortAsTheKernelCountedThem() throws IOException {
        JsonNode truth = JSON.readTree(SAMPLES.resolve("unread-lone-rst.truth.json").toFile());
        List<ConnectionReport> reports = analyze("unread-lone-rst");
        DiagnosisResult d = diagnose(reports);
        assertEquals(2, truth.get("verdict").size());
        int unread = 0;
        int aborted = 0;
        for (JsonNode v : truth.get("verdict")) {
            int clientPort = v.get("client").get("port").asInt();
            ConnectionReport r = reports.stream().filter(c -> c.client().port() == clientPort).findFirst().orElseThrow();
            Matcher m = COUNTERS.matcher(v.get("resets").get(0).get("evidence").asText());
            assertTrue(m.find(), v::toString);
            long onClose = Long.parseLong(m.group(1));
            long onData = Long.parseLong(m.group(2));
            long recvQ = Long.parseLong(m.group(3));
            assertEquals(1, onClose + onData, "one abort per connection in the kernel's record: " + v);
            Reset rst = r.resets().get(0);
            assertEquals(Side.SERVER, rst.by());
            assertEquals(ResetCause.ABORT, rst.cause(), "a lone RST from ESTABLISHED, both times");
            ReceiveWindow w = rst.senderWindow();
            assertNotNull(w);
            if (onClose == 1) {
                unread++;
                assertTrue(recvQ > 0, "ss saw the unread bytes: " + v);
                assertEquals(new ReceiveWindow(0, 4096), w, "the 4 KiB buffer full, never reopened");
                assertEquals(List.of(r.id()), examples(d, FindingKind.CLOSE_WITH_UNREAD_DATA));
            } else {
                aborted++;
                assertEquals(0, recvQ, "everything read: " + v);
                assertEquals(new ReceiveWindow(3996, 4096), w, "100 bytes acknowledged before they were read");
                assertEquals(List.of(r.id()), examples(d, FindingKind.ABORTIVE_CLOSE),
                        "a window shrunk by what was later read is no evidence of unread input");
            }
        }
        assertEquals(1, unread);
        assertEquals(1, aborted);
    }

    static List<String> stories() throws IOException {
        return SampleCapturesTest.stories();
    }

    /**
     * Precision over every recorded story: never more connections named close_with_unread_data than
     * closes with unread input the kernel counted (TcpExtTCPAbortOnClose), the SO_LINGER 0 and killed
     * process stories included.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("stories")
    void neverMoreUnreadInputThanTheKernelCounted(String story) throws IOException {
        JsonNode truth = JSON.readTree(SAMPLES.resolve(story + ".truth.json").toFile());
        JsonNode counted = truth.get("kernel_counters").get("TcpExtTCPAbortOnClose");
        long named = diagnose(analyze(story)).findings().stream()
                .filter(f -> f.kind() == FindingKind.CLOSE_WITH_UNREAD_DATA).mapToLong(Finding::count).sum();
        assertTrue(named <= counted.asLong(), story + ": " + named + " named, the kernel counted " + counted);
    }
}
