package dev.finwait.bench;

import dev.finwait.Analyzer;
import dev.finwait.event.AnalysisListener;
import dev.finwait.model.AnalyzerConfig;
import dev.finwait.tcp.Segment;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.management.ObjectName;

/**
 * Heap bytes per connection the analysis holds: {@code ConnectionFootprint [CONNECTIONS]} (100,000 by
 * default) opens that many connections at once ({@link LiveTraffic}: handshake, then a data segment and
 * its ACK each), measures the live heap after full collections, closes every one with the client's FIN
 * first (the client in TIME_WAIT, the connection kept for its window), and measures again. Prints bytes
 * per open connection and per connection in TIME_WAIT (heap deltas over the empty analyzer), and the
 * classes that hold them (the JVM's class histogram, differences per connection). Run it with one
 * collector and a fixed heap so the figures are the live set, not the collector's slack:
 *
 * <pre>
 * java -XX:+UseSerialGC -Xms2g -Xmx2g -cp $CP dev.finwait.bench.ConnectionFootprint 100000
 * </pre>
 */
public final class ConnectionFootprint {
    private ConnectionFootprint() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        LiveTraffic t = new LiveTraffic(n); // its per-connection counters are live from here on
        Analyzer analyzer = new Analyzer(AnalyzerConfig.defaults().withRetainConnections(false), AnalysisListener.NONE);
        long empty = liveHeap();
        Map<String, long[]> before = histogram();

        // The frames and segments of each phase are garbage once fed.
        feed(analyzer, t.handshakes().decode());
        feed(analyzer, t.traffic(2 * n, 7).decode());
        long opened = liveHeap();
        Map<String, long[]> atOpen = histogram();
        if (analyzer.liveConnections() != n) {
            throw new IllegalStateException(analyzer.liveConnections() + " live");
        }
        feed(analyzer, t.closes().decode());
        long closed = liveHeap();
        Map<String, long[]> atTimeWait = histogram();
        if (analyzer.liveConnections() != n) {
            throw new IllegalStateException(analyzer.liveConnections() + " live after the closes");
        }
        System.out.printf("%,d connections; live heap: empty analyzer %,d B, all open %,d B, all in TIME_WAIT %,d B%n",
                n, empty, opened, closed);
        System.out.printf("bytes per open connection: %.1f%n", (opened - empty) / (double) n);
        System.out.printf("bytes per connection in TIME_WAIT: %.1f%n", (closed - empty) / (double) n);
        printTop("open", before, atOpen, n);
        printTop("TIME_WAIT", before, atTimeWait, n);
        // Keep the analyzer reachable until here.
        System.out.println("(" + analyzer.liveConnections() + " still live)");
    }

    private static void feed(Analyzer a, Segment[] segments) {
        for (Segment s : segments) {
            a.accept(s);
        }
    }

    private static long liveHeap() {
        Runtime rt = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            used = Math.min(used, rt.totalMemory() - rt.freeMemory());
        }
        return used;
    }

    /** The JVM's class histogram of live objects (jcmd GC.class_histogram): class -> {instances, bytes}. */
    private static Map<String, long[]> histogram() throws Exception {
        String text = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {null}, new String[] {String[].class.getName()});
        Map<String, long[]> out = new HashMap<>();
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 4 && f[0].endsWith(":")) {
                out.put(f[3], new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
            }
        }
        return out;
    }

    private static void printTop(String what, Map<String, long[]> before, Map<String, long[]> after, int n) {
        List<Map.Entry<String, long[]>> rows = new ArrayList<>();
        for (Map.Entry<String, long[]> e : after.entrySet()) {
            long[] b = before.getOrDefault(e.getKey(), new long[2]);
            long[] d = {e.getValue()[0] - b[0], e.getValue()[1] - b[1]};
            if (d[1] > n / 2) {
                rows.add(Map.entry(e.getKey(), d));
            }
        }
        rows.sort((x, y) -> Long.compare(y.getValue()[1], x.getValue()[1]));
        System.out.printf("%s, per connection (class histogram differences):%n", what);
        for (Map.Entry<String, long[]> r : rows.subList(0, Math.min(15, rows.size()))) {
            System.out.printf("  %7.1f B  %5.2f objects  %s%n", r.getValue()[1] / (double) n,
                    r.getValue()[0] / (double) n, r.getKey());
        }
    }
}
