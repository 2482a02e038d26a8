package dev.finwait.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * --only, --port, --host and --connection on four corpus captures merged by time: six connections, a
 * half-close, a four-way and a three-way close (VLAN/MPLS mix), a reset in ESTABLISHED
 * (retransmit-fast), another four-way close (miss-end-data) and a SYN answered by its own sender's RST.
 * A selection prints exactly the unfiltered lines whose connection matches, unchanged.
 */
class SelectionTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> INPUTS = Stream.of("zk-vlan-mpls-mixed", "zk-retransmit-fast-rst",
            "zk-miss-end-data", "zk-syn-then-rst").map(n -> Corpus.capture(n + ".pcap").toString()).toList();

    private static Cli.Result analyze(String format, String... selection) {
        List<String> args = new ArrayList<>(List.of("-q", "--format", format));
        args.addAll(List.of(selection));
        args.addAll(INPUTS);
        Cli.Result r = Cli.run(args.toArray(String[]::new));
        assertEquals(0, r.code(), r::toString);
        assertEquals("", r.err());
        return r;
    }

    private static List<String> connectionLines(Cli.Result r) {
        return r.outLines().stream().filter(l -> l.startsWith("{\"type\":\"connection\"")).toList();
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs the selection and checks it printed exactly the unfiltered lines that {@code expected} keeps. */
    private static List<String> assertSelects(Predicate<JsonNode> expected, int count, String... selection) {
        List<String> all = connectionLines(analyze("jsonl"));
        assertEquals(6, all.size(), "connections in the merged input");
        List<String> want = all.stream().filter(l -> expected.test(parse(l))).toList();
        List<String> got = connectionLines(analyze("jsonl", selection));
        assertEquals(want, got, () -> "selection " + String.join(" ", selection));
        assertEquals(count, got.size(), () -> "selection " + String.join(" ", selection));
        return got;
    }

    private static boolean hasPort(JsonNode c, int port) {
        return c.path("client").path("port").asInt() == port || c.path("server").path("port").asInt() == port;
    }

    private static boolean hasHost(JsonNode c, String ip) {
        return c.path("client").path("ip").asText().equals(ip) || c.path("server").path("ip").asText().equals(ip);
    }

    private static boolean reset(JsonNode c) {
        for (JsonNode r : c.path("resets")) {
            if (r.path("acceptable").asBoolean()) return true;
        }
        return false;
    }

    @Test
    void onlyResetKeepsTheConnectionsEndedByAnAcceptableRst() {
        List<String> got = assertSelects(SelectionTest::reset, 2, "--only", "reset");
        assertTrue(got.stream().allMatch(l -> parse(l).path("close").asText().equals("reset")), got::toString);
    }

    @Test
    void onlyHalfCloseKeepsTheHalfClosedConnection() {
        assertSelects(c -> !c.path("half_close").isNull(), 1, "--only", "half_close");
        assertSelects(c -> !c.path("half_close").isNull(), 1, "--only", "half-close");
        assertSelects(c -> !c.path("half_close").isNull(), 1, "--only", "HALF-CLOSE");
    }

    @Test
    void severalOnlyKindsAreAnyOf() {
        assertSelects(c -> reset(c) || !c.path("half_close").isNull(), 3, "--only", "reset,half_close");
    }

    @Test
    void portMatchesEitherSide() {
        assertSelects(c -> hasPort(c, 80), 4, "--port", "80");
        assertSelects(c -> hasPort(c, 11001), 1, "--port", "11001");
        assertSelects(c -> false, 0, "--port", "1");
    }

    @Test
    void hostMatchesEitherSide() {
        assertSelects(c -> hasHost(c, "10.1.2.1"), 1, "--host", "10.1.2.1");
        assertSelects(c -> hasHost(c, "192.168.0.27"), 1, "--host", "192.168.0.27");
    }

    @Test
    void connectionPicksOneId() {
        List<String> got = assertSelects(c -> c.path("id").asLong() == 3, 1, "--connection", "3");
        assertEquals(3, parse(got.get(0)).path("id").asLong());
    }

    @Test
    void filtersCombineWithAnd() {
        assertSelects(c -> hasPort(c, 80) && reset(c), 1, "--port", "80", "--only", "reset");
        assertSelects(c -> hasHost(c, "10.1.2.1") && hasPort(c, 80), 0, "--host", "10.1.2.1", "--port", "80");
    }

    @Test
    void textFormatPrintsOneLinePerSelectedConnection() {
        long all = analyze("text").outLines().stream().filter(l -> l.startsWith("#")).count();
        List<String> reset = analyze("text", "--only", "reset").outLines().stream().filter(l -> l.startsWith("#")).toList();
        assertEquals(6, all);
        assertEquals(2, reset.size(), reset::toString);
        assertTrue(reset.stream().allMatch(l -> l.contains("close: reset")), reset::toString);
        long csvRows = analyze("csv", "--port", "80").outLines().size() - 1;
        assertEquals(4, csvRows, "csv: header plus one row per selected connection");
    }

    @Test
    void badHostIsAUsageError() {
        List<String> args = new ArrayList<>(List.of("--host", "not-an-address"));
        args.addAll(INPUTS);
        Cli.Result r = Cli.run(args.toArray(String[]::new));
        assertEquals(2, r.code(), r::toString);
        assertEquals("", r.out());
        assertTrue(r.err().startsWith("analyze: --host: "), r.err());
    }
}
