package dev.finwait;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The corpus in the repository is whole: every listed capture present and unmodified, nothing unlisted. */
class CorpusManifestTest {

    private static Set<String> names(Path dir, String suffix) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(suffix))
                    .map(n -> n.substring(0, n.length() - suffix.length()))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    @Test
    void everyListedCaptureIsPresentWithItsHash() throws IOException, NoSuchAlgorithmException {
        Path manifest = Fixtures.corpus().resolve("captures.sha256");
        List<String> lines = Files.readAllLines(manifest).stream().filter(l -> !l.isBlank()).toList();
        assertEquals(66, lines.size(), "captures listed in " + manifest);
        for (String line : lines) {
            String want = line.substring(0, line.indexOf(' '));
            Path capture = Fixtures.corpus().resolve("captures").resolve(line.substring(want.length()).trim());
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(capture));
            assertEquals(want, HexFormat.of().formatHex(digest), capture + " changed");
        }
    }

    @Test
    void noCaptureIsUnlistedAndEachHasItsExpectedAnswers() throws IOException {
        Path root = Fixtures.corpus();
        Set<String> listed = new TreeSet<>(Fixtures.corpusManifest());
        Set<String> present = names(root.resolve("captures"), "");
        assertEquals(listed, present, "captures/ against captures.sha256");
        Set<String> bases = listed.stream().map(n -> n.substring(0, n.lastIndexOf('.')))
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(bases, names(root.resolve("expected"), ".tsv"), "expected/*.tsv against the captures");
    }

    @Test
    void theUpstreamLicencesTravelWithTheFiles() throws IOException {
        Path licenses = Fixtures.corpus().resolve("licenses");
        assertEquals(Set.of("zeek-BSD-3-Clause", "tcpdump-BSD-3-Clause", "suricata-verify-MIT"), names(licenses, ".txt"));
        String readme = Files.readString(Fixtures.corpus().resolve("README.md"));
        for (String name : Fixtures.corpusManifest()) {
            assertTrue(readme.contains("| " + name + " |"), name + " has no origin row in the README");
        }
    }
}
