package dev.finwait.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Issue 14: {@code --filter} on files has tcpdump's semantics. On every sample capture and every
 * third-party capture, for filters over each layer, the frames we analyze are exactly as many as
 * {@code tcpdump -r FILE --count 'FILTER'} counts; a filter libpcap cannot compile for a file's link
 * type is refused by both.
 */
class FilterCountsTest {

    /** Link-layer, IP, port, TCP-flag and length filters, and the VLAN prefix that moves offsets. */
    static final List<String> FILTERS = List.of(
            "tcp",
            "tcp port 80 or tcp port 10355",
            "tcp[tcpflags] & (tcp-syn|tcp-fin|tcp-rst) != 0",
            "ip6 or greater 200",
            "vlan or not ip",
            "host 127.0.0.1 and less 100");

    private static final Pattern TCPDUMP_COUNT = Pattern.compile("(?m)^(\\d+) packets?$");
    private static final Pattern OUR_FRAMES = Pattern.compile("\"type\":\"summary\",\"frames\":(\\d+),");

    static Path tcpdump() {
        for (String p : List.of("/usr/bin/tcpdump", "/usr/sbin/tcpdump")) {
            if (Files.isExecutable(Path.of(p))) {
                return Path.of(p);
            }
        }
        if (Cli.inCi()) {
            fail("tcpdump missing: ./run-tests installs it in CI, where this comparison must run");
        }
        assumeTrue(false, "tcpdump is not installed");
        return null;
    }

    static List<Path> captures() throws IOException {
        Path samples = Path.of(System.getProperty("finwait.samples", "../sample-captures"));
        List<Path> all = new ArrayList<>();
        for (Path dir : List.of(samples, Corpus.root().resolve("captures"))) {
            try (Stream<Path> s = Files.list(dir)) {
                s.filter(p -> p.toString().matches(".*\\.pcap(ng)?$")).sorted().forEach(all::add);
            }
        }
        assertTrue(all.size() >= 80, "sample and third-party captures: " + all.size());
        return all;
    }

    /** tcpdump's count, or null when tcpdump refuses the filter or the file. */
    static Long tcpdumpCount(Path tcpdump, Path capture, String filter) throws Exception {
        Process p = new ProcessBuilder(tcpdump.toString(), "-r", capture.toString(), "--count", filter)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "tcpdump finishes");
        Matcher m = TCPDUMP_COUNT.matcher(out);
        return p.exitValue() == 0 && m.find() ? Long.valueOf(m.group(1)) : null;
    }

    @Test
    void filteredFrameCountsEqualTcpdumpsOnEveryCapture() throws Exception {
        Path tcpdump = tcpdump();
        List<String> differences = new ArrayList<>();
        int compared = 0;
        int refusedByBoth = 0;
        for (Path capture : captures()) {
            for (String filter : FILTERS) {
                Long theirs = tcpdumpCount(tcpdump, capture, filter);
                Cli.Result r = Cli.run("-q", "-T", "jsonl", "-f", filter, capture.toString());
                Matcher m = OUR_FRAMES.matcher(r.out());
                Long ours = m.find() ? Long.valueOf(m.group(1)) : null;
                if (theirs == null) {
                    // tcpdump cannot compile the filter for this link type (or cannot read the file)
                    if (r.code() == 2 && r.err().startsWith("analyze: bad capture filter")) {
                        refusedByBoth++;
                    } else {
                        differences.add(capture.getFileName() + " '" + filter + "': tcpdump refused, we gave exit "
                                + r.code() + " " + r.err().strip());
                    }
                    continue;
                }
                compared++;
                if (!theirs.equals(ours)) {
                    differences.add(capture.getFileName() + " '" + filter + "': tcpdump " + theirs + ", ours " + ours
                            + " (exit " + r.code() + " " + r.err().strip() + ")");
                }
            }
        }
        System.out.println("--filter on files: " + (compared - differences.size()) + " / " + compared
                + " capture x filter counts equal tcpdump's, " + refusedByBoth + " refused by both");
        assertEquals("", String.join("\n", differences));
        assertTrue(compared >= 400, compared + " comparisons");
    }
}
