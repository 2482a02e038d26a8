package dev.finwait.flink;

import dev.finwait.model.AnalyzerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The job: capture files in, the CLI's JSONL out (connection lines, the diagnosis, then the summary).
 * <pre>
 *   source (one reader per capture point: read, decode)
 *     -> keyBy(point, 4-tuple) -> {@link Analysis} (parallel; STREAMING: each connection's line as it finishes;
 *                                                 a copy of every file's totals to each task, for the end)
 *     -> one {@link Numbering} (BATCH: ids as one capture would have them; the diagnosis, the summary)
 * </pre>
 */
final class Job {
    /** How far packet times may run backwards across a point's files before a deadline fires early. */
    static final Duration OUT_OF_ORDER = Duration.ofSeconds(5);
    /** A point with no packets for this long (wall clock) holds no one's watermark back. */
    static final Duration IDLE = Duration.ofSeconds(10);

    private Job() {
    }

    /** {@code points}: per capture point, its files in rotation order. */
    static DataStream<String> build(StreamExecutionEnvironment env, List<List<Path>> points, AnalyzerConfig config,
                                    Main.Mode mode) {
        return build(env, points, config, mode, s -> s);
    }

    /** The first stage: one reader per capture point (read, decode). */
    static DataStream<Item> source(StreamExecutionEnvironment env, List<List<Path>> points, AnalyzerConfig config) {
        List<List<String>> names = new ArrayList<>();
        for (List<Path> p : points) {
            names.add(p.stream().map(Path::toString).toList());
        }
        CaptureSource source = new CaptureSource(names, config.verifyChecksums(), routes(env.getParallelism()));
        long bound = OUT_OF_ORDER.toNanos();
        WatermarkStrategy<Item> watermarks = WatermarkStrategy.<Item>forGenerator(c -> new PacketTime(bound))
                .withIdleness(IDLE);
        return env.fromSource(source, watermarks, "capture files", Codecs.ITEM)
                .setParallelism(points.size())
                .uid("capture-files");
    }

    /**
     * The second stage: keyed by point and 4-tuple, the flows. Every task also gets a copy of every
     * file's totals, for the capture's end ({@link #routes}). {@code files}: how many files the input has.
     */
    static SingleOutputStreamOperator<Out> analysed(DataStream<Item> items, AnalyzerConfig config, boolean streaming,
                                                    int files) {
        return items.keyBy(Item::key, Codecs.KEY)
                .transform("analysis", Codecs.OUT, new AnalysisOperator(new Analysis(config, streaming, files), streaming))
                .name("analysis")
                .uid("analysis");
    }

    /**
     * Keys under which the source sends a copy of each file's totals, one key per analysis task (of
     * {@code parallelism}), chosen with Flink's own assignment of keys to tasks. With another maximum
     * parallelism (a job restored from one run at a very different parallelism) some task may get no
     * copy; it then leaves its flows still live at the end to the final stage.
     */
    static int[] routes(int parallelism) {
        int max = KeyGroupRangeAssignment.computeDefaultMaxParallelism(parallelism);
        int[] routes = new int[parallelism]; // 0: none found yet (a copy under 0 would go as Key.CONTROL)
        int found = 0;
        for (int r = -2; found < parallelism && r > -1_000_000; r--) {
            int task = KeyGroupRangeAssignment.assignKeyToParallelOperator(new Key(r, null), max, parallelism);
            if (routes[task] == 0) {
                routes[task] = r;
                found++;
            }
        }
        return routes;
    }

    /**
     * With {@code tap} between the source and the analysis (tests inject failures there); it must keep
     * the source's parallelism, or the packets of a connection would lose their order.
     */
    static DataStream<String> build(StreamExecutionEnvironment env, List<List<Path>> points, AnalyzerConfig config,
                                    Main.Mode mode, UnaryOperator<DataStream<Item>> tap) {
        return outputs(env, points, config, mode, tap).all();
    }

    /**
     * The job's lines as the streams that make them: STREAMING's connection lines as they finish, from
     * the analysis tasks ({@code early}, null in BATCH), and the final task's lines ({@code last}).
     */
    record Outputs(DataStream<String> early, DataStream<String> last) {
        /** All lines in one stream (for a sink that takes them from anywhere). */
        DataStream<String> all() {
            return early == null ? last : early.union(last);
        }

        /** Each stream into {@code sink} at the stream's own parallelism, chained to the task that makes it. */
        void sinkTo(org.apache.flink.api.connector.sink2.Sink<String> sink) {
            if (early != null) {
                early.sinkTo(sink).name("lines as they finish").uid("early-lines").setParallelism(early.getParallelism());
            }
            last.sinkTo(sink).name("lines").uid("lines").setParallelism(last.getParallelism());
        }
    }

    static Outputs outputs(StreamExecutionEnvironment env, List<List<Path>> points, AnalyzerConfig config,
                           Main.Mode mode, UnaryOperator<DataStream<Item>> tap) {
        boolean streaming = mode == Main.Mode.STREAMING;
        DataStream<Item> items = tap.apply(source(env, points, config));
        int files = points.stream().mapToInt(List::size).sum();
        SingleOutputStreamOperator<Out> analysed = analysed(items, config, streaming, files);
        DataStream<String> last = analysed
                .keyBy(o -> 0, Types.INT)
                .process(new Numbering(config, points.size(), streaming), Types.STRING)
                .name("numbering")
                .uid("numbering")
                .setParallelism(1);
        // STREAMING: the connections as they finish, beside what the final stage writes at the end
        return new Outputs(streaming ? analysed.getSideOutput(Analysis.LINES) : null, last);
    }
}
