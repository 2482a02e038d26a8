package dev.finwait.flink;

import dev.finwait.model.DecodeProblem;
import dev.finwait.flow.FinishedConnection;
import dev.finwait.flow.Flow;
import dev.finwait.model.AnalyzerConfig;
import dev.finwait.model.CaptureSummary;
import dev.finwait.report.ConnectionVerdict;
import dev.finwait.report.format.JsonlWriter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
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
 * The final stage (one instance): keeps every finished connection until the input ends, then finishes
 * the flows still live at the capture's last packet time, numbers the connections as the CLI does (in
 * order of their first frame; with several capture points by first time, point, frame), and writes the
 * connection lines in id order and the summary. Kept in list state, so a checkpoint saves it.
 */
final class Numbering extends KeyedProcessFunction<Integer, Out, String> {
    private static final byte[] PREFIX = "{\"type\":\"connection\",\"id\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] REUSE = ",\"reuse\":{\"previous_id\":".getBytes(StandardCharsets.US_ASCII);
    private final AnalyzerConfig config;
    private final int points;
    private transient ListState<Out> kept;

    Numbering(AnalyzerConfig config, int points) {
        this.config = config;
        this.points = points;
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
        List<FileDone> files = new ArrayList<>();
        for (Out o : kept.get()) {
            switch (o.kind()) {
                case FINISHED -> connections.add(o);
                case PENDING -> pending.add(o);
                case FILE_DONE -> files.add(o.done());
            }
        }
        kept.clear();
        long end = Long.MIN_VALUE;
        for (FileDone f : files) {
            end = Math.max(end, f.lastNanos());
        }
        connections.addAll(finishAtEnd(pending, end));
        write(connections, files, out);
    }

    /** The flows still live at the end, finished as the core's flow table finishes them. */
    private List<Out> finishAtEnd(List<Out> pending, long end) {
        List<Out> done = new ArrayList<>();
        int[] point = new int[1];
        List<FinishedConnection> sink = new ArrayList<>();
        Flow.Context context = new Flow.Context(config, (k, t, f) -> {
            throw new IllegalStateException("no flow opens at the end of the input");
        }, null, sink::add);
        for (Out p : pending) {
            point[0] = p.point();
            Flow f = Flow.restore(p.bytes(), context);
            // the table woke flows whose deadline the capture's clock reached, then finished the rest
            for (int i = 0; i < 1_000 && f.isLive() && f.nextDeadline() <= end; i++) {
                f.advanceTo(end);
            }
            f.finishAtEnd(end);
            for (FinishedConnection c : sink) {
                done.add(Analysis.line(p.point(), ConnectionVerdict.report(c)));
            }
            sink.clear();
        }
        return done;
    }

    private void write(List<Out> connections, List<FileDone> files, Collector<String> out) {
        Comparator<Out> order = points == 1 ? Comparator.comparingLong(Out::firstFrame)
                : Comparator.comparingLong(Out::firstNanos).thenComparingInt(Out::point)
                        .thenComparingLong(Out::firstFrame);
        connections.sort(order);
        Map<Long, Long> ids = new HashMap<>();
        for (Out c : connections) {
            ids.put(c.tempId(), (long) ids.size() + 1);
        }
        for (Out c : connections) {
            out.collect(renumber(c.bytes(), ids));
        }
        out.collect(summary(files, connections.size()));
    }

    /** The line with its final id, and the final id of the connection it reused the 4-tuple of. */
    static String renumber(byte[] line, Map<Long, Long> ids) {
        String text = new String(line, StandardCharsets.UTF_8);
        int idStart = PREFIX.length;
        int idEnd = text.indexOf(',', idStart);
        StringBuilder b = new StringBuilder(text.length() + 8);
        b.append(text, 0, idStart).append(ids.get(Long.parseLong(text.substring(idStart, idEnd))));
        String reuse = new String(REUSE, StandardCharsets.US_ASCII);
        int r = text.indexOf(reuse, idEnd);
        if (r < 0) {
            b.append(text, idEnd, text.length());
        } else {
            int from = r + reuse.length();
            int to = text.indexOf(',', from);
            Long previous = ids.get(Long.parseLong(text.substring(from, to)));
            b.append(text, idEnd, from).append(previous).append(text, to, text.length());
        }
        // the writer ends each line with a newline; the caller prints lines
        int n = b.length();
        if (n > 0 && b.charAt(n - 1) == '\n') {
            b.setLength(n - 1);
        }
        return b.toString();
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
        String s = b.toString(StandardCharsets.UTF_8);
        return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
    }
}
