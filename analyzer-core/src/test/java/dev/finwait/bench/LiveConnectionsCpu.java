package dev.finwait.bench;

import dev.finwait.Analyzer;
import dev.finwait.decode.DecodeStats;
import dev.finwait.decode.Decoder;

import dev.finwait.event.AnalysisListener;
import dev.finwait.model.AnalyzerConfig;
import dev.finwait.tcp.Segment;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * {@link LiveConnectionsBench}'s stages timed by the thread's CPU clock as well as the wall clock (the state
 * machine fed one segment at a time, and in warmed groups as the CLI's pipeline feeds it):
 * {@code LiveConnectionsCpu [CONNECTIONS...]} (1000 and 100000 by default), 10 passes each, the first 4
 * not counted (the JIT). On a host shared with other work the wall clock counts the time this thread
 * waited for a core; its CPU time does not (caches and memory bandwidth are still shared).
 *
 * <pre>
 * java -XX:+UseParallelGC -XX:+UseTransparentHugePages -Xms3g -Xmx3g -cp $CP dev.finwait.bench.LiveConnectionsCpu
 * </pre>
 */
public final class LiveConnectionsCpu {
    private static final int PASSES = 10;
    private static final int WARM_UP = 4;

    private LiveConnectionsCpu() {
    }

    public static void main(String[] args) {
        int[] counts = args.length == 0 ? new int[] {1000, 100_000}
                : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        for (int connections : counts) {
            LiveTraffic t = new LiveTraffic(connections);
            Segment[] open = t.handshakes().decode();
            LiveTraffic.Frames traffic = t.traffic(LiveConnectionsBench.PACKETS, 1);
            Segment[] segments = traffic.decode();
            double[] decodeCpu = new double[PASSES - WARM_UP];
            double[] decodeWall = new double[PASSES - WARM_UP];
            double[] stateCpu = new double[PASSES - WARM_UP];
            double[] stateWall = new double[PASSES - WARM_UP];
            double[] warmedCpu = new double[PASSES - WARM_UP];
            double[] warmedWall = new double[PASSES - WARM_UP];
            for (int pass = 0; pass < PASSES; pass++) {
                System.gc();
                long cpu = mx.getCurrentThreadCpuTime();
                long wall = System.nanoTime();
                Decoder decoder = new Decoder(false);
                DecodeStats stats = new DecodeStats();
                long seq = 0;
                for (int i = 0; i < traffic.size; i++) {
                    seq += decoder.decodeSegment(traffic.number[i], traffic.time[i], LiveTraffic.ETHERNET, traffic.bytes,
                            traffic.offset[i], traffic.length[i], traffic.length[i], stats).seq();
                }
                long dCpu = mx.getCurrentThreadCpuTime() - cpu;
                long dWall = System.nanoTime() - wall;

                Analyzer analyzer = new Analyzer(AnalyzerConfig.defaults().withRetainConnections(false),
                        AnalysisListener.NONE);
                for (Segment s : open) {
                    analyzer.accept(s);
                }
                System.gc();
                cpu = mx.getCurrentThreadCpuTime();
                wall = System.nanoTime();
                for (Segment s : segments) {
                    analyzer.accept(s);
                }
                long sCpu = mx.getCurrentThreadCpuTime() - cpu;
                long sWall = System.nanoTime() - wall;
                if (analyzer.liveConnections() != connections || seq == 42) {
                    throw new IllegalStateException(analyzer.liveConnections() + " live");
                }

                // The same packets to a fresh table in groups, each warmed first, as DecodeAhead feeds them.
                analyzer = null;
                Analyzer warmed = new Analyzer(AnalyzerConfig.defaults().withRetainConnections(false),
                        AnalysisListener.NONE);
                for (Segment s : open) {
                    warmed.accept(s);
                }
                System.gc();
                cpu = mx.getCurrentThreadCpuTime();
                wall = System.nanoTime();
                LiveConnectionsBench.feedWarmed(warmed, segments);
                long wCpu = mx.getCurrentThreadCpuTime() - cpu;
                long wWall = System.nanoTime() - wall;
                if (warmed.liveConnections() != connections) {
                    throw new IllegalStateException(warmed.liveConnections() + " live");
                }
                if (pass >= WARM_UP) {
                    int k = pass - WARM_UP;
                    decodeCpu[k] = dCpu / (double) segments.length;
                    decodeWall[k] = dWall / (double) segments.length;
                    stateCpu[k] = sCpu / (double) segments.length;
                    stateWall[k] = sWall / (double) segments.length;
                    warmedCpu[k] = wCpu / (double) segments.length;
                    warmedWall[k] = wWall / (double) segments.length;
                }
            }
            System.out.printf("%,d connections open, %,d packets a pass, ns per packet, best / median of %d passes:%n"
                            + "  decode        cpu %6.1f / %6.1f   wall %6.1f / %6.1f%n"
                            + "  state machine cpu %6.1f / %6.1f   wall %6.1f / %6.1f%n"
                            + "  warmed groups cpu %6.1f / %6.1f   wall %6.1f / %6.1f%n", connections, segments.length,
                    PASSES - WARM_UP, min(decodeCpu), median(decodeCpu), min(decodeWall), median(decodeWall),
                    min(stateCpu), median(stateCpu), min(stateWall), median(stateWall),
                    min(warmedCpu), median(warmedCpu), min(warmedWall), median(warmedWall));
        }
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElse(Double.NaN);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
