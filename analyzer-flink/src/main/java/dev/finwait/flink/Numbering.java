package dev.finwait.flink;

import dev.finwait.diagnosis.Diagnosis;
import dev.finwait.diagnosis.DiagnosisConfig;
import dev.finwait.model.DecodeProblem;
import dev.finwait.flow.FinishedConnection;
import dev.finwait.flow.Flow;
import dev.finwait.model.AnalyzerConfig;
import dev.finwait.model.CaptureSummary;
import dev.finwait.model.ConnectionReport;
import dev.finwait.report.ConnectionVerdict;
import dev.finwait.report.format.JsonlWriter;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The final stage (one instance): keeps every finished connection's report until the input ends, then
 * finishes the flows still live at the capture's last packet time and writes the rest of the CLI's
 * JSONL (the analysis tasks finish most of those flows themselves: see {@link Analysis}). BATCH: every connection line, numbered as the CLI numbers them (in order of their first
 * frame; with several capture points by first time, point, frame), in id order. STREAMING: only the
 * lines of the connections finished at the end (the others went out as they finished), under their
 * uids. Then the per-service, per-host and series records of the core's {@link Diagnosis}, fed the
 * reports in the order the CLI's flow table finished them ({@link Out}), and the summary. Kept in list
 * state, so a checkpoint saves it.
 */
final class Numbering extends KeyedProcessFunction<Integer, Out, String> {
    private final AnalyzerConfig config;
    private final int points;
    private final boolean streaming;
    private transient ListState<Out> kept;
    /** The capture clock's steps, in order (at the end of the input). */
    private transient long[] clock;

    Numbering(AnalyzerConfig config, int points, boolean streaming) {
        this.config = config;
        this.points = points;
        this.streaming = streaming;
    }

    /** The CLI's diagnosis settings for file input (its defaults, with the analysis' idle timeout). */
    static DiagnosisConfig diagnosisConfig(AnalyzerConfig config) {
        return DiagnosisConfig.defaults().withIdleTimeout(config.idleTimeout());
    }

    /** The order in which the CLI's one flow table finishes connections (see {@link Out}). */
    static final Comparator<Out> FINISHING = Comparator.comparingLong(Out::orderNanos)
            .thenComparingInt(Out::orderPhase).thenComparingLong(Out::orderSeq);

    @Override
    public void open(OpenContext openContext) {
        kept = getRuntimeContext().getListState(new ListStateDescriptor<>("kept", Codecs.OUT));
    }

    @Override
    public void processElement(Out o, Context ctx, Collector<String> out) throws Exception {
        kept.add(o);
        ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
    }

    @Override
    public void onTimer(long at, OnTimerContext ctx, Collector<String> out) throws Exception {
        List<Out> connections = new ArrayList<>();
        List<Out> pending = new ArrayList<>();
        // each analysis task sends on its copy of a file's totals: one of them counts
        Map<Long, FileDone> byFile = new TreeMap<>();
        List<long[]> steps = new ArrayList<>();
        for (Out o : kept.get()) {
            switch (o.kind()) {
                case FINISHED -> connections.add(o);
                case PENDING -> pending.add(o);
                case FILE_DONE -> byFile.putIfAbsent(((long) o.done().point() << 32) | o.done().file(), o.done());
                case CLOCK -> steps.add(o.longs());
            }
        }
        kept.clear();
        List<FileDone> files = new ArrayList<>(byFile.values());
        clock = clock(steps);
        long end = Long.MIN_VALUE;
        for (FileDone f : files) {
            end = Math.max(end, f.lastNanos());
        }
        List<Out> atEnd = finishAtEnd(pending, end);
        connections.addAll(atEnd);
        write(connections, atEnd, files, out);
    }

    /** The flows still live at the end, finished as the core's flow table finishes them. */
    private List<Out> finishAtEnd(List<Out> pending, long end) {
        List<Out> done = new ArrayList<>();
        List<FinishedConnection> sink = new ArrayList<>();
        Flow.Context context = new Flow.Context(config, (k, t, f) -> {
            throw new IllegalStateException("no flow opens at the end of the input");
        }, null, sink::add);
        for (Out p : pending) {
            Flow f = Flow.restore(p.bytes(), context);
            // the table woke flows whose deadline the capture's clock reached, then finished the rest
            WakeUps w = WakeUps.of(WakeUps.firstWakeUp(config), p.longs());
            long[] woken = w.wakeUntil(f, end);
            for (int i = 0; i < 1_000 && f.isLive() && f.nextDeadline() <= end; i++) {
                f.advanceTo(end);
            }
            for (FinishedConnection c : sink) {
                ConnectionReport r = ConnectionVerdict.report(c);
                done.add(Analysis.finished(p.point(), r, Out.WOKEN, r.id(), woken != null ? woken : w.wakeUps()));
            }
            sink.clear();
            f.finishAtEnd(end);
            for (FinishedConnection c : sink) {
                ConnectionReport r = ConnectionVerdict.report(c);
                done.add(Analysis.finished(p.point(), r, Out.AT_END, r.id(), null));
            }
            sink.clear();
        }
        return done;
    }

