package dev.finwait.bench;

import dev.finwait.Analyzer;
import dev.finwait.capture.CaptureReaders;
import dev.finwait.capture.FrameSource;
import dev.finwait.decode.DecodeStats;
import dev.finwait.decode.Decoder;
import dev.finwait.event.AnalysisListener;
import dev.finwait.model.AnalyzerConfig;
import dev.finwait.tcp.Segment;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The analysis of a real capture on its own, by the thread's CPU clock: {@code ReplayCpu FILE [PASSES]
 * [plain|warmed|both] [MAX_PACKETS]}. The capture is decoded into memory once; then each pass feeds every
 * segment to a fresh analyzer (no listener: the flow table, the state machines and finishing connections,
 * without the report thread's judging and writing), one at a time ({@code plain}) or in warmed groups as
 * the CLI's pipeline does ({@code warmed}); {@code both} alternates them. Prints ns per packet per pass.
 * Compares builds too: {@code plain} runs on a build without {@link Analyzer#warm}.
 *
 * <pre>
 * java -XX:+UseParallelGC -XX:+UseTransparentHugePages -XX:MaxNewSize=256m -Xmx3g -cp $CP \
 *     dev.finwait.bench.ReplayCpu bench-data/1m.pcap 6 both
 * </pre>
 */
public final class ReplayCpu {
    private ReplayCpu() {
    }

    public static void main(String[] args) throws IOException {
        Path file = Path.of(args[0]);
        int passes = args.length > 1 ? Integer.parseInt(args[1]) : 6;
        String mode = args.length > 2 ? args[2] : "both";
        long max = args.length > 3 ? Long.parseLong(args[3]) : Long.MAX_VALUE;
        List<Segment> list = new ArrayList<>();
        Decoder decoder = new Decoder(false);
        DecodeStats stats = new DecodeStats();
        try (FrameSource source = CaptureReaders.open(file)) {
            long[] n = {0};
            while (n[0] < max && source.next((number, time, link, data, offset, caplen, origlen, fileOffset) -> {
                n[0]++;
                Segment s = decoder.decodeSegment(number, time, link, data, offset, caplen, origlen, stats);
                if (s != null && caplen == origlen) { // frames cut by the snap length: not in this replay
                    list.add(s);
                }
            })) {
                // the visitor did the work
            }
        }
        Segment[] segments = list.toArray(Segment[]::new);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        System.out.printf("%,d segments%n", segments.length);
        for (int pass = 0; pass < passes; pass++) {
            boolean warmed = mode.equals("warmed") || (mode.equals("both") && pass % 2 == 1);
            Analyzer a = new Analyzer(AnalyzerConfig.defaults().withRetainConnections(false), AnalysisListener.NONE);
            System.gc();
            long cpu = mx.getCurrentThreadCpuTime();
            if (warmed) {
                LiveConnectionsBench.feedWarmed(a, segments);
            } else {
                for (Segment s : segments) {
                    a.accept(s);
                }
            }
            a.finish();
            long used = mx.getCurrentThreadCpuTime() - cpu;
            System.out.printf("pass %d %-6s %6.1f ns/packet (thread CPU %.2f s)%n", pass, warmed ? "warmed" : "plain",
                    used / (double) segments.length, used / 1e9);
        }
    }
}
