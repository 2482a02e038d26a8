package dev.finwait.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every output format on real third-party captures: exit 0, the structure each format promises, and
 * the content checked against the corpus oracles (tshark's streams for the 4-tuples, Zeek's baseline
 * for conn_state and history).
 *
 * <p>The captures: a half-close, a four-way and a three-way close (VLAN/MPLS mix); a reset by the
 * originator after retransmissions (Zeek RSTO); a plain close with data missing at the end (Zeek SF).
 */
class OutputFormatsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final Set<String> JSONL_CONNECTION_FIELDS = Set.of("type", "id", "client", "server", "opener",
            "first_ts", "last_ts", "handshake", "close", "first_fin", "half_close", "resets", "time_wait", "reuse",
            "sides", "counts", "zeek", "completeness", "anomalies");

    private static final List<String> ZEEK_LEADING_FIELDS = List.of("ts", "uid", "id.orig_h", "id.orig_p",
            "id.resp_h", "id.resp_p", "proto");

    private static Cli.Result analyze(String capture, String format) {
        Cli.Result r = Cli.run("--format", format, "-q", Corpus.capture(capture + ".pcap").toString());
        assertEquals(0, r.code(), () -> r.toString());
        assertEquals("", r.err(), "nothing on stderr for a clean capture");
        assertFalse(r.out().isBlank(), "output is empty");
        return r;
    }

    /** tshark's streams as unordered endpoint pairs: tshark's A side is the first sender, not the client. */
    private static Set<String> tsharkPairs(String capture) {
        Set<String> pairs = new HashSet<>();
        for (Corpus.Row row : Corpus.expected(capture, "tshark")) {
            pairs.add(pair(row.get(1), row.get(2), row.get(3), row.get(4)));
        }
        return pairs;
    }

    private static String pair(String ipA, String portA, String ipB, String portB) {
        String a = ipA + ":" + portA;
        String b = ipB + ":" + portB;
        return a.compareTo(b) <= 0 ? a + " " + b : b + " " + a;
    }

    /** Zeek's baseline rows as "orig_h orig_p resp_h resp_p conn_state history". */
    private static Set<String> zeekRows(String capture) {
        Set<String> rows = new HashSet<>();
        for (Corpus.Row row : Corpus.expected(capture, "zeek")) {
            rows.add(String.join(" ", row.get(0), row.get(1), row.get(2), row.get(3), row.get(5), row.get(6)));
        }
        assertFalse(rows.isEmpty(), "the corpus has Zeek rows for " + capture);
        return rows;
    }

    @ParameterizedTest
    @ValueSource(strings = {"zk-vlan-mpls-mixed", "zk-retransmit-fast-rst", "zk-miss-end-data"})
    void jsonlLinesParseAndCarryTheConnections(String capture) throws Exception {
        List<String> lines = analyze(capture, "jsonl").outLines();
        List<JsonNode> connections = new ArrayList<>();
        JsonNode summary = null;
        int diagnosisRecords = 0;
        for (String line : lines) {
            JsonNode n = JSON.readTree(line);
            assertTrue(n.isObject(), line);
            switch (n.path("type").asText()) {
                case "connection" -> {
                    assertEquals(0, diagnosisRecords, "connections come before the service, host and series records");
                    connections.add(n);
                }
                case "service", "host", "series" -> diagnosisRecords++;
                case "summary" -> summary = n;
                default -> throw new AssertionError("unexpected record type: " + line);
            }
        }
        assertTrue(summary != null && lines.get(lines.size() - 1).contains("\"summary\""), "summary is the last line");
        assertEquals(connections.size(), summary.path("connections").asInt());
        assertTrue(summary.path("input_error").isNull());

        Set<String> pairs = new HashSet<>();
        Set<String> zeek = new HashSet<>();
        long previousId = 0;
        for (JsonNode c : connections) {
            Set<String> fields = new HashSet<>();
            c.fieldNames().forEachRemaining(fields::add);
            assertEquals(JSONL_CONNECTION_FIELDS, fields, c.toString());
            assertTrue(c.path("id").asLong() > previousId, "ids ascend");
            previousId = c.path("id").asLong();
            assertTrue(c.path("first_ts").asDouble() <= c.path("last_ts").asDouble());
            assertTrue(c.path("sides").has("client") && c.path("sides").has("server"));
            String ch = c.path("client").path("ip").asText();
            String cp = c.path("client").path("port").asText();
            String sh = c.path("server").path("ip").asText();
            String sp = c.path("server").path("port").asText();
            pairs.add(pair(ch, cp, sh, sp));
            zeek.add(String.join(" ", ch, cp, sh, sp, c.path("zeek").path("conn_state").asText(),
                    c.path("zeek").path("history").asText()));
        }
        assertEquals(tsharkPairs(capture), pairs, "one connection per tshark stream");
        assertEquals(zeekRows(capture), zeek, "conn_state and history as Zeek's baseline");
    }

    @ParameterizedTest
    @ValueSource(strings = {"zk-vlan-mpls-mixed", "zk-retransmit-fast-rst", "zk-miss-end-data"})
    void zeekLogHasFieldsHeaderAndBaselineConnState(String capture) {
        List<String> lines = analyze(capture, "zeek").outLines();
        List<String> fields = null;
        List<String[]> rows = new ArrayList<>();
        for (String line : lines) {
            if (line.startsWith("#fields\t")) {
                fields = List.of(line.substring("#fields\t".length()).split("\t", -1));
            } else if (!line.startsWith("#")) {
                rows.add(line.split("\t", -1));
            }
        }
        assertTrue(fields != null, "#fields line present");
        assertEquals(ZEEK_LEADING_FIELDS, fields.subList(0, ZEEK_LEADING_FIELDS.size()));
        assertTrue(fields.contains("conn_state") && fields.contains("history"), fields.toString());
        assertTrue(lines.get(0).startsWith("#separator"), "Zeek's header comes first");
        assertTrue(lines.get(lines.size() - 1).startsWith("#close"), "Zeek's #close comes last");

        int connState = fields.indexOf("conn_state");
        int history = fields.indexOf("history");
        Set<String> pairs = new HashSet<>();
        Set<String> zeek = new HashSet<>();
        for (String[] row : rows) {
            assertEquals(fields.size(), row.length, () -> "columns in " + String.join("\\t", row));
            assertEquals("tcp", row[6]);
            pairs.add(pair(row[2], row[3], row[4], row[5]));
            zeek.add(String.join(" ", row[2], row[3], row[4], row[5], row[connState], row[history]));
        }
        assertEquals(tsharkPairs(capture), pairs);
        assertEquals(zeekRows(capture), zeek, "conn_state and history as Zeek's baseline");
    }

    /**
     * Zeek uids: {@code C} and 17 base62 digits, as Zeek prints them; different for every connection of
     * every sample capture (merged logs do not collide), the same on a second run.
     */
    @Test
    void zeekUidsAreUniqueAcrossCapturesAndStable() throws Exception {
        Path samples = Path.of(System.getProperty("finwait.samples", "../sample-captures"));
        List<Path> captures;
        try (Stream<Path> s = Files.list(samples)) {
            captures = s.filter(p -> p.toString().endsWith(".pcap")).sorted().toList();
        }
        assertTrue(captures.size() >= 10, "sample captures: " + captures);
        Map<String, String> seen = new HashMap<>();
        for (Path capture : captures) {
            Cli.Result first = Cli.run("--format", "zeek", "-q", capture.toString());
            assertEquals(0, first.code(), first::toString);
            assertEquals(first.out(), Cli.run("--format", "zeek", "-q", capture.toString()).out(), "a second run");
            for (String line : first.outLines()) {
                if (line.startsWith("#")) {
                    continue;
                }
                String[] row = line.split("\t", -1);
                assertTrue(row[1].matches("C[0-9A-Za-z]{17}"), "uid in Zeek's form: " + row[1]);
                String where = capture.getFileName() + " " + row[2] + ":" + row[3] + " > " + row[4] + ":" + row[5];
                String before = seen.put(row[1], where);
                assertEquals(null, before, "uid " + row[1] + " of " + where);
            }
        }
        assertTrue(seen.size() >= 20, seen.size() + " connections");
    }

    @ParameterizedTest
    @ValueSource(strings = {"zk-vlan-mpls-mixed", "zk-retransmit-fast-rst", "zk-miss-end-data"})
    void csvRowsHaveTheHeaderColumnCount(String capture) {
        List<String> lines = analyze(capture, "csv").outLines();
        List<String> header = splitCsv(lines.get(0));
        assertEquals("id", header.get(0));
        for (String column : List.of("client_ip", "client_port", "server_ip", "server_port", "close",
                "zeek_conn_state", "zeek_history")) {
            assertTrue(header.contains(column), "header has " + column + ": " + header);
        }
        List<List<String>> rows = lines.subList(1, lines.size()).stream().map(OutputFormatsTest::splitCsv).toList();
        Set<String> pairs = new HashSet<>();
        Set<String> zeek = new HashSet<>();
        for (List<String> row : rows) {
            assertEquals(header.size(), row.size(), () -> "columns in " + row);
            String ch = row.get(header.indexOf("client_ip"));
            String cp = row.get(header.indexOf("client_port"));
            String sh = row.get(header.indexOf("server_ip"));
            String sp = row.get(header.indexOf("server_port"));
            pairs.add(pair(ch, cp, sh, sp));
            zeek.add(String.join(" ", ch, cp, sh, sp, row.get(header.indexOf("zeek_conn_state")),
                    row.get(header.indexOf("zeek_history"))));
        }
        assertEquals(tsharkPairs(capture), pairs);
        assertEquals(zeekRows(capture), zeek);
    }

    private static final Pattern TEXT_CONNECTION = Pattern.compile(
            "^#(\\d+) \\S+ \\S+  (\\S+):(\\d+) > (\\S+):(\\d+)  open: .*  close: .*  final: client \\S+, server \\S+  \\d+\\.\\d{3}s$");
    private static final Pattern TEXT_TOTALS = Pattern.compile("^(\\d+) connections?: .*");

    @ParameterizedTest
    @ValueSource(strings = {"zk-vlan-mpls-mixed", "zk-retransmit-fast-rst", "zk-miss-end-data"})
    void textHasOneLinePerConnectionAndTotals(String capture) {
        List<String> lines = analyze(capture, "text").outLines();
        Set<String> pairs = new HashSet<>();
        int connectionLines = 0;
        Integer total = null;
        for (String line : lines) {
            if (line.startsWith("#")) {
                Matcher m = TEXT_CONNECTION.matcher(line);
                assertTrue(m.matches(), "connection line: " + line);
                connectionLines++;
                assertEquals(connectionLines, Integer.parseInt(m.group(1)), "ids count from 1");
                pairs.add(pair(m.group(2), m.group(3), m.group(4), m.group(5)));
            } else if (line.startsWith("    ") || line.isEmpty()) {
                continue; // detail under a connection, or the blank line before the totals
            } else {
                Matcher m = TEXT_TOTALS.matcher(line);
                if (m.matches()) {
                    assertEquals(null, total, "one totals line");
                    total = Integer.parseInt(m.group(1));
                }
            }
        }
        assertEquals(tsharkPairs(capture), pairs);
        assertEquals(pairs.size(), connectionLines, "one line per connection");
        assertEquals(Integer.valueOf(connectionLines), total, "totals line counts the connections");
        int frames = lines.indexOf(lines.stream().filter(l -> l.matches("\\d+ frames, \\d+ TCP segments, .*"))
                .findFirst().orElseThrow(() -> new AssertionError("no frame totals")));
        List<String> after = lines.subList(frames + 1, lines.size());
        assertTrue(after.size() >= 2 && after.get(0).isEmpty() && after.get(1).startsWith("Findings"),
                "the findings follow the frame totals: " + after);
    }

    @ParameterizedTest
    @ValueSource(strings = {"zk-vlan-mpls-mixed", "zk-retransmit-fast-rst", "zk-miss-end-data"})
    void ladderHasOneDiagramPerConnection(String capture) {
        Cli.Result r = Cli.run("--format", "ladder", "--width", "100", "-q", Corpus.capture(capture + ".pcap").toString());
        assertEquals(0, r.code(), r::toString);
        List<String> lines = r.outLines();
        Pattern heading = Pattern.compile("^#(\\d+)  client (\\S+):(\\d+)  >  server (\\S+):(\\d+)   \\(.*\\)$");
        Set<String> pairs = new HashSet<>();
        int arrows = 0;
        for (String line : lines) {
            Matcher m = heading.matcher(line);
            if (m.matches()) {
                pairs.add(pair(m.group(2), m.group(3), m.group(4), m.group(5)));
            }
            if (line.contains("-->") || line.contains("<--")) {
                arrows++;
                assertTrue(line.length() <= 100, "fits --width 100: " + line);
            }
        }
        assertEquals(tsharkPairs(capture), pairs);
        Matcher last = Pattern.compile("^(\\d+) TCP segments in (\\d+) connections?$").matcher(lines.get(lines.size() - 1));
        assertTrue(last.matches(), lines.get(lines.size() - 1));
        assertEquals(Integer.parseInt(last.group(1)), arrows, "one arrow per segment");
        assertEquals(pairs.size(), Integer.parseInt(last.group(2)));
    }

    /** RFC 4180 fields: commas inside double quotes, "" for a quote. */
    static List<String> splitCsv(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    field.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == ',') {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(ch);
            }
        }
        assertFalse(quoted, "unterminated quote in " + line);
        fields.add(field.toString());
        return fields;
    }
}
