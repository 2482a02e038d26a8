package dev.finwait.report.format;

import static dev.finwait.Script.CLIENT;
import static dev.finwait.Script.SERVER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.finwait.Analyzer;
import dev.finwait.Script;
import dev.finwait.diagnosis.Diagnosis;
import dev.finwait.diagnosis.DiagnosisConfig;
import dev.finwait.diagnosis.Interim;
import dev.finwait.event.AnalysisListener;
import dev.finwait.model.AnalyzerConfig;
import dev.finwait.tcp.Segment;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the text and jsonl formats write a live capture's summary so far ({@code --summary-every}). */
class InterimFormatTest {

    /** A server stuck in CLOSE_WAIT (one connection, tracked) and a clean one (finished), 10 s after the FIN. */
    private static Interim soFar() {
        Diagnosis diagnosis = new Diagnosis(DiagnosisConfig.defaults());
        Analyzer analyzer = Analyzer.builder(AnalyzerConfig.defaults().withTimeWait(Duration.ofSeconds(1)))
                .listener(AnalysisListener.onConnections(diagnosis::add)).build();
        Script clean = Script.between("10.0.0.1:40001", "10.0.0.2:80").syn().synAck().ack(CLIENT)
                .fin(CLIENT).ack(SERVER).fin(SERVER).ack(CLIENT);
        Script stuck = Script.between("10.0.0.1:40000", "10.0.0.2:8080").syn().synAck().ack(CLIENT)
                .data(CLIENT, 100).ack(SERVER).fin(CLIENT).ack(SERVER);
        List<Segment> all = Script.merged(clean, stuck); // both start at T0: the clean one is #1 (a stable sort)
        all.forEach(analyzer::accept);
        long now = all.get(all.size() - 1).timeNanos() + Duration.ofSeconds(10).toNanos();
        analyzer.advanceTo(now);
        return diagnosis.soFar(analyzer.trackedSoFar(), now);
    }

    @Test
    void jsonlWritesInterimServiceAndHostRecordsThenOneInterimLine() throws Exception {
        Interim soFar = soFar();
        StringWriter w = new StringWriter();
        new JsonlWriter(w).interim(soFar);
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : w.toString().split("\n")) {
            lines.add(json.readTree(line));
        }
        assertEquals(List.of("interim_service", "interim_service", "interim_host", "interim_host", "interim"),
                lines.stream().map(n -> n.get("type").asText()).toList());
        String asOf = lines.get(0).get("as_of").asText();
        assertTrue(lines.stream().allMatch(n -> n.get("as_of").asText().equals(asOf)), "one moment for the block");
        JsonNode last = lines.get(lines.size() - 1);
        assertEquals(1, last.at("/connections/finished").asInt());
        assertEquals(1, last.at("/connections/tracked").asInt());
        assertEquals("close_wait_stuck", last.at("/findings/0/kind").asText());
        assertEquals(8080, last.at("/findings/0/service/port").asInt());
        assertEquals(2, last.at("/findings/0/examples/0").asInt());
        JsonNode stuck = lines.stream().filter(n -> n.get("type").asText().equals("interim_service")
                && n.at("/server/port").asInt() == 8080).findFirst().orElseThrow();
        assertEquals(1, stuck.at("/close_wait/open_at_end").asInt());
        assertEquals("close_wait_stuck", stuck.at("/findings/0/kind").asText());
    }

    @Test
    void pastTheCapOnRecordsJsonlAndTextSayWhatIsInNoRecord() throws Exception {
        dev.finwait.diagnosis.DiagnosisResult capped = new dev.finwait.diagnosis.DiagnosisResult(List.of(), List.of(),
                List.of(), List.of(), 7, 3);
        StringWriter w = new StringWriter();
        new JsonlWriter(w).diagnosis(capped);
        assertEquals("{\"type\":\"unrecorded\",\"connections_without_service\":7,\"ends_without_host\":3}\n",
                w.toString());
        StringWriter none = new StringWriter();
        new JsonlWriter(none).diagnosis(soFar().diagnosis());
        assertTrue(!none.toString().contains("unrecorded"), "only when the cap was reached");
        StringBuilder text = new StringBuilder();
        DiagnosisText.findings(text, capped);
        assertTrue(text.toString().contains("Past the cap on records: 7 connections of later services are in no service"
                + " record (their findings not counted), 3 connection ends of later addresses in no host record"), text::toString);
    }

    @Test
    void textWritesOneDelimitedBlock() {
        StringWriter w = new StringWriter();
        new TextWriter(w).withTables(true, false).interim(soFar());
        List<String> lines = w.toString().lines().toList();
        assertEquals("", lines.get(0));
        assertTrue(lines.get(1).matches("=== so far, as of \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{6}: "
                + "2 connections \\(1 finished, 1 still tracked\\) ==="), lines.get(1));
        assertTrue(lines.get(2).startsWith("Findings, worst first"), lines.get(2));
        assertTrue(lines.get(3).contains("problem  close_wait_stuck  10.0.0.2:8080 (server): 1 of 1 connection (100 %)"),
                lines.get(3));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("Services, busiest first")), "the --by service table");
        assertEquals("=== end of the summary so far ===", lines.get(lines.size() - 1));
    }
}
