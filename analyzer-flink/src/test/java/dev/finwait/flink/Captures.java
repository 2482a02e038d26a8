package dev.finwait.flink;

import dev.finwait.Analyzer;
import dev.finwait.capture.CaptureReaders;
import dev.finwait.diagnosis.Diagnosis;
import dev.finwait.diagnosis.DiagnosisResult;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

    /** What the CLI's analysis of one file gives: the reports in the order it finished them, the diagnosis, the summary. */
    record Reference(List<ConnectionReport> reports, DiagnosisResult diagnosis, CaptureSummary summary) {
    }

    static Reference reference(Path capture) throws IOException {
        List<ConnectionReport> reports = new ArrayList<>();
        Diagnosis diagnosis = new Diagnosis(Numbering.diagnosisConfig(Main.CONFIG));
        CaptureSummary[] summary = new CaptureSummary[1];
        Analyzer.analyze(CaptureReaders.open(capture), Main.CONFIG, new AnalysisListener() {
            @Override
            public void onConnection(ConnectionReport r) {
                reports.add(r);
                diagnosis.add(r);
            }

            @Override
            public void onEnd(CaptureSummary s) {
                summary[0] = s;
            }
        });
        return new Reference(reports, diagnosis.finish(), summary[0]);
    }

    /**
     * What {@code analyze --format jsonl} writes for the file: the connection lines (as they finish),
     * the service, host and series lines, the summary.
     */
    static List<String> cliJsonl(Path capture) throws IOException {
        Reference ref = reference(capture);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        JsonlWriter w = new JsonlWriter(b);
        ref.reports().forEach(w::connection);
        w.diagnosis(ref.diagnosis());
        w.end(ref.summary());
        return List.of(b.toString(StandardCharsets.UTF_8).split("\n"));
    }

    /**
     * The same in STREAMING's form (one capture point): each connection under the uid its first frame
     * gives, and the examples of the findings by uid.
     */
    static List<String> streamingJsonl(Path capture) throws IOException {
        Reference ref = reference(capture);
        Map<Long, Long> tempIds = new HashMap<>();
        for (ConnectionReport r : ref.reports()) {
            tempIds.put(r.id(), Analysis.tempId(0, r.firstFrame()));
        }
        List<String> out = new ArrayList<>();
        for (ConnectionReport r : ref.reports()) {
            out.add(Lines.withUids(Lines.withIds(r, tempIds.get(r.id()), tempIds::get)));
        }
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        JsonlWriter w = new JsonlWriter(b);
        w.diagnosis(ref.diagnosis());
        w.end(ref.summary());
        Pattern examples = Pattern.compile("\"examples\":\\[([0-9,]*)\\]");
        for (String line : b.toString(StandardCharsets.UTF_8).split("\n")) {
            Matcher m = examples.matcher(line);
            StringBuilder t = new StringBuilder();
            while (m.find()) {
                List<String> uids = new ArrayList<>();
                for (String id : m.group(1).split(",")) {
                    if (!id.isEmpty()) {
                        uids.add("\"" + Uids.of(tempIds.get(Long.parseLong(id))) + "\"");
                    }
                }
                m.appendReplacement(t, Matcher.quoteReplacement("\"examples\":[" + String.join(",", uids) + "]"));
            }
            m.appendTail(t);
            out.add(t.toString());
        }
        return out;
    }

    /**
     * services.pcap (8 s), then the same packets again 200 s later: the first copy's connections end
     * (TIME_WAIT over, 60 s) while the second copy is read, so STREAMING writes them before the end;
     * the second copy's SYNs open the same 4-tuples again (a reuse where the first was still open).
     */
    static Path twoVisits(Path dir) throws Exception {
        Files.createDirectories(dir);
        Path services = samples().resolve("services.pcap");
        Path later = dir.resolve("later.pcap");
        Path both = dir.resolve("two-visits.pcap");
        tool(List.of("editcap", "-t", "200", services.toString(), later.toString()));
        tool(List.of("mergecap", "-a", "-F", "pcap", "-w", both.toString(), services.toString(), later.toString()));
        Files.delete(later);
        return both;
    }

    private static void tool(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new AssertionError(command + " failed: " + out);
        }
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
