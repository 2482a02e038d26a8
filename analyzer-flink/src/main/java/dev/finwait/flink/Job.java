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
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The job: capture files in, the CLI's JSONL out (connection lines in id order, then the summary).
 * <pre>
 *   source (one reader per capture point: read, decode)
 *     -> keyBy(point, 4-tuple) -> {@link Analysis} (parallel)
 *     -> one {@link Numbering} (ids and frame numbers as one capture would have them, the summary)
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
    static DataStream<String> build(StreamExecutionEnvironment env, List<List<Path>> points, AnalyzerConfig config) {
        return build(env, points, config, s -> s);
    }

    /**
     * With {@code tap} between the source and the analysis (tests inject failures there); it must keep
     * the source's parallelism, or the packets of a connection would lose their order.
     */
    static DataStream<String> build(StreamExecutionEnvironment env, List<List<Path>> points, AnalyzerConfig config,
                                    UnaryOperator<DataStream<Item>> tap) {
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
        return tap.apply(items)
                .keyBy(Item::key, Codecs.KEY)
                .process(new Analysis(config), Codecs.OUT)
                .name("analysis")
                .uid("analysis")
                .keyBy(o -> 0, Types.INT)
                .process(new Numbering(config, points.size()), Types.STRING)
                .name("numbering")
                .uid("numbering")
                .setParallelism(1);
    }
}
