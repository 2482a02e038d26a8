package dev.finwait.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** The third-party corpus (system property {@code finwait.corpus}) and its expected-answer files. */
final class Corpus {
    private Corpus() {
    }

    static Path root() {
        return Fixtures.corpus();
    }

    static Path capture(String fileName) {
        Path p = root().resolve("captures").resolve(fileName);
        if (!Files.isRegularFile(p)) {
            throw new AssertionError("corpus capture missing: " + p);
        }
        return p;
    }

    /** One oracle row of {@code expected/<name>.tsv}, without the oracle name. */
    record Row(String oracle, List<String> columns) {
        String get(int i) {
            return columns.get(i);
        }
    }

    /** The rows of one oracle ("zeek", "tshark", "suricata") for a capture name without extension. */
    static List<Row> expected(String name, String oracle) {
        Path p = root().resolve("expected").resolve(name + ".tsv");
        try {
            return Files.readAllLines(p).stream()
                    .filter(l -> !l.startsWith("#") && !l.isBlank())
                    .map(l -> l.split("\t", -1))
                    .filter(c -> c[0].equals(oracle))
                    .map(c -> new Row(c[0], Arrays.asList(c).subList(1, c.length)))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
