package dev.finwait.flink;

import dev.finwait.model.AnalyzerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The job: capture files in, the CLI's JSONL out (connection lines, the diagnosis, then the summary).
 * <pre>
 *   source (one reader per capture point: read, decode)
 *     -> keyBy(point, 4-tuple) -> {@link Analysis} (parallel; STREAMING: each connection's line as it finishes)
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

    /**
     * With {@code tap} between the source and the analysis (tests inject failures there); it must keep
     * the source's parallelism, or the packets of a connection would lose their order.
     */
    static DataStream<String> build(StreamExecutionEnvironment env, List<List<Path>> points, AnalyzerConfig config,
                                    Main.Mode mode, UnaryOperator<DataStream<Item>> tap) {
        boolean streaming = mode == Main.Mode.STREAMING;
        List<List<String>> names = new ArrayList<>();
        for (List<Path> p : points) {
            names.add(p.stream().map(Path::toString).toList());
        }
        CaptureSource source = new CaptureSource(names, config.verifyChecksums());
        long bound = OUT_OF_ORDER.toNanos();
        WatermarkStrategy<Item> watermarks = WatermarkStrategy.<Item>forGenerator(c -> new PacketTime(bound))
                .withIdleness(IDLE);
        DataStream<Item> items = env.fromSource(source, watermarks, "capture files", Codecs.ITEM)
                .setParallelism(points.size())
                .uid("capture-files");
        SingleOutputStreamOperator<Out> analysed = tap.apply(items)
                .keyBy(Item::key, Codecs.KEY)
                .process(new Analysis(config, streaming), Codecs.OUT)
                .name("analysis")
                .uid("analysis");
        DataStream<String> last = analysed
                .keyBy(o -> 0, Types.INT)
                .process(new Numbering(config, points.size(), streaming), Types.STRING)
                .name("numbering")
                .uid("numbering")
                .setParallelism(1);
        // STREAMING: the connections as they finish, beside what the final stage writes at the end
        return streaming ? analysed.getSideOutput(Analysis.LINES).union(last) : last;
    }
}
