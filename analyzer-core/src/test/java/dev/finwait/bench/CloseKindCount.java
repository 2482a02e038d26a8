package dev.finwait.bench;

import dev.finwait.Analyzer;
import dev.finwait.AnalysisResult;
import dev.finwait.model.AnalyzerConfig;
import dev.finwait.capture.CaptureReaders;
import dev.finwait.event.AnalysisListener;
import dev.finwait.model.CloseKind;
import dev.finwait.model.ConnectionReport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

/**
 * Streams a capture through the real {@link Analyzer} without retaining connections, counting the
 * finished ones per {@link CloseKind}; prints {@code key value} lines. The child process of
 * {@link ManyConnectionsTest}, so that it can run under a small heap: {@code CloseKindCount FILE}.
 */
public final class CloseKindCount {
    private CloseKindCount() {
    }

    public static void main(String[] args) throws IOException {
        Map<CloseKind, Long> kinds = new EnumMap<>(CloseKind.class);
        long[] finished = new long[1];
        long[] dataAfterFin = new long[1];
        AnalyzerConfig config = AnalyzerConfig.defaults().withRetainConnections(false);
        long start = System.nanoTime();
        AnalysisResult result = Analyzer.analyze(args[0].equals("-") ? CaptureReaders.open(System.in, "stdin") : CaptureReaders.open(Path.of(args[0])), config, AnalysisListener.onConnections(r -> {
            {
                finished[0]++;
                kinds.merge(r.close(), 1L, Long::sum);
                if (r.halfClose().filter(h -> h.bytesAfter() > 0).isPresent()) {
                    dataAfterFin[0]++;
                }
            }
        }));
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.println("frames " + result.summary().frames());
        System.out.println("connections " + result.summary().connections());
        System.out.println("finished " + finished[0]);
        System.out.println("retained " + result.connections().size());
        System.out.println("data_after_fin " + dataAfterFin[0]);
        for (CloseKind k : CloseKind.values()) {
            System.out.println("close." + k.jsonName() + " " + kinds.getOrDefault(k, 0L));
        }
        System.out.printf("seconds %.1f%n", seconds);
        System.out.println("max_heap_mb " + Runtime.getRuntime().maxMemory() / (1 << 20));
    }
}
