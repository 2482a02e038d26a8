package dev.finwait.fuzz;

import dev.finwait.Fixtures;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.finwait.AnalysisResult;
import dev.finwait.Analyzer;
import dev.finwait.model.AnalyzerConfig;
import dev.finwait.capture.CaptureFormatException;
import dev.finwait.bench.CaptureGenerator;
import dev.finwait.capture.CaptureReaders;
import dev.finwait.capture.PcapToPcapng;
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

    /**
     * Large seeds (issue 17: the readers' bug past the first 64 KiB buffer was out of reach of seeds under
     * 70 KB): generated captures of {@code packets} packets (about 400 bytes each) as pcap and as pcapng
     * (SHB, IDB, EPBs with options, as editcap lays it out), and a pcapng of two sections of different
     * byte order made of two of them. The mutator gzips some of each.
     */
    static List<byte[]> largeSeeds(int packets) throws IOException {
        List<byte[]> seeds = new ArrayList<>();
        for (long seed : new long[] {1, 2}) {
            java.io.ByteArrayOutputStream pcap = new java.io.ByteArrayOutputStream();
            CaptureGenerator.write(pcap, packets, Long.MAX_VALUE, seed, CaptureGenerator.DEFAULT_RATE,
                    seed == 1 ? CaptureGenerator.ETHERNET_MSS : 200);
            seeds.add(pcap.toByteArray());
            seeds.add(PcapToPcapng.convert(pcap.toByteArray()));
        }
        seeds.add(Mutator.concat(seeds.get(1), bigEndian(seeds.get(3))));
        return seeds;
    }

    /** The same pcapng blocks in big-endian order (the packet bytes and options' values stay). */
    private static byte[] bigEndian(byte[] little) {
        byte[] b = little.clone();
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(little).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        java.nio.ByteBuffer out = java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.BIG_ENDIAN);
        int at = 0;
        while (at + 12 <= little.length) {
            int type = in.getInt(at);
            int len = in.getInt(at + 4);
            out.putInt(at, type).putInt(at + 4, len).putInt(at + len - 4, len);
            switch (type) {
                case 0x0A0D0D0A -> out.putInt(at + 8, in.getInt(at + 8)).putShort(at + 12, in.getShort(at + 12))
                        .putShort(at + 14, in.getShort(at + 14)).putLong(at + 16, in.getLong(at + 16));
                case 1 -> out.putShort(at + 8, in.getShort(at + 8)).putInt(at + 12, in.getInt(at + 12));
                case 6 -> {
                    for (int f = 8; f < 28; f += 4) {
                        out.putInt(at + f, in.getInt(at + f));
                    }
                }
                default -> {
                }
            }
            swapOptions(in, out, type, at, len);
            at += len;
        }
        return b;
    }

    /** Option codes and lengths, in place (values are strings and single bytes here). */
    private static void swapOptions(java.nio.ByteBuffer in, java.nio.ByteBuffer out, int type, int at, int len) {
        int opt = switch (type) {
            case 0x0A0D0D0A -> at + 24;
            case 1 -> at + 16;
            case 6 -> at + 28 + ((in.getInt(at + 20) + 3) & ~3);
            default -> at + len;
        };
        while (opt + 4 <= at + len - 4) {
            int code = in.getShort(opt) & 0xFFFF;
            int optLen = in.getShort(opt + 2) & 0xFFFF;
            out.putShort(opt, (short) code).putShort(opt + 2, (short) optLen);
            if (code == 0) {
                break;
            }
            opt += 4 + ((optLen + 3) & ~3);
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
