package dev.finwait.oracle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The reviewed list of disagreements we accept ({@code oracle/allowed-differences.tsv}): one per line,
 * {@code capture connection field ours theirs why}, tab-separated. Every entry must say why.
 */
final class AllowedDifferences {
    record Entry(String capture, String connection, String field, String ours, String theirs, String why) {
    }

    private final List<Entry> entries;
    private final Set<Entry> used = new HashSet<>();

    private AllowedDifferences(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    static AllowedDifferences load() {
        Path p = Path.of("src/test/resources/oracle/allowed-differences.tsv");
        List<Entry> entries = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(p)) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                if (f.length != 6 || f[5].isBlank()) {
                    throw new IllegalArgumentException(p + ": need 6 tab-separated columns and a reason: " + line);
                }
                entries.add(new Entry(f[0], f[1], f[2], f[3], f[4], f[5]));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new AllowedDifferences(entries);
    }

    /** True if this exact difference is listed; marks the entry used. */
    boolean allows(String capture, String connection, String field, String ours, String theirs) {
        for (Entry e : entries) {
            if (e.capture.equals(capture) && e.connection.equals(connection) && e.field.equals(field)
                    && e.ours.equals(ours) && e.theirs.equals(theirs)) {
                used.add(e);
                return true;
            }
        }
        return false;
    }

    List<Entry> unused(Set<String> fields) {
        return entries.stream().filter(e -> fields.contains(e.field) && !used.contains(e)).toList();
    }
}
