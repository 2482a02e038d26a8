package dev.finwait.flow;

import static dev.finwait.Script.CLIENT;
import static dev.finwait.Script.SERVER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.finwait.Analyzer;
import dev.finwait.Script;
import dev.finwait.event.AnalysisListener;
import dev.finwait.model.AnalyzerConfig;
import dev.finwait.model.ConnectionReport;
import dev.finwait.model.TimeWaitEnd;
import dev.finwait.model.TimeWaitWindow;
import dev.finwait.tcp.Segment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * onOutcome: told once per connection, at the segment that closes it (both sides closed or in
 * TIME_WAIT), with the report as it stands (open windows SCHEDULED); onConnection still follows with
 * the final report, and without outcomes nothing changes.
 */
class OutcomeTest {
    private final List<String> calls = new ArrayList<>();
    private final List<ConnectionReport> outcomes = new ArrayList<>();
    private final List<ConnectionReport> finals = new ArrayList<>();

    private Analyzer analyzer(boolean withOutcomes) {
        AnalysisListener l = new AnalysisListener() {
            @Override
            public void onOutcome(ConnectionReport r) {
                calls.add("outcome " + r.id());
                outcomes.add(r);
            }

            @Override
            public void onConnection(ConnectionReport r) {
                calls.add("connection " + r.id());
                finals.add(r);
            }
        };
        Analyzer.Builder b = Analyzer.builder(AnalyzerConfig.defaults()).listener(l);
        return (withOutcomes ? b.outcomes() : b).build();
    }

    @Test
    void gracefulCloseIsToldAtTheLastAckWithItsWindowScheduled() {
        List<Segment> segments = Script.between("10.0.0.1:40000", "10.0.0.2:80").syn().synAck().ack(CLIENT)
                .data(CLIENT, 10).ack(SERVER).fin(CLIENT).ack(SERVER).fin(SERVER).ack(CLIENT).segments();
        Analyzer a = analyzer(true);
        for (int i = 0; i < segments.size() - 1; i++) {
            a.accept(segments.get(i));
        }
        assertEquals(List.of(), calls, "not over before the last ACK");
        a.accept(segments.get(segments.size() - 1));
        assertEquals(List.of("outcome 1"), calls);
        ConnectionReport early = outcomes.get(0);
        TimeWaitWindow w = early.timeWait().get(0);
        assertEquals(TimeWaitEnd.SCHEDULED, w.endedBy());
        assertEquals(w.untilNanos(), w.endedAtNanos());
        assertEquals(segments.get(segments.size() - 1).timeNanos(), early.lastNanos());

        a.finish();
        assertEquals(List.of("outcome 1", "connection 1"), calls);
        ConnectionReport last = finals.get(0);
        assertEquals(TimeWaitEnd.CAPTURE_END, last.timeWait().get(0).endedBy());
        assertEquals(early.close(), last.close());
        assertEquals(early.lastNanos(), last.lastNanos());
    }

    @Test
    void resetIsToldOnceAndNothingWithoutOutcomes() {
        List<Segment> segments = Script.between("10.0.0.1:40000", "10.0.0.2:80").syn().synAck().ack(CLIENT)
                .data(CLIENT, 10).rst(CLIENT).segments();
        Analyzer a = analyzer(true);
        segments.forEach(a::accept);
        a.finish();
        assertEquals(List.of("outcome 1", "connection 1"), calls);

        calls.clear();
        Analyzer b = analyzer(false);
        segments.forEach(b::accept);
        b.finish();
        assertEquals(List.of("connection 1"), calls);
    }

    @Test
    void aConnectionStillOpenIsOnlyFinished() {
        List<Segment> segments = Script.between("10.0.0.1:40000", "10.0.0.2:80").syn().synAck().ack(CLIENT)
                .fin(CLIENT).ack(SERVER).segments();
        Analyzer a = analyzer(true);
        segments.forEach(a::accept);
        a.finish();
        assertEquals(List.of("connection 1"), calls);
        assertTrue(outcomes.isEmpty());
    }
}
