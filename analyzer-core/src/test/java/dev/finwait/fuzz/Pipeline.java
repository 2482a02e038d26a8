package dev.finwait.fuzz;

import dev.finwait.Fixtures;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.finwait.AnalysisResult;
import dev.finwait.Analyzer;
import dev.finwait.model.AnalyzerConfig;
import dev.finwait.capture.CaptureFormatException;
import dev.finwait.capture.CaptureReaders;
import dev.finwait.event.AnalysisListener;
import dev.finwait.event.ConnectionEvent;
import dev.finwait.model.ConnectionReport;
import dev.finwait.report.format.CsvWriter;
import dev.finwait.report.format.JsonlWriter;
import dev.finwait.report.format.LadderWriter;
import dev.finwait.report.format.ReportWriter;
import dev.finwait.report.format.TextWriter;
import dev.finwait.report.format.ZeekLogWriter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * One input through the whole pipeline: CaptureReaders, Analyzer, and all five report writers at once.
 * The analysis runs with {@code AnalyzerConfig.defaults()} plus segment events, which the ladder needs
 * to draw anything (the reports are the same either way).
 */
final class Pipeline {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Pipeline() {
    }

    /** What one input did: frames read, connections reported, and the format error that ended it, if any. */
    record Outcome(long frames, long connections, CaptureFormatException formatError) {
    }

    /**
     * Runs one input. Returns normally, or with the CaptureFormatException (naming an offset) that
     * ended it; any other throwable propagates, which is the bug a fuzzer is looking for.
     */
    static Outcome run(byte[] input) throws IOException {
        List<StringWriter> outs = new ArrayList<>();
        List<ReportWriter> writers = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            outs.add(new StringWriter());
        }
        writers.add(new JsonlWriter(outs.get(0)));
        writers.add(new TextWriter(outs.get(1)));
        writers.add(new CsvWriter(outs.get(2)));
        writers.add(new ZeekLogWriter(outs.get(3)));
        LadderWriter ladder = new LadderWriter(outs.get(4), 100);
        writers.add(ladder);
        long[] connections = {0};
        AnalysisListener listener = new AnalysisListener() {
            @Override
            public void onEvent(ConnectionEvent e) {
                for (ReportWriter w : writers) {
                    w.event(e);
                }
            }

            @Override
            public void onConnection(ConnectionReport r) {
                connections[0]++;
                // every other connection is drawn; the rest are discarded, as the CLI does for --only
                if (r.id() % 2 == 0) {
                    ladder.discard(r.id());
                }
                for (ReportWriter w : writers) {
                    if (w != ladder || r.id() % 2 != 0) {
                        w.connection(r);
                    }
                }
            }
        };
        AnalysisResult result;
        try {
            result = Analyzer.builder(AnalyzerConfig.defaults().withEmitSegments(true)).eventListener(listener).build()
                    .analyzeAll(CaptureReaders.open(new ByteArrayInputStream(input), "fuzz"));
        } catch (CaptureFormatException e) {
            checkFormatError(e);
            return new Outcome(0, 0, e);
        }
        for (ReportWriter w : writers) {
            w.end(result.summary());
        }
        for (String line : outs.get(0).toString().split("\n")) {
            if (!line.isEmpty()) {
                JSON.readTree(line); // the jsonl output stays valid JSON
            }
        }
        String error = result.summary().inputError();
        if (error != null && !error.contains("offset")) {
            throw new AssertionError("format error without an offset: " + error);
        }
        return new Outcome(result.summary().frames(), connections[0],
                error == null ? null : new CaptureFormatException(-1, error));
    }

    /** What an analysis on {@code threads} threads made of {@code input}: its result and the reader's error. */
    record Analysis(AnalysisResult result, String error) {
    }

    static Analysis analyze(byte[] input, int threads) throws java.io.IOException {
        Analyzer analyzer = new Analyzer(AnalyzerConfig.defaults(), AnalysisListener.NONE);
        String error = null;
        try (var source = CaptureReaders.open(new ByteArrayInputStream(input), "fuzz")) {
            analyzer.readAll(source, threads, dev.finwait.capture.ReadProgress.NONE);
        } catch (CaptureFormatException e) {
            checkFormatError(e);
            error = e.getMessage();
            analyzer.inputError(new dev.finwait.model.InputError(error, e.offset()));
        }
        return new Analysis(analyzer.finish(), error);
    }

    static void checkFormatError(CaptureFormatException e) {
        if (e.getMessage() == null || !e.getMessage().contains("offset")) {
            throw new AssertionError("format error without an offset: " + e.getMessage(), e);
        }
    }

    /** The seed captures: every sample capture, and the corpus files named (all of them when null). */
    static List<byte[]> seeds(List<String> corpusNames) throws IOException {
        List<byte[]> seeds = new ArrayList<>();
        Path samples = Fixtures.samples();
        Path corpus = Fixtures.corpus();
        for (Path p : Fixtures.sampleCaptures()) {
            seeds.add(Files.readAllBytes(p));
        }
        List<String> found = new ArrayList<>();
        for (Path p : Fixtures.corpusCaptures()) {
            if (corpusNames == null || corpusNames.contains(p.getFileName().toString())) {
                seeds.add(Files.readAllBytes(p));
                found.add(p.getFileName().toString());
            }
        }
        if (corpusNames != null && !found.containsAll(corpusNames)) {
            throw new IllegalStateException("corpus seeds missing from " + corpus + ": " + corpusNames + " asked, " + found + " found");
        }
        if (seeds.size() < 10) {
            throw new IllegalStateException("too few seed captures (" + seeds.size() + ") in " + samples + " and " + corpus);
        }
        return seeds;
    }
}
