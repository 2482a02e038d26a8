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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The final stage (one instance): keeps every finished connection's report until the input ends, then
 * writes the rest of the CLI's JSONL. The analysis tasks finish the flows still live at the capture's
 * last packet time; the ones they could not (a file's totals missing, see {@link Analysis}) come here
 * as snapshots and are finished here. BATCH: every connection line (written by the analysis tasks
 * under the provisional id), with the id the CLI gives it (in order of first frame; with several
 * capture points by first time, point, frame), in id order. STREAMING: only the lines of the
 * connections finished here (the others went out as they finished), under their uids. Then the per-service, per-host and series records of the core's {@link Diagnosis}, fed the
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
    static final Comparator<Out> FINISHING = (a, b) -> {
        // written out: chained comparators cost a third of the sort with C1
        int c = Long.compare(a.orderNanos(), b.orderNanos());
        if (c == 0) {
            c = Integer.compare(a.orderPhase(), b.orderPhase());
        }
        return c != 0 ? c : Long.compare(a.orderSeq(), b.orderSeq());
    };

    /** BATCH: the CLI's order of ids (by first frame; with several points by first time, point, frame). */
    private Comparator<Out> idOrder() {
        if (points == 1) {
            return (a, b) -> Long.compare(a.firstFrame(), b.firstFrame());
        }
        return (a, b) -> {
            int c = Long.compare(a.firstNanos(), b.firstNanos());
            if (c == 0) {
                c = Integer.compare(a.point(), b.point());
            }
            return c != 0 ? c : Long.compare(a.firstFrame(), b.firstFrame());
        };
    }

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
                done.add(Analysis.finished(p.point(), r, Out.WOKEN, r.id(), woken != null ? woken : w.wakeUps(), null));
            }
            sink.clear();
            f.finishAtEnd(end);
            for (FinishedConnection c : sink) {
                ConnectionReport r = ConnectionVerdict.report(c);
                done.add(Analysis.finished(p.point(), r, Out.AT_END, r.id(), null, null));
            }
            sink.clear();
        }
        return done;
    }

    /** A finished connection and its report, read once. */
    private record Done(Out out, ConnectionReport report) {
    }

    private void write(List<Out> connections, List<Out> atEnd, List<FileDone> files, Collector<String> out)
            throws Exception {
        List<Done> done = new ArrayList<>(connections.size());
        for (Out c : connections) {
            done.add(new Done(c, RecordBytes.read(c.bytes(), ConnectionReport.class)));
        }
        // The diagnosis on a thread of its own while this one writes the connection lines: they share
        // only the reports, which are immutable, and the diagnosis' lines wait for it. This task runs
        // alone at the end of the input (in BATCH after every other task), so a second core is free.
        FutureTask<List<String>> diagnosis = new FutureTask<>(() -> diagnosis(done));
        Thread t = new Thread(diagnosis, "finwait-diagnosis");
        t.setDaemon(true);
        t.start();
        List<Done> inOrder = new ArrayList<>(done);
        Ids ids = null;
        if (streaming) {
            Map<Long, ConnectionReport> reports = new HashMap<>();
            for (Done d : done) {
                reports.put(d.out().tempId(), d.report());
            }
            for (Out c : atEnd) {
                out.collect(Lines.withUids(reports.get(c.tempId())));
            }
        } else {
            Comparator<Out> order = idOrder();
            inOrder.sort((a, b) -> order.compare(a.out(), b.out()));
            ids = new Ids(inOrder);
            for (Done d : inOrder) {
                ConnectionReport r = d.report();
                String line = d.out().line();
                out.collect(line != null ? Lines.renumbered(line, r, ids::of)
                        : Lines.connection(Lines.withIds(r, ids.of(r.id()), ids::of)));
            }
        }
        List<String> lines;
        try {
            lines = diagnosis.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception x ? x : e;
        }
        for (String line : lines) {
            out.collect(ids == null ? Lines.examplesAsUids(line) : Lines.examples(line, ids::name));
        }
        out.collect(summary(files, done.size()));
    }

    /**
     * The diagnosis' lines, fed the reports in the order the CLI's table finished them. It keeps the
     * ids it is given (as examples, in the order it saw them): given the provisional ones, its lines
     * are written with the final ids (BATCH) or the uids afterwards.
     */
    private List<String> diagnosis(List<Done> done) {
        List<Done> finishing = new ArrayList<>(done.size());
        for (Done d : done) {
            finishing.add(new Done(wokenAt(d.out()), d.report()));
        }
        finishing.sort((a, b) -> FINISHING.compare(a.out(), b.out()));
        Diagnosis diagnosis = new Diagnosis(diagnosisConfig(config));
        for (Done d : finishing) {
            diagnosis.add(d.report());
        }
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        new JsonlWriter(b).diagnosis(diagnosis.finish());
        return Lines.split(b);
    }

    /**
     * BATCH: the final id of each provisional one (the connections' rank in the CLI's order). With one
     * capture point that order is the provisional ids' own (the first frame's), so a binary search in
     * them finds the rank; with several points a map.
     */
    private static final class Ids {
        private final long[] sorted;
        private final Map<Long, Long> map;

        Ids(List<Done> inOrder) {
            long[] temp = new long[inOrder.size()];
            for (int i = 0; i < temp.length; i++) {
                temp[i] = inOrder.get(i).report().id();
            }
            boolean ascending = true;
            for (int i = 1; i < temp.length && ascending; i++) {
                ascending = temp[i - 1] < temp[i];
            }
            if (ascending) {
                sorted = temp;
                map = null;
            } else {
                sorted = null;
                map = new HashMap<>();
                for (int i = 0; i < temp.length; i++) {
                    map.put(temp[i], (long) i + 1);
                }
            }
        }

        long of(long temp) {
            if (map != null) {
                return map.get(temp);
            }
            int i = java.util.Arrays.binarySearch(sorted, temp);
            if (i < 0) {
                throw new IllegalStateException("no connection with provisional id " + temp);
            }
            return i + 1;
        }

        String name(long temp) {
            return Long.toString(of(temp));
        }
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
                        c.orderSeq(), c.bytes(), c.done(), c.longs(), c.line());
            }
        }
        return c;
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
