package dev.finwait.samples;

import dev.finwait.Fixtures;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.finwait.AnalysisResult;
import dev.finwait.Analyzer;
import dev.finwait.model.AnalyzerConfig;
import dev.finwait.capture.CaptureReaders;
import dev.finwait.event.AnalysisListener;
import dev.finwait.model.ConnectionReport;
import dev.finwait.model.Reset;
import dev.finwait.model.ResetCause;
import dev.finwait.model.Side;
import dev.finwait.model.TimeWaitWindow;
import dev.finwait.diagnosis.Diagnosis;
import dev.finwait.diagnosis.DiagnosisConfig;
import dev.finwait.report.format.JsonlWriter;
import dev.finwait.report.format.ReportWriter;
import dev.finwait.report.format.TextWriter;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The sample captures are real kernel traffic (sample-captures/make-captures.sh). Each one is checked
 * twice: against its golden analysis ({@code <story>.expected.jsonl} and {@code .expected.txt}, regenerated
 * with {@code -Dfinwait.updateGolden=true}), and against {@code <story>.truth.json}, what the applications
 * and the kernel itself reported while the capture was taken (ss states, nstat counters, read/write
 * results), which was never derived from the packets.
 */
class SampleCapturesTest {

    private static final Path SAMPLES = Fixtures.samples();
    private static final boolean UPDATE = Boolean.getBoolean("finwait.updateGolden");
    private static final ObjectMapper JSON = new ObjectMapper();

    static List<String> stories() throws IOException {
        return Fixtures.sampleCaptures().stream()
                .map(p -> p.getFileName().toString())
                .map(n -> n.substring(0, n.length() - ".pcap".length()))
                .toList();
    }

