package dev.finwait.bench;

import dev.finwait.Analyzer;
import dev.finwait.capture.CaptureReaders;
import dev.finwait.capture.FrameSource;
import dev.finwait.capture.ReadProgress;
import dev.finwait.diagnosis.Diagnosis;
import dev.finwait.diagnosis.DiagnosisConfig;
import dev.finwait.event.AnalysisListener;
import dev.finwait.model.AnalyzerConfig;
import dev.finwait.model.ConnectionReport;
import dev.finwait.report.format.JsonlWriter;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Two stages of the CLI's report thread on their own, on a capture's reports kept in memory: the
 * per-service diagnosis ({@link Diagnosis#add}, then finish) and the JSONL connection lines (through a
 * {@code BufferedOutputStream}, then gathered in the writer's own buffer as the CLI writes them), each
 * timed by this thread's cpu time, pass after pass (the first passes warm the JIT up). Prints
 * nanoseconds per report; cpu time, not wall time, so a busy shared host skews it less.
 *
 * <pre>ReportStageBench FILE [PASSES]</pre>
 */
public final class ReportStageBench {
    private ReportStageBench() {
    }

    public static void main(String[] args) throws IOException {
        List<ConnectionReport> reports = new ArrayList<>();
        AnalyzerConfig config = AnalyzerConfig.defaults();
        Analyzer analyzer = Analyzer.builder(config).listener(AnalysisListener.onConnections(reports::add)).build();
        try (FrameSource source = CaptureReaders.open(Path.of(args[0]))) {
            analyzer.readAll(source, 1, ReadProgress.NONE);
        }
        analyzer.finish();
        int passes = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        for (int pass = 1; pass <= passes; pass++) {
            long t0 = cpu.getCurrentThreadCpuTime();
            Diagnosis d = new Diagnosis(DiagnosisConfig.defaults().withIdleTimeout(config.idleTimeout()));
            for (ConnectionReport r : reports) {
                d.add(r);
            }
            d.finish();
            long t1 = cpu.getCurrentThreadCpuTime();
            JsonlWriter w = new JsonlWriter(new BufferedOutputStream(OutputStream.nullOutputStream(), 1 << 16));
            for (ConnectionReport r : reports) {
                w.connection(r);
            }
            long t2 = cpu.getCurrentThreadCpuTime();
            // As the CLI writes it: lines gathered in the writer's own buffer, no stream copying them again.
            JsonlWriter g = JsonlWriter.gathering(OutputStream.nullOutputStream(), 1 << 16);
            for (ConnectionReport r : reports) {
                g.connection(r);
            }
            g.flush();
            long t3 = cpu.getCurrentThreadCpuTime();
            System.out.printf("pass %d: %d reports, diagnosis %.0f ns/report, jsonl %.0f ns/report, jsonl gathered %.0f ns/report%n",
                    pass, reports.size(), (t1 - t0) / (double) reports.size(), (t2 - t1) / (double) reports.size(),
                    (t3 - t2) / (double) reports.size());
        }
    }
}
