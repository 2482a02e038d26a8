package dev.finwait.report.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.finwait.Analyzer;
import dev.finwait.Fixtures;
import dev.finwait.capture.CaptureReaders;
import dev.finwait.event.AnalysisListener;
import dev.finwait.event.ConnectionEvent;
import dev.finwait.model.AnalyzerConfig;
import dev.finwait.model.CaptureSummary;
import dev.finwait.model.ConnectionReport;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The ladder policy: connections with a problem first, then a cap; every connection keeps its row. */
class HtmlWriterTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode[] page(HtmlWriter w, StringWriter out) throws Exception {
        AnalysisListener l = new AnalysisListener() {
            @Override
            public void onEvent(ConnectionEvent e) {
                w.event(e);
            }

            @Override
            public void onConnection(ConnectionReport r) {
                w.connection(r);
            }

            @Override
            public void onEnd(CaptureSummary s) {
                w.end(s);
            }
        };
        Analyzer a = Analyzer.builder(AnalyzerConfig.defaults().withEmitSegments(true)).eventListener(l).build();
        a.analyzeAll(CaptureReaders.open(Fixtures.samples().resolve("busy.pcap")));
        String html = out.toString();
        JsonNode[] blobs = new JsonNode[2];
        int i = 0;
        Matcher m = Pattern.compile("<script type=\"application/json\" id=\"[a-z-]+\">(.*?)</script>", Pattern.DOTALL).matcher(html);
        while (m.find()) {
            blobs[i++] = JSON.readTree(m.group(1));
        }
        assertEquals(2, i);
        return blobs;
    }

    @Test
    void problemsFirstThenTheCapAndEveryConnectionHasItsRow() throws Exception {
        StringWriter out = new StringWriter();
        JsonNode[] p = page(new HtmlWriter(out, List.of("busy.pcap"), 3, 2), out);
        JsonNode connections = p[0];
        assertEquals(60, connections.size(), "a row per connection");
        List<Long> withProblem = new ArrayList<>();
        List<Long> other = new ArrayList<>();
        for (JsonNode c : connections) {
            if (c.has("g")) {
                (c.has("p") ? withProblem : other).add(c.get("i").asLong());
                assertEquals(9L * (c.get("cs").get("n").get(0).asLong() + c.get("ss").get("n").get(0).asLong()), c.get("g").size(),
                        "nine numbers per segment of #" + c.get("i"));
            }
        }
        assertEquals(3, withProblem.size(), "the problem cap");
        assertEquals(2, other.size(), "the cap on the others");
        JsonNode ladders = p[1].get("ladders");
        assertEquals(5, ladders.get("kept").asInt());
        assertEquals(55, ladders.get("left_out").asInt());
        assertEquals(3, ladders.get("problem_cap").asInt());
        assertTrue(connections.get(0).get("t0").asLong() == 0, "times from the first written connection");
    }
}