    @Test
    void everyStoryOfTheWriteUpHasACapture() throws IOException {
        Set<String> have = new TreeSet<>(stories());
        for (String story : List.of("close-normal", "return-from-main", "sigkill", "write-after-close",
                "unread-data-rst", "linger-zero", "half-close", "server-closes-first", "refused", "reuse-time-wait",
                "ipv6-close-normal", "ipv6-write-after-close", "busy", "small-buffers", "simultaneous-close", "fin-retransmit",
                "services", "challenge-ack", "vanished-peer", "syn-cookies", "rfc1337-off", "simultaneous-open", "fast-open", "rfc1337-on",
                "out-of-order-fin", "fin-data-crossing", "unread-lone-rst")) {
            assertTrue(have.contains(story), story + ".pcap missing from " + SAMPLES);
            assertTrue(Files.exists(SAMPLES.resolve(story + ".truth.json")), story + ".truth.json missing");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stories")
    void analysisMatchesGoldenFiles(String story) throws IOException {
        AnalysisResult result = analyze(story);
        golden(story + ".expected.jsonl", render(result, JsonlWriter::new));
        golden(story + ".expected.txt", render(result, TextWriter::new));
    }

    /** The analyzer's verdict, from packets alone, agrees with what the kernel and the applications saw. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("stories")
    void verdictAgreesWithTheKernel(String story) throws IOException {
        JsonNode truth = JSON.readTree(SAMPLES.resolve(story + ".truth.json").toFile());
        List<ConnectionReport> connections = analyze(story).connections();
        if (truth.has("services")) {
            // Hundreds of connections: the truth is per service, checked by ServicesStoryTest; here the
            // kernel's count of connections opened (its own and the refused ones) against the analyzer's.
            assertEquals(truth.get("kernel_counters").get("TcpActiveOpens").asLong(), connections.size(), story);
            return;
        }
        assertTrue(truth.get("verdict").size() > 0, story + ": truth has no verdict");
        List<String> problems = new ArrayList<>();
        for (JsonNode v : truth.get("verdict")) {
            int clientPort = v.get("client").get("port").asInt();
            int incarnation = v.has("incarnation") ? v.get("incarnation").asInt() : 1;
            List<ConnectionReport> same = connections.stream()
                    .filter(c -> c.client().port() == clientPort && c.server().port() == 10355)
                    .toList();
            if (same.size() < incarnation) {
                problems.add("client port " + clientPort + ": no connection #" + incarnation);
                continue;
            }
            compare(same.get(incarnation - 1), v, problems);
        }
        assertEquals(truth.get("verdict").size(), connections.size(), story + ": connection count");
        long injected = 0;
        for (JsonNode v : truth.get("verdict")) {
            injected += v.has("injected_rsts") ? v.get("injected_rsts").asLong() : 0;
            // RSTs a kernel sent but the story dropped before the capture point (vanished-peer).
            injected -= v.has("lost_rsts") ? v.get("lost_rsts").asLong() : 0;
        }
        long injectedSegments = 0;
        for (JsonNode v : truth.get("verdict")) {
            // Old segments replayed by the story (segment_replayer.py): sequence space sent again, which
            // the analyzer counts as retransmissions, but no kernel resent them.
            injectedSegments += v.has("injected_segments") ? v.get("injected_segments").asLong() : 0;
        }
        checkCounters(truth, injected, injectedSegments, connections, problems);
        checkTimeWaitTimers(truth.get("kernel"), connections, problems);
        // A story recorded while the analyzer still disagreed with the kernel lists its exact problems here;
        // when a fix makes one go away this fails too: drop the line and regenerate that story's golden files.
        assertEquals(KNOWN_DISCREPANCIES.getOrDefault(story, List.of()), problems, story);
    }

    /** Known disagreements with the kernel, each described in the story's README row. */
    private static final Map<String, List<String>> KNOWN_DISCREPANCIES = Map.of();

    /** Issue 17's probe and wire stories (README: "Issue 17's stories"). */
    @Test
    void everyWireStoryHasACapture() throws IOException {
        Set<String> have = new TreeSet<>(stories());
        for (String story : List.of("ooo-fin", "reordered-data", "data-fin-crossing", "duplicates", "keepalive", "keepalive-dead-peer", "zero-window", "fin-with-data", "vlan",
                "two-points-client", "two-points-server",
                "two-points-fin-client", "two-points-fin-server")) {
            assertTrue(have.contains(story), story + ".pcap missing from " + SAMPLES);
            assertTrue(Files.exists(SAMPLES.resolve(story + ".truth.json")), story + ".truth.json missing");
        }
    }

    private static void compare(ConnectionReport c, JsonNode v, List<String> problems) {
        String who = "#" + c.id() + " " + c.client() + ": ";
        JsonNode firstFin = v.get("first_fin");
        if (!firstFin.isNull()) {
            String ours = c.firstFin().map(SampleCapturesTest::name).orElse("none");
            check(problems, who + "first FIN", firstFin.asText(), ours);
        }
        check(problems, who + "half-close", v.get("half_close").asBoolean(),
                c.halfClose().map(h -> h.bytesAfter() > 0).orElse(false));
        // RSTs the kernel answered with a challenge ACK (RFC 5961 3.2) are listed apart in the truth.
        Set<String> truthResets = new TreeSet<>();
        v.get("resets").forEach(r -> truthResets.add(r.get("by").asText() + " in " + r.get("sender_state").asText()));
        Set<String> truthChallenged = new TreeSet<>();
        if (v.has("challenged_resets")) {
            v.get("challenged_resets").forEach(r -> truthChallenged.add(r.get("by").asText() + " in " + r.get("sender_state").asText()));
        }
        Set<String> ourResets = new TreeSet<>();
        Set<String> ourChallenged = new TreeSet<>();
        for (Reset r : c.resets()) {
            (r.cause() == ResetCause.CHALLENGED ? ourChallenged : ourResets).add(name(r.by()) + " in " + r.senderState());
        }
        check(problems, who + "resets", truthResets, ourResets);
        check(problems, who + "challenged resets", truthChallenged, ourChallenged);
        Set<String> truthTw = new TreeSet<>();
        v.get("time_wait").forEach(s -> truthTw.add(s.asText()));
        Set<String> ourTw = c.timeWait().stream().map(TimeWaitWindow::side).map(SampleCapturesTest::name)
                .collect(Collectors.toCollection(TreeSet::new));
        check(problems, who + "TIME_WAIT sides", truthTw, ourTw);
        if (v.has("while_fin_out_of_order")) {
            // ss saw the server still ESTABLISHED while the FIN waited in its out-of-order queue (ooo-fin).
            JsonNode held = v.get("while_fin_out_of_order");
            check(problems, who + "server state while its FIN waited out of order", held.get("server").asText(),
                    stateAt(c.serverSide().transitions(), nanos(held.get("at"))));
        }
        JsonNode fin = v.get("final_states");
        check(problems, who + "client final state", fin.get("client").asText(), c.clientSide().finalState().toString());
        check(problems, who + "server final state", fin.get("server").asText(), c.serverSide().finalState().toString());
        // Optional evidence, in the stories that record it.
        if (v.has("handshake")) {
            check(problems, who + "handshake", v.get("handshake").asText(), c.handshake().jsonName());
        }
        if (v.has("time_wait_ended_by")) {
            v.get("time_wait_ended_by").fields().forEachRemaining(e -> {
                String ours = c.timeWait().stream().filter(w -> name(w.side()).equals(e.getKey()))
                        .map(w -> w.endedBy().jsonName()).findFirst().orElse("none");
                check(problems, who + e.getKey() + "'s TIME_WAIT ended by", e.getValue().asText(), ours);
            });
        }
        if (v.has("states_at")) {
            // ss read a side's state at some moment between from and to: the analyzer must show that
            // state at some moment of that interval.
            for (JsonNode r : v.get("states_at")) {
                Side side = r.get("side").asText().equals("client") ? Side.CLIENT : Side.SERVER;
                long from = nanos(r.get("from")), to = nanos(r.get("to"));
                Set<String> ours = statesDuring(c.side(side), from, to);
                if (!ours.contains(r.get("state").asText())) {
                    problems.add(who + r.get("side").asText() + " state " + r.get("moment").asText() + ": kernel "
                            + r.get("state").asText() + ", analyzer " + ours);
                }
            }
        }
    }

    /**
     * A TIME-WAIT socket in the kernel's ss snapshots shows its timer (whole seconds left, rounded down):
     * the analyzer's window for that side must end that far after the snapshot (ss ran up to 150 ms before
     * the snapshot's time was taken). Checked for snapshots after the connection's last packet, since a
     * later segment into TIME_WAIT restarts the timer (the window's until is its last value).
     */
    private static void checkTimeWaitTimers(JsonNode snapshots, List<ConnectionReport> connections, List<String> problems) {
        for (JsonNode snap : snapshots) {
            long at = nanos(snap.get("at"));
            for (JsonNode socket : snap.get("sockets")) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("timewait,(\\d+)sec").matcher(socket.get("timer").asText());
                if (!socket.get("state").asText().equals("TIME-WAIT") || !m.lookingAt()) {
                    continue;
                }
                long left = Long.parseLong(m.group(1));
                int local = port(socket.get("local").asText());
                int peer = port(socket.get("peer").asText());
                TimeWaitWindow window = null;
                boolean later = false;
                for (ConnectionReport c : connections) {
                    Side side = c.client().port() == local && c.server().port() == peer ? Side.CLIENT
                            : c.server().port() == local && c.client().port() == peer ? Side.SERVER : null;
                    later |= side != null && c.lastNanos() > at;
                    for (TimeWaitWindow w : c.timeWait()) {
                        if (w.side() == side && w.fromNanos() <= at + 10_000_000L
                                && (window == null || w.fromNanos() > window.fromNanos())) {
                            window = w;
                        }
                    }
                }
                if (later) {
                    continue;
                }
                String what = snap.get("moment").asText() + ": " + socket.get("local").asText() + " TIME-WAIT, ss timer " + left + " s";
                if (window == null) {
                    problems.add(what + ", analyzer has no TIME_WAIT window");
                    continue;
                }
                double analyzer = (window.untilNanos() - at) / 1e9;
                if (analyzer < left - 0.15 || analyzer >= left + 1) {
                    problems.add(what + ", analyzer " + String.format(Locale.ROOT, "%.3f", analyzer) + " s left");
                }
            }
        }
    }

    private static int port(String address) {
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }

    private static long nanos(JsonNode seconds) {
        return new java.math.BigDecimal(seconds.asText()).movePointRight(9).longValue();
    }

    /** The states a side was in at some moment of [from, to], by its transitions. */
    private static Set<String> statesDuring(dev.finwait.model.SideReport side, long from, long to) {
        Set<String> states = new TreeSet<>();
        String current = "UNKNOWN";
        for (dev.finwait.model.Transition t : side.transitions()) {
            if (t.atNanos() > to) {
                break;
            }
            if (t.atNanos() > from) {
                states.add(current);
            }
            current = t.state().toString();
        }
        states.add(current);
        return states;
    }

    /**
     * nstat counters are machine-wide; make-captures.sh runs on a quiet machine, so the RSTs the kernel
     * sent during a story are the story's own. (TcpExtTW is recorded too, but it counts TIME_WAIT sockets
     * that expired, mostly earlier stories' ones, not entries, so it is not compared.)
     */
    private static void checkCounters(JsonNode truth, long injectedRsts, long injectedSegments,
                                      List<ConnectionReport> connections, List<String> problems) {
        JsonNode counters = truth.get("kernel_counters");
        if (counters == null) {
            return;
        }
        // RSTs forged by the story's raw socket are on the wire but no kernel sent them.
        long rsts = connections.stream()
                .mapToLong(c -> c.clientSide().counts().rst() + c.serverSide().counts().rst()).sum() - injectedRsts;
        check(problems, "RST segments vs kernel TcpOutRsts", counters.get("TcpOutRsts").asLong(), rsts);
        if (counters.has("TcpExtTCPChallengeACK")) {
            long challenged = connections.stream().flatMap(c -> c.resets().stream())
                    .filter(r -> r.cause() == ResetCause.CHALLENGED).count();
            // A SYN arriving in a synchronized state draws a challenge ACK too (RFC 5961 4.2; duplicates story).
            long forSyn = 0;
            for (JsonNode v : truth.get("verdict")) {
                forSyn += v.path("challenge_acks_for_syn").asLong(0);
            }
            check(problems, "challenged RSTs vs kernel TcpExtTCPChallengeACK", counters.get("TcpExtTCPChallengeACK").asLong() - forSyn,
                    challenged);
        }
        if (truth.has("kernel_counters_by_host") && truth.has("capture_side")) {
            checkBySide(truth, connections, problems);
            return;
        }
        long retransmissions = connections.stream()
                .mapToLong(c -> c.clientSide().counts().retransmissions() + c.serverSide().counts().retransmissions()).sum()
                - injectedSegments;
        check(problems, "retransmissions vs kernel TcpRetransSegs", counters.get("TcpRetransSegs").asLong(), retransmissions);
        long duplicates = connections.stream()
                .mapToLong(c -> c.clientSide().counts().duplicates() + c.serverSide().counts().duplicates()).sum();
        check(problems, "duplicates (no wire duplicated anything)", 0L, duplicates);
    }

    /**
     * A wire story: the forwarder sits between the two hosts, tcpdump on one side of it. The capture next to
     * a host sees every segment that host sent, so that side's retransmissions are its kernel's
     * TcpRetransSegs. The far host's segments pass the wire first: each one the wire dropped was resent
     * and is seen once (no retransmission there), each one it duplicated is seen twice (a duplicate).
     */
    private static void checkBySide(JsonNode truth, List<ConnectionReport> connections, List<String> problems) {
        String near = truth.get("capture_side").asText();
        for (Side side : Side.values()) {
            String host = name(side);
            long dropped = 0;
            long duplicated = 0;
            for (JsonNode f : truth.path("forwarder").path("faults")) {
                if (!host.equals(f.path("from").asText()) || host.equals(near)) {
                    continue;
                }
                dropped += f.get("event").asText().equals("drop") ? 1 : 0;
                duplicated += f.get("event").asText().equals("dup") ? 1 : 0;
            }
            long kernel = truth.get("kernel_counters_by_host").get(host).get("TcpRetransSegs").asLong();
            long retransmissions = connections.stream().mapToLong(c -> c.side(side).counts().retransmissions()).sum();
            long duplicates = connections.stream().mapToLong(c -> c.side(side).counts().duplicates()).sum();
            check(problems, host + " retransmissions vs its kernel's TcpRetransSegs less the wire's drops (captured on the "
                    + near + "'s side)", kernel - dropped, retransmissions);
            check(problems, host + " duplicates vs the wire's duplicated frames", duplicated, duplicates);
        }
    }

    /** The side's state at an instant: the last transition at or before it. */
    private static String stateAt(List<dev.finwait.model.Transition> transitions, long atNanos) {
        String state = "none";
        for (dev.finwait.model.Transition t : transitions) {
            if (t.atNanos() <= atNanos) {
                state = t.state().toString();
            }
        }
        return state;
    }

    private static <T> void check(List<String> problems, String what, T kernel, T ours) {
        if (!kernel.equals(ours)) {
            problems.add(what + ": kernel " + kernel + ", analyzer " + ours);
        }
    }

    private static String name(Side side) {
        return side.name().toLowerCase(Locale.ROOT);
    }

    private static AnalysisResult analyze(String story) throws IOException {
        return Analyzer.analyze(CaptureReaders.open(SAMPLES.resolve(story + ".pcap")), AnalyzerConfig.defaults(),
                AnalysisListener.NONE);
    }

    private static String render(AnalysisResult result, Function<StringWriter, ReportWriter> format) {
        StringWriter out = new StringWriter();
        ReportWriter w = format.apply(out);
        Diagnosis diagnosis = new Diagnosis(DiagnosisConfig.defaults());
        for (ConnectionReport c : result.connections()) {
            w.connection(c);
            diagnosis.add(c);
        }
        w.diagnosis(diagnosis.finish());
        w.end(result.summary());
        return out.toString();
    }

    private static void golden(String name, String actual) throws IOException {
        Path file = SAMPLES.resolve(name);
        if (UPDATE) {
            Files.writeString(file, actual, StandardCharsets.UTF_8);
            return;
        }
        assertTrue(Files.exists(file), file + " missing: run with -Dfinwait.updateGolden=true");
        assertEquals(Files.readString(file, StandardCharsets.UTF_8), actual,
                () -> name + " differs (rerun with -Dfinwait.updateGolden=true and review the diff)");
        assertFalse(actual.isEmpty(), name + " is empty");
    }
}
