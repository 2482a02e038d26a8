package dev.finwait.flow;

import static dev.finwait.Script.CLIENT;
import static dev.finwait.Script.SERVER;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.finwait.Analyzer;
import dev.finwait.model.AnalyzerConfig;
import dev.finwait.Script;
import dev.finwait.model.ConnectionReport;
import dev.finwait.model.TimeWaitEnd;
import dev.finwait.model.TimeWaitWindow;
import dev.finwait.tcp.Segment;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A live capture moves the clock on a quiet wire (wall-clock ticks); when it stops, what is still open
 * ends at the last packet's time, as the same packets read from its --write file do, not at the tick.
 */
class FinishAtLastPacketTest {

    @Test
    void windowsOpenAtTheEndCloseAtTheLastPacketNotAtALaterTick() {
        List<Segment> segments = Script.between("10.0.0.1:40000", "10.0.0.2:80").syn().synAck().ack(CLIENT)
                .fin(CLIENT).ack(SERVER).fin(SERVER).ack(CLIENT).segments();
        long last = segments.get(segments.size() - 1).timeNanos();

        Analyzer ticked = new Analyzer(AnalyzerConfig.defaults(), dev.finwait.event.AnalysisListener.NONE);
        segments.forEach(ticked::accept);
        ticked.advanceTo(last + Duration.ofMillis(2_591).toNanos()); // quiet wire, then the stop
        ConnectionReport live = ticked.finish().connections().get(0);

        Analyzer file = new Analyzer(AnalyzerConfig.defaults(), dev.finwait.event.AnalysisListener.NONE);
        segments.forEach(file::accept);
        ConnectionReport fromFile = file.finish().connections().get(0);

        TimeWaitWindow w = live.timeWait().get(0);
        assertEquals(TimeWaitEnd.CAPTURE_END, w.endedBy());
        assertEquals(last, w.endedAtNanos());
        assertEquals(fromFile, live);
    }

    @Test
    void aTimerThatFiredOnATickStaysFired() {
        List<Segment> segments = Script.between("10.0.0.1:40000", "10.0.0.2:80").syn().synAck().ack(CLIENT)
                .fin(CLIENT).ack(SERVER).fin(SERVER).ack(CLIENT).segments();
        long last = segments.get(segments.size() - 1).timeNanos();
        Analyzer ticked = new Analyzer(AnalyzerConfig.defaults().withTimeWait(Duration.ofSeconds(1)), dev.finwait.event.AnalysisListener.NONE);
        segments.forEach(ticked::accept);
        ticked.advanceTo(last + Duration.ofMillis(1_500).toNanos());
        TimeWaitWindow w = ticked.finish().connections().get(0).timeWait().get(0);
        assertEquals(TimeWaitEnd.TIMER, w.endedBy());
        assertEquals(w.untilNanos(), w.endedAtNanos());
        assertEquals(SERVER.opposite(), w.side());
    }
}
