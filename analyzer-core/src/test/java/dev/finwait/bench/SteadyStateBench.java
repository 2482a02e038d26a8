package dev.finwait.bench;

import dev.finwait.AnalysisResult;
import dev.finwait.Analyzer;
import dev.finwait.model.AnalyzerConfig;
import dev.finwait.capture.CaptureReaders;
import dev.finwait.event.AnalysisListener;
import dev.finwait.model.CloseKind;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Steady-state throughput of the whole analysis in one JVM: {@code SteadyStateBench FILE [PASSES]}
 * (10 passes by default). The capture is read into memory once; each pass then runs the real
 * pipeline on the analysis thread: our pcap reader on an in-memory stream, the decoder, the flow table
 * and both sides' state machines ({@link Analyzer#analyze} with the default config, streaming, no
 * connections retained), and a finished-only listener that counts close kinds, so every report is
 * built and used. No output is written. Prints per pass the wall and thread CPU milliseconds, the
 * collectors' time, packets/s and the MB the thread allocated; then best and median, and the close kinds of the last
 * pass (every pass must count the same, or the bench fails).
 *
 * <pre>
 * CP=analyzer-core/target/test-classes:analyzer-core/target/classes:$(ls analyzer-cli/target/lib/*.jar | tr '\n' ':')
 * java -XX:+UseParallelGC -cp $CP dev.finwait.bench.SteadyStateBench bench-data/1m.pcap 10
 * </pre>
 */
public final class SteadyStateBench {
    private SteadyStateBench() {
    }

    public static void main(String[] args) throws IOException {
        BenchArgs cli = BenchArgs.parse(args, "SteadyStateBench FILE [PASSES]");
        Path file = cli.file();
        int passes = cli.intAt(1, 10);
        byte[] capture = Files.readAllBytes(file);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        AnalyzerConfig config = AnalyzerConfig.defaults().withRetainConnections(false);
        System.out.printf("%s: %,d bytes in memory; %d passes; %s, max heap %d MB%n", file, capture.length, passes,
                ManagementFactory.getGarbageCollectorMXBeans().get(0).getName(), Runtime.getRuntime().maxMemory() >> 20);

        double[] millis = new double[passes];
        double[] rates = new double[passes];
        long[] firstKinds = null;
        for (int pass = 1; pass <= passes; pass++) {
            long[] kinds = new long[CloseKind.values().length];
            AnalysisListener listener = AnalysisListener.onConnections(r -> kinds[r.close().ordinal()]++);
            long allocated = threads.getCurrentThreadAllocatedBytes();
            long cpu = threads.getCurrentThreadCpuTime();
            long gc = gcMillis();
            long start = System.nanoTime();
            AnalysisResult result = Analyzer.analyze(CaptureReaders.open(new ByteArrayInputStream(capture), file.toString()),
                    config, listener);
            long wallNanos = System.nanoTime() - start;
            cpu = threads.getCurrentThreadCpuTime() - cpu;
            gc = gcMillis() - gc;
            allocated = threads.getCurrentThreadAllocatedBytes() - allocated;
            long frames = result.summary().frames();
            millis[pass - 1] = wallNanos / 1e6;
            rates[pass - 1] = frames / (wallNanos / 1e9);
            System.out.printf("pass %2d: %7.1f ms wall, %7.1f ms thread cpu, %5d ms gc, %,11.0f packets/s, %6.1f MB allocated"
                    + " (%,d packets, %,d connections)%n", pass, millis[pass - 1], cpu / 1e6, gc, rates[pass - 1],
                    allocated / 1e6, frames, result.summary().connections());
            if (firstKinds == null) {
                firstKinds = kinds;
            } else if (!Arrays.equals(firstKinds, kinds)) {
                throw new IllegalStateException("pass " + pass + " counted other close kinds: "
                        + Arrays.toString(kinds) + " vs " + Arrays.toString(firstKinds));
            }
        }
        double[] sortedMillis = millis.clone();
        Arrays.sort(sortedMillis);
        double[] sortedRates = rates.clone();
        Arrays.sort(sortedRates);
        System.out.printf("best   %8.1f ms, %,12.0f packets/s%n", sortedMillis[0], sortedRates[passes - 1]);
        System.out.printf("median %8.1f ms, %,12.0f packets/s%n", median(sortedMillis), median(sortedRates));
        StringBuilder closes = new StringBuilder("closes:");
        for (CloseKind k : CloseKind.values()) {
            closes.append(' ').append(k.jsonName()).append('=').append(firstKinds[k.ordinal()]);
        }
        System.out.println(closes);
    }

    /** Collection time so far, all collectors (pauses, for the stop-the-world ones). */
    private static long gcMillis() {
        long sum = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            sum += Math.max(0, gc.getCollectionTime());
        }
        return sum;
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
