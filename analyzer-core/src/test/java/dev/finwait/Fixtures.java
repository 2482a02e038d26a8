package dev.finwait;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * Where the tests find their captures: {@code sample-captures/} and the third-party corpus in
 * {@code sample-captures/third-party/}, both inside the repository (the poms pass them as
 * {@code finwait.samples} and {@code finwait.corpus}). Anything missing fails the test that asked for it:
 * a test never quietly runs on fewer captures. {@link #gzip} makes any capture a compressed one.
 */
public final class Fixtures {
    private Fixtures() {
    }

    /** {@code sample-captures/}: real kernel traffic, one {@code <story>.pcap} per story. */
    public static Path samples() {
        return existingDirectory("finwait.samples", "../sample-captures");
    }

    /** {@code sample-captures/third-party/}: captures/, expected/, oracles/ and the README with origins. */
    public static Path corpus() {
        return existingDirectory("finwait.corpus", "../sample-captures/third-party");
    }

    /** Every {@code *.pcap} of {@code sample-captures/}, sorted; at least the stories the README names. */
    public static List<Path> sampleCaptures() {
        Path dir = samples();
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> all = s.filter(p -> p.getFileName().toString().endsWith(".pcap")).sorted().toList();
            if (all.size() < 16) {
                throw new AssertionError("only " + all.size() + " sample captures in " + dir + ": the repository has 16 or more");
            }
            return all;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Every corpus capture listed in {@code captures.sha256}, sorted, each one checked to exist: the list
     * comes from the checked-in manifest, not from the folder, so a lost file fails instead of
     * shrinking the test (CorpusManifestTest checks the hashes and that nothing is unlisted).
     */
    public static List<Path> corpusCaptures() {
        Path root = corpus();
        List<Path> all = corpusManifest().stream().map(name -> root.resolve("captures").resolve(name)).sorted().toList();
        for (Path p : all) {
            if (!Files.isRegularFile(p)) {
                throw new AssertionError("corpus capture missing: " + p + " (listed in captures.sha256)");
            }
        }
        return all;
    }

    /** The file names {@code captures.sha256} lists (lines {@code <sha256>  <name>}). */
    public static List<String> corpusManifest() {
        Path manifest = corpus().resolve("captures.sha256");
        try {
            List<String> names = Files.readAllLines(manifest).stream()
                    .filter(l -> !l.isBlank())
                    .map(l -> l.substring(l.indexOf(' ')).trim().replaceFirst("^\\*", ""))
                    .toList();
            if (names.isEmpty()) {
                throw new AssertionError(manifest + " lists no capture");
            }
            return names;
        } catch (IOException e) {
            throw new AssertionError("corpus manifest unreadable: " + manifest, e);
        }
    }

    /** {@code plain} as a gzip file: the readers unwrap gzip themselves, so any capture can also be tested compressed. */
    public static byte[] gzip(byte[] plain) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(plain);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static Path existingDirectory(String property, String fallback) {
        Path dir = Path.of(System.getProperty(property, fallback)).toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            throw new AssertionError(dir + " is missing (system property " + property
                    + "; the poms point it into the repository)");
        }
        return dir;
    }
}