    private void write(List<Out> connections, List<Out> atEnd, List<FileDone> files, Collector<String> out) {
        Map<Long, ConnectionReport> reports = new HashMap<>();
        for (Out c : connections) {
            reports.put(c.tempId(), RecordBytes.read(c.bytes(), ConnectionReport.class));
        }
        Map<Long, Long> ids = new HashMap<>();
        if (streaming) {
            for (Out c : atEnd) {
                out.collect(Lines.withUids(reports.get(c.tempId())));
            }
        } else {
            Comparator<Out> order = points == 1 ? Comparator.comparingLong(Out::firstFrame)
                    : Comparator.comparingLong(Out::firstNanos).thenComparingInt(Out::point)
                            .thenComparingLong(Out::firstFrame);
            connections.sort(order);
            for (Out c : connections) {
                ids.put(c.tempId(), (long) ids.size() + 1);
            }
            for (Out c : connections) {
                out.collect(Lines.connection(renumbered(reports.get(c.tempId()), ids)));
            }
        }
        List<Out> finishing = new ArrayList<>(connections.size());
        for (Out c : connections) {
            finishing.add(wokenAt(c));
        }
        finishing.sort(FINISHING);
        connections = finishing;
        Diagnosis diagnosis = new Diagnosis(diagnosisConfig(config));
        for (Out c : connections) {
            ConnectionReport r = reports.get(c.tempId());
            diagnosis.add(streaming ? r : renumbered(r, ids));
        }
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        new JsonlWriter(b).diagnosis(diagnosis.finish());
        for (String line : Lines.split(b)) {
            out.collect(streaming ? Lines.examplesAsUids(line) : line);
        }
        out.collect(summary(files, connections.size()));
    }

    /** Every point's clock steps, sorted, once each. */
    private static long[] clock(List<long[]> steps) {
        int n = 0;
        for (long[] s : steps) {
            n += s.length;
        }
        long[] all = new long[n];
        int i = 0;
        for (long[] s : steps) {
            System.arraycopy(s, 0, all, i, s.length);
            i += s.length;
        }
        java.util.Arrays.sort(all);
        int m = 0;
        for (int k = 0; k < all.length; k++) {
            if (m == 0 || all[k] != all[m - 1]) {
                all[m++] = all[k];
            }
        }
        return java.util.Arrays.copyOf(all, m);
    }

    /**
     * A connection finished at a deadline, placed where the CLI's table finished it: at the first of
     * its wake-ups after which the clock's next step is not before the deadline (the table handles a
     * wake-up at that step, and finds the deadline passed).
     */
    private Out wokenAt(Out c) {
        if (c.orderPhase() != Out.WOKEN || c.longs() == null) {
            return c;
        }
        long deadline = c.orderNanos();
        for (long s : c.longs()) {
            int k = java.util.Arrays.binarySearch(clock, s);
            int at = k >= 0 ? k : -k - 1;
            if (s <= deadline && (at == clock.length || clock[at] >= deadline)) {
                return new Out(c.kind(), c.point(), c.tempId(), c.firstNanos(), c.firstFrame(), s, c.orderPhase(),
                        c.orderSeq(), c.bytes(), c.done(), c.longs());
            }
        }
        return c;
    }

    /** BATCH: the report under its final id, and the final id of the connection it reused the 4-tuple of. */
    private static ConnectionReport renumbered(ConnectionReport r, Map<Long, Long> ids) {
        return Lines.withIds(r, ids.get(r.id()), ids::get);
    }

    /** The CLI's summary over all files: counts added up, the first input error (with the file's name when several). */
    private static String summary(List<FileDone> files, long connections) {
        files.sort(Comparator.comparingInt(FileDone::point).thenComparingInt(FileDone::file));
        long frames = 0;
        long tcp = 0;
        long malformed = 0;
        long nonTcp = 0;
        Map<DecodeProblem, Long> problems = new TreeMap<>();
        String error = null;
        for (FileDone f : files) {
            frames += f.frames();
            tcp += f.tcpSegments();
            malformed += f.malformed();
            nonTcp += f.nonTcp();
            f.problems().forEach((k, v) -> problems.merge(k, v, Long::sum));
            if (error == null && f.inputError() != null) {
                error = files.size() == 1 ? f.inputError() : f.name() + ": " + f.inputError();
            }
        }
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        new JsonlWriter(b).end(new CaptureSummary(frames, tcp, connections, malformed, nonTcp, problems, error));
        return Lines.split(b).get(0);
    }
}
