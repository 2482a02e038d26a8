package dev.finwait.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.finwait.Analyzer;
import dev.finwait.Fixtures;
import dev.finwait.capture.CaptureFormatException;
import dev.finwait.capture.CaptureReaders;
import dev.finwait.capture.FrameSource;
import dev.finwait.decode.DecodeStats;
import dev.finwait.decode.Decoder;
import dev.finwait.event.AnalysisListener;
import dev.finwait.model.AnalyzerConfig;
import dev.finwait.model.ConnectionReport;
import dev.finwait.pipeline.SegmentStage;
import dev.finwait.report.ConnectionVerdict;
import dev.finwait.tcp.FlowKey;
import dev.finwait.tcp.Segment;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The per-connection unit stands alone: each 4-tuple's segments fed to a {@link Flow} of its own,
 * with nothing of the other flows, give the same reports as the whole capture through the analyzer.
 * So no connection's report depends on other flows' packets (the order in which their deadlines
 * fire, or whether their packets moved the clock in between).
 */
class FlowUnitTest {
    // Ids from the first frame: the same in both runs, whatever order the connections open in.
    private static final ConnectionIds BY_FIRST_FRAME = (key, firstNanos, firstFrame) -> firstFrame;

    static Stream<Path> captures() {
        return Stream.concat(Fixtures.sampleCaptures().stream(), Fixtures.corpusCaptures().stream());
    }

    record Decoded(Segment segment, int capturedPayload) {
    }

    @ParameterizedTest
    @MethodSource("captures")
    void eachFlowAloneGivesTheReportsOfTheWholeCapture(Path capture) throws IOException {
        for (AnalyzerConfig config : List.of(AnalyzerConfig.defaults(),
                AnalyzerConfig.defaults().withTimeWait(java.time.Duration.ofMillis(5))
                        .withIdleTimeout(java.time.Duration.ofMillis(50)))) {
            List<Decoded> segments = decode(capture);
            Map<Long, ConnectionReport> whole = new TreeMap<>();
            Analyzer analyzer = Analyzer.builder(config).ids(BY_FIRST_FRAME)
                    .listener(AnalysisListener.onConnections(r -> whole.put(r.id(), r))).build();
            for (Decoded d : segments) {
                analyzer.accept(d.segment(), d.capturedPayload());
            }
            analyzer.finish();

            Map<FlowKey, List<Decoded>> byFlow = new LinkedHashMap<>();
            long end = Long.MIN_VALUE;
            for (Decoded d : segments) {
                byFlow.computeIfAbsent(d.segment().flowKey(), k -> new ArrayList<>()).add(d);
                end = Math.max(end, d.segment().timeNanos());
            }
            Map<Long, ConnectionReport> alone = new TreeMap<>();
            Flow.Context context = new Flow.Context(config, BY_FIRST_FRAME, null,
                    f -> alone.put(f.tracker().id(), ConnectionVerdict.report(f)));
            for (Map.Entry<FlowKey, List<Decoded>> e : byFlow.entrySet()) {
                Flow flow = new Flow(e.getKey(), context);
                for (Decoded d : e.getValue()) {
                    flow.accept(d.segment(), d.segment(), d.capturedPayload());
                }
                // What a stream processor's timers do: wake the flow at each deadline before the end.
                int wakeUps = 0;
                while (flow.isLive() && flow.nextDeadline() <= end) {
                    long deadline = flow.nextDeadline();
                    flow.advanceTo(deadline);
                    assertTrue(!flow.isLive() || flow.nextDeadline() > deadline, "a deadline moves on once reached");
                    assertTrue(++wakeUps < 1000);
                }
                flow.finishAtEnd(end);
                assertEquals(Long.MAX_VALUE, flow.nextDeadline(), "nothing left to wake");
            }
            assertEquals(whole.keySet(), alone.keySet(), capture + ": the same connections");
            for (long id : whole.keySet()) {
                assertEquals(whole.get(id), alone.get(id), capture + " connection " + id + " with " + config);
            }
        }
    }

    static List<Decoded> decode(Path capture) throws IOException {
        Decoder decoder = new Decoder(false);
        DecodeStats stats = new DecodeStats();
        List<Decoded> out = new ArrayList<>();
        try (FrameSource source = CaptureReaders.open(capture)) {
            while (source.next((number, time, link, data, offset, caplen, origlen, fileOffset) -> {
                Segment s = decoder.decodeSegment(number, time, link, data, offset, caplen, origlen, stats);
                if (s != null) {
                    out.add(new Decoded(s, SegmentStage.capturedPayload(caplen, origlen, s)));
                }
            })) {
                // the visitor collects
            }
        } catch (CaptureFormatException e) {
            // a truncated corpus file: what was read is enough
        }
        return out;
    }
}
