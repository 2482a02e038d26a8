package dev.finwait.bench;

import dev.finwait.capture.CaptureReaders;
import dev.finwait.capture.FrameSource;
import dev.finwait.capture.FrameVisitor;
import dev.finwait.decode.DecodeStats;
import dev.finwait.decode.Decoder;
import dev.finwait.model.AnalyzerConfig;
import dev.finwait.pipeline.SegmentStage;
import dev.finwait.pipeline.ShardedAnalysis;
import dev.finwait.report.format.JsonlWriter;
import dev.finwait.tcp.Segment;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Per-shard throughput of the sharded analysis ({@link ShardedAnalysis}): {@code ShardBench FILE
 * [MAX_SHARDS] [PASSES] [--jsonl]}. The capture is read and decoded into memory once, on one thread, and
 * that pass is timed (the serial stage before the dispatcher). Then, for N = 1 .. MAX_SHARDS shards
 * (4 by default), after one unprinted warm-up pass of each, PASSES passes (3 by default): the calling thread dispatches
 * every segment, N shard threads analyze, the merger renumbers and merges. Printed per pass: wall time,
 * packets/s over the whole capture, the dispatcher's and the merger's CPU per packet, and per shard its
 * own segments, its thread CPU and its packets/s on its own segments (own segments / its CPU seconds).
 * With {@code --jsonl} the merger also writes every report as JSONL into a counting sink, as the CLI's
 * listener does. On a host with fewer cores than N + 2 threads, the wall time says little; the
 * per-thread CPU times are what predicts a larger host.
 *
 * <pre>
 * CP=analyzer-core/target/test-classes:analyzer-core/target/classes:$(ls analyzer-cli/target/lib/*.jar | tr '\n' ':')
 * java -XX:+UseParallelGC -Xmx3g -cp $CP dev.finwait.bench.ShardBench bench-data/1m.pcap 4 3
 * </pre>
 */
public final class ShardBench {
    private ShardBench() {
    }

    public static void main(String[] args) throws IOException {
        BenchArgs cli = BenchArgs.parse(args, "ShardBench FILE [MAX_SHARDS] [PASSES] [--jsonl]");
        boolean jsonl = cli.flag("--jsonl");
        Path file = cli.file();
        int maxShards = cli.intAt(1, 4);
        int passes = cli.intAt(2, 3);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        byte[] capture = Files.readAllBytes(file);

        // Read and decode once on this thread (timed: the serial stage ahead of the dispatcher); the
        // best of three passes.
        List<Segment> segments = new ArrayList<>();
        List<Integer> captured = new ArrayList<>();
        long decodeBest = Long.MAX_VALUE;
        long frames = 0;
        for (int pass = 0; pass < 3; pass++) {
            List<Segment> keep = pass == 2 ? segments : new ArrayList<>();
            Decoder decoder = new Decoder(false);
            DecodeStats stats = new DecodeStats();
            long[] n = {0};
            FrameVisitor v = (number, time, link, data, offset, caplen, origlen, fileOffset) -> {
                n[0]++;
                Segment s = decoder.decodeSegment(number, time, link, data, offset, caplen, origlen, stats);
                if (s != null) {
                    keep.add(s);
                    if (keep == segments) {
                        captured.add(SegmentStage.capturedPayload(caplen, origlen, s));
                    }
                }
            };
            long cpu = mx.getCurrentThreadCpuTime();
            try (FrameSource source = CaptureReaders.open(new ByteArrayInputStream(capture), file.toString())) {
                while (source.next(v)) {
                    // the visitor did the work
                }
            }
            decodeBest = Math.min(decodeBest, mx.getCurrentThreadCpuTime() - cpu);
            frames = n[0];
        }
        int total = segments.size();
        Segment[] all = segments.toArray(new Segment[0]);
        int[] payload = captured.stream().mapToInt(Integer::intValue).toArray();
        segments.clear();
        System.out.printf("%s: %,d frames, %,d segments; %d cores; read+decode on one thread: %.1f ns/packet "
                        + "(%.2f M packets/s, CPU, best of 3)%s%n", file, frames, total,
                Runtime.getRuntime().availableProcessors(), decodeBest / (double) frames, frames * 1e3 / decodeBest,
                jsonl ? "; the merger writes JSONL" : "");

        AnalyzerConfig config = AnalyzerConfig.defaults().withRetainConnections(false);
        // Warm-up, not printed: every shard count once, so that N = 1 is not the one that pays for the JIT.
        for (int n = maxShards; n >= 1; n--) {
            ShardedAnalysis a = new ShardedAnalysis(n, config, s -> s, r -> { });
            for (int i = 0; i < total; i++) {
                a.accept(all[i], payload[i]);
            }
            a.finish();
        }
        for (int n = 1; n <= maxShards; n++) {
            for (int pass = 1; pass <= passes; pass++) {
                long[] reports = {0};
                CountingSink sink = new CountingSink();
                JsonlWriter writer = jsonl ? new JsonlWriter(sink) : null;
                ShardedAnalysis a = new ShardedAnalysis(n, config, s -> s, r -> {
                    reports[0]++;
                    if (writer != null) {
                        writer.connection(r);
                    }
                });
                long start = System.nanoTime();
                long cpu = mx.getCurrentThreadCpuTime();
                for (int i = 0; i < total; i++) {
                    a.accept(all[i], payload[i]);
                }
                long dispatch = mx.getCurrentThreadCpuTime() - cpu;
                a.finish();
                long wall = System.nanoTime() - start;
                ShardedAnalysis.Stats st = a.stats();
                StringBuilder line = new StringBuilder();
                line.append(String.format("N=%d pass %d: wall %6.0f ms, %5.2f M packets/s; dispatch %5.1f ns/packet, "
                                + "merge%s %6.1f ns/packet; %,d reports%n", n, pass, wall / 1e6, total * 1e3 / wall,
                        dispatch / (double) total, jsonl ? "+jsonl" : "", st.mergeCpuNanos() / (double) total,
                        reports[0]));
                for (int s = 0; s < n; s++) {
                    long own = st.segments()[s];
                    long c = st.cpuNanos()[s];
                    line.append(String.format("    shard %d: %,9d own segments, cpu %6.0f ms, %5.2f M own packets/s, "
                                    + "%6.1f ns per own packet, %5.1f ns per packet of the capture%n", s, own, c / 1e6,
                            own * 1e3 / c, c / (double) own, c / (double) total));
                }
                System.out.print(line);
            }
        }
    }

    /** Counts what the JSONL writer writes, and drops it. */
    private static final class CountingSink extends OutputStream {
        long bytes;

        @Override
        public void write(int b) {
            bytes++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            bytes += len;
        }
    }
}
