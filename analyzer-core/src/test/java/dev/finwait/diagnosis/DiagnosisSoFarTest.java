package dev.finwait.diagnosis;

import static dev.finwait.Script.CLIENT;
import static dev.finwait.Script.SERVER;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.finwait.Analyzer;
import dev.finwait.Script;
import dev.finwait.event.AnalysisListener;
import dev.finwait.model.AnalyzerConfig;
import dev.finwait.model.ConnectionReport;
import dev.finwait.model.TimeWaitEnd;
import dev.finwait.tcp.Endpoint;
import dev.finwait.tcp.Segment;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A live capture's summary so far ({@link Diagnosis#soFar}): the finished reports plus the provisional
 * reports of the connections still tracked ({@link Analyzer#trackedSoFar}), judged at a moment, while
 * the diagnosis itself goes on unchanged.
 */
class DiagnosisSoFarTest {

    /** An analyzer fed segment by segment, its finished reports going into a diagnosis. */
    private static final class Live {
        final Diagnosis diagnosis = new Diagnosis(DiagnosisConfig.defaults());
        final Analyzer analyzer = Analyzer.builder(AnalyzerConfig.defaults().withRetainConnections(false))
                .listener(AnalysisListener.onConnections(diagnosis::add)).build();

        Interim at(long nanos) {
            analyzer.advanceTo(nanos);
            return diagnosis.soFar(analyzer.trackedSoFar(), nanos);
        }
    }

    private static Map<String, Long> kinds(DiagnosisResult d, String server) {
        ServiceRecord s = service(d, server);
        return s.findings().stream().collect(Collectors.toMap(
                f -> f.kind().jsonName() + (f.side() == null ? "" : "/" + f.side().jsonName()), Finding::count));
    }

    private static ServiceRecord service(DiagnosisResult d, String server) {
        int colon = server.lastIndexOf(':');
        Endpoint e = Endpoint.of(server.substring(0, colon), Integer.parseInt(server.substring(colon + 1)));
        return d.services().stream().filter(s -> s.server().equals(e)).findFirst().orElseThrow();
    }

    private static Script stuck(String client, String server) {
        return Script.between(client, server).syn().synAck().ack(CLIENT).data(CLIENT, 100).ack(SERVER)
                .fin(CLIENT).ack(SERVER);
    }

    private static Script serverClosesFirst(String client, String server) {
        return Script.between(client, server).syn().synAck().ack(CLIENT).data(SERVER, 200).ack(CLIENT)
                .fin(SERVER).ack(CLIENT).fin(CLIENT).ack(SERVER);
    }

    @Test
    void aServerThatDoesNotCloseIsStuckOnceTheThresholdHasPassedWhileTheCaptureRuns() {
        Live live = new Live();
        Script s = stuck("10.0.0.1:40000", "10.0.0.2:8080");
        s.segments().forEach(live.analyzer::accept);
        long fin = s.segments().get(s.segments().size() - 1).timeNanos();

        Interim early = live.at(fin + Duration.ofSeconds(2).toNanos());
        assertEquals(Map.of(), kinds(early.diagnosis(), "10.0.0.2:8080"), "2 s after EOF: not yet stuck");
        assertEquals(0, early.finished());
        assertEquals(1, early.tracked());

        Interim late = live.at(fin + Duration.ofSeconds(6).toNanos());
        assertEquals(Map.of("close_wait_stuck/server", 1L), kinds(late.diagnosis(), "10.0.0.2:8080"));
        assertEquals(fin + Duration.ofSeconds(6).toNanos(), late.asOfNanos());
        ServiceRecord r = service(late.diagnosis(), "10.0.0.2:8080");
        assertEquals(1, r.closeWait().openAtEnd(), "still in CLOSE_WAIT as of now");
        assertEquals(List.of(1L), late.diagnosis().findings().get(0).examples());
    }

    @Test
    void aTimeWaitStillOpenCountsUntilTheMomentAskedNotUntilItsScheduledEnd() {
        Live live = new Live();
        Script a = serverClosesFirst("10.0.0.1:40000", "10.0.0.2:80");
        Script b = serverClosesFirst("10.0.0.1:40001", "10.0.0.2:80");
        Script.merged(a, b).forEach(live.analyzer::accept);
        List<ConnectionReport> tracked = live.analyzer.trackedSoFar();
        assertEquals(2, tracked.size());
        assertTrue(tracked.stream().allMatch(r -> r.timeWait().size() == 1
                && r.timeWait().get(0).endedBy() == TimeWaitEnd.SCHEDULED), tracked::toString);

        long asked = Script.T0 + Duration.ofSeconds(5).toNanos();
        Interim i = live.at(asked);
        assertEquals(asked, i.asOfNanos(), "the scheduled ends (60 s later) do not move the moment");
        ServiceRecord r = service(i.diagnosis(), "10.0.0.2:80");
        assertEquals(2, r.timeWait().server());
        assertEquals(2L, r.timeWait().peakServer(), "both windows still open now");
        assertEquals(Map.of("time_wait_on_server/server", 2L), kinds(i.diagnosis(), "10.0.0.2:80"));
    }

    @Test
    void askingSoFarChangesNothingOfTheFinalDiagnosis() {
        Script[] scripts = {stuck("10.0.0.1:40000", "10.0.0.2:8080"), serverClosesFirst("10.0.0.1:40001", "10.0.0.2:80"),
                serverClosesFirst("10.0.0.3:40002", "10.0.0.2:80").after(Duration.ofSeconds(90)).ack(CLIENT),
                stuck("10.0.0.3:40003", "10.0.0.2:8080").after(Duration.ofSeconds(120)).ack(SERVER)};
        List<Segment> all = Script.merged(scripts);

        Live plain = new Live();
        all.forEach(plain.analyzer::accept);
        plain.analyzer.finish();
        DiagnosisResult expected = plain.diagnosis.finish();

        Live asked = new Live();
        for (int i = 0; i < all.size(); i++) {
            asked.analyzer.accept(all.get(i));
            Interim so = asked.diagnosis.soFar(asked.analyzer.trackedSoFar(), all.get(i).timeNanos());
            assertEquals(so.finished() + so.tracked(),
                    so.diagnosis().services().stream().mapToLong(ServiceRecord::connections).sum(),
                    "every connection counted once: finished or tracked");
        }
        asked.analyzer.finish();
        DiagnosisResult actual = asked.diagnosis.finish();

        assertEquals(expected.services(), actual.services());
        assertEquals(expected.hosts(), actual.hosts());
        assertEquals(expected.findings(), actual.findings());
        assertEquals(expected.series().size(), actual.series().size());
        for (int i = 0; i < expected.series().size(); i++) {
            Series e = expected.series().get(i);
            Series a = actual.series().get(i);
            assertEquals(e.service(), a.service());
            assertEquals(e.host(), a.host());
            assertEquals(e.startNanos(), a.startNanos());
            assertEquals(e.stepNanos(), a.stepNanos());
            for (SeriesState state : SeriesState.values()) {
                assertArrayEquals(e.values(state), a.values(state), state.toString());
            }
        }
    }

    @Test
    void afterFinishThereIsNoSoFar() {
        Diagnosis d = new Diagnosis(DiagnosisConfig.defaults());
        d.finish();
        assertThrows(IllegalStateException.class, () -> d.soFar(List.of(), Script.T0));
    }
}
