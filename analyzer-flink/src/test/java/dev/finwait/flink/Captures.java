package dev.finwait.flink;

import dev.finwait.Analyzer;
import dev.finwait.capture.CaptureReaders;
import dev.finwait.event.AnalysisListener;
import dev.finwait.model.CaptureSummary;
import dev.finwait.model.ConnectionReport;
import dev.finwait.report.format.JsonlWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** The test captures (inside the repository) and what the CLI's analysis makes of them. */
final class Captures {
    private Captures() {
    }

    static Path samples() {
        Path dir = Path.of(System.getProperty("finwait.samples", "../sample-captures")).toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            throw new AssertionError(dir + " is missing");
        }
        return dir;
    }

    static List<Path> sampleCaptures() {
        try (Stream<Path> s = Files.list(samples())) {
            List<Path> all = s.filter(p -> p.getFileName().toString().endsWith(".pcap")).sorted().toList();
            if (all.size() < 16) {
                throw new AssertionError("only " + all.size() + " sample captures: the repository has 16 or more");
            }
            return all;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every corpus capture its manifest lists. */
    static List<Path> corpusCaptures() {
        Path root = samples().resolve("third-party");
        try {
            List<Path> all = Files.readAllLines(root.resolve("captures.sha256")).stream().filter(l -> !l.isBlank())
                    .map(l -> root.resolve("captures").resolve(l.substring(l.indexOf(' ')).trim().replaceFirst("^\\*", "")))
                    .sorted().toList();
            for (Path p : all) {
                if (!Files.isRegularFile(p)) {
                    throw new AssertionError("corpus capture missing: " + p);
                }
            }
            return all;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The connection lines and the summary line that {@code analyze --format jsonl} writes for the file. */
    static List<String> cliJsonl(Path capture) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        JsonlWriter w = new JsonlWriter(b);
        Analyzer.analyze(CaptureReaders.open(capture), Main.CONFIG, new AnalysisListener() {
            @Override
            public void onConnection(ConnectionReport r) {
                w.connection(r);
            }

            @Override
            public void onEnd(CaptureSummary s) {
                w.end(s);
            }
        });
        return List.of(b.toString(StandardCharsets.UTF_8).split("\n"));
    }

    /** {@code capture} cut by editcap into files of {@code frames} frames each, in {@code dir}. */
    static List<Path> cut(Path capture, int frames, Path dir) throws Exception {
        Files.createDirectories(dir);
        String name = capture.getFileName().toString();
        Process p = new ProcessBuilder("editcap", "-c", String.valueOf(frames), capture.toString(),
                dir.resolve(name).toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new AssertionError("editcap failed on " + capture + ": " + out);
        }
        List<Path> files = new ArrayList<>(Main.files(dir.toString()));
        return files;
    }
}
