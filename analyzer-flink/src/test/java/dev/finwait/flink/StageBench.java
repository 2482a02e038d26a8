package dev.finwait.flink;

import java.nio.file.Path;
import java.util.List;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * Records per second of the job cut after each stage (not a test: a benchmark, run by hand, see
 * BENCHMARKS.md): {@code StageBench DIR [parallelism] [batch|streaming] [rounds]}. Each round runs, in
 * one JVM on one embedded MiniCluster, the source alone, source and analysis, and the whole job, each
 * into a discarding sink; the first round includes the JIT's warm-up, later rounds are warm. Times
 * are the job's own (submission to end), so the MiniCluster's start is outside them.
 */
public final class StageBench {
    private StageBench() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int parallelism = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        Main.Mode mode = args.length > 2 && args[2].equals("streaming") ? Main.Mode.STREAMING : Main.Mode.BATCH;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        Main.Options o = new Main.Options(mode, parallelism, List.of(Main.files(dir.toString())));
        long segments = -1;
        for (int round = 1; round <= rounds; round++) {
            for (String stage : List.of("source", "source+analysis", "whole job")) {
                StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(Main.configuration(o));
                switch (stage) {
                    case "source" -> Job.source(env, o.points(), Main.CONFIG).sinkTo(new DiscardingSink<>());
                    case "source+analysis" -> Job.analysed(Job.source(env, o.points(), Main.CONFIG), Main.CONFIG,
                            mode == Main.Mode.STREAMING, o.points().stream().mapToInt(List::size).sum()).sinkTo(new DiscardingSink<>());
                    default -> Job.build(env, o.points(), Main.CONFIG, mode).sinkTo(new DiscardingSink<>());
                }
                long start = System.nanoTime();
                JobExecutionResult r = env.execute(stage);
                double wall = (System.nanoTime() - start) / 1e9;
                if (segments < 0) {
                    segments = countSegments(o);
                }
                System.out.printf("round %d  %-16s %s p%d  %6.2f s  %,9.0f segments/s  (net runtime %.2f s)%n", round,
                        stage, mode, parallelism, wall, segments / wall, r.getNetRuntime() / 1e3);
            }
        }
    }

    /** TCP segments in the input, counted once with the core's reader and decoder. */
    private static long countSegments(Main.Options o) throws Exception {
        long n = 0;
        for (List<Path> point : o.points()) {
            for (Path p : point) {
                try (var frames = dev.finwait.capture.CaptureReaders.open(p)) {
                    dev.finwait.decode.Decoder d = new dev.finwait.decode.Decoder(false);
                    dev.finwait.decode.DecodeStats stats = new dev.finwait.decode.DecodeStats();
                    long[] count = {0};
                    while (frames.next((number, time, link, data, offset, caplen, origlen, fileOffset) -> {
                        if (d.decodeSegment(number, time, link, data, offset, caplen, origlen, stats) != null) {
                            count[0]++;
                        }
                    })) {
                        // counted in the visitor
                    }
                    n += count[0];
                }
            }
        }
        return n;
    }
}
