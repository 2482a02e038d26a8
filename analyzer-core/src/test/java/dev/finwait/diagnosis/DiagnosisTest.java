package dev.finwait.diagnosis;

import static dev.finwait.Script.CLIENT;
import static dev.finwait.Script.SERVER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.finwait.model.AnalyzerConfig;
import dev.finwait.Script;
import dev.finwait.model.ConnectionReport;
import dev.finwait.model.Side;
import dev.finwait.tcp.Endpoint;
import dev.finwait.tcp.Segment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Hand-built conversations, each with one known behaviour per service, and what the diagnosis says of them. */
class DiagnosisTest {

    /** Runs the scripts as one capture (segments merged by time) and diagnoses every report. */
    private static DiagnosisResult diagnose(DiagnosisConfig config, Script... scripts) {
        Diagnosis d = new Diagnosis(config);
        for (ConnectionReport r : Script.run(AnalyzerConfig.defaults(), Script.merged(scripts)).result().connections()) {
            d.add(r);
        }
        return d.finish();
    }

    private static DiagnosisResult diagnose(Script... scripts) {
        return diagnose(DiagnosisConfig.defaults(), scripts);
    }

    private static ServiceRecord service(DiagnosisResult d, String server) {
        return d.services().stream().filter(s -> s.server().equals(endpoint(server))).findFirst().orElseThrow();
    }

    private static Endpoint endpoint(String s) {
        int colon = s.lastIndexOf(':');
        return Endpoint.of(s.substring(0, colon), Integer.parseInt(s.substring(colon + 1)));
    }

    private static Map<String, Long> kinds(ServiceRecord s) {
        return s.findings().stream().collect(Collectors.toMap(
                f -> f.kind().jsonName() + (f.side() == null ? "" : "/" + f.side().jsonName()), Finding::count));
    }

    private static Script graceful(String client, String server) {
        return Script.between(client, server).syn().synAck().ack(CLIENT).data(CLIENT, 100).ack(SERVER)
                .fin(CLIENT).ack(SERVER).fin(SERVER).ack(CLIENT);
    }

    @Test
    void cleanServiceHasNoFinding() {
        DiagnosisResult d = diagnose(graceful("10.0.0.1:40000", "10.0.0.2:80"),
                graceful("10.0.0.1:40001", "10.0.0.2:80"), graceful("10.0.0.3:40000", "10.0.0.2:80"));
        ServiceRecord s = service(d, "10.0.0.2:80");
        assertEquals(Map.of(), kinds(s));
        assertEquals(3, s.connections());
        assertEquals(2, s.clients());
        assertEquals(new ServiceRecord.FirstFins(3, 0, 0), s.firstFin());
        assertEquals(3, s.timeWait().client());
        assertEquals(0, s.timeWait().server());
        assertEquals(3L, s.timeWait().peakClient(), "all three windows are open at the end of the capture");
        assertEquals(0L, s.timeWait().peakServer());
        assertEquals(List.of(), d.findings());
        assertEquals(3, d.hosts().size());
    }

    @Test
    void serverThatNeverClosesAfterEofIsStuckInCloseWait() {
        Script stuck = Script.between("10.0.0.1:40000", "10.0.0.2:8080").syn().synAck().ack(CLIENT)
                .data(CLIENT, 100).fin(CLIENT).ack(SERVER);
        // Another service's traffic 30 s later: the capture went on, the server never closed.
        Script later = graceful("10.0.0.1:40001", "10.0.0.2:80").after(Duration.ofSeconds(30)).ack(CLIENT);
        Script shifted = Script.between("10.0.0.1:40002", "10.0.0.2:80").after(Duration.ofSeconds(30))
                .syn().synAck().ack(CLIENT).fin(CLIENT).ack(SERVER).fin(SERVER).ack(CLIENT);
        DiagnosisResult d = diagnose(stuck, later, shifted);
        ServiceRecord s = service(d, "10.0.0.2:8080");
        assertEquals(Map.of("close_wait_stuck/server", 1L), kinds(s));
        assertEquals(1, s.closeWait().openAtEnd());
        assertTrue(s.closeWait().maxSeconds() > 29, "stayed until the end: " + s.closeWait().maxSeconds());
        assertEquals(Severity.PROBLEM, s.findings().get(0).severity());
        assertEquals(List.of(1L), s.findings().get(0).examples());
        assertEquals(Map.of(), kinds(service(d, "10.0.0.2:80")), "the other service is clean");
    }

    @Test
    void aConnectionTheAnalyzerExpiredStayedAsItWasForTheIdleTimeout() {
        Script stuck = Script.between("10.0.0.1:40000", "10.0.0.2:8080").syn().synAck().ack(CLIENT)
                .fin(CLIENT).ack(SERVER);
        Script later = Script.between("10.0.0.1:40002", "10.0.0.2:80").after(Duration.ofSeconds(30))
                .syn().synAck().ack(CLIENT).fin(CLIENT).ack(SERVER).fin(SERVER).ack(CLIENT);
        List<Segment> all = Script.merged(stuck, later);
        Duration idle = Duration.ofSeconds(10);
        Diagnosis d = new Diagnosis(DiagnosisConfig.defaults().withIdleTimeout(idle));
        Script.run(AnalyzerConfig.defaults().withIdleTimeout(idle), all).result().connections().forEach(d::add);
        ServiceRecord s = service(d.finish(), "10.0.0.2:8080");
        assertEquals(Map.of("close_wait_stuck/server", 1L), kinds(s));
        // Expired after 10 s of silence: its CLOSE_WAIT ends there, not at the end of the capture (+30 s).
        assertEquals(10.0, s.closeWait().maxSeconds(), 0.01);
    }

    @Test
    void serverThatClosesSoonAfterEofIsNotStuck() {
        Script quick = Script.between("10.0.0.1:40000", "10.0.0.2:8080").syn().synAck().ack(CLIENT)
                .fin(CLIENT).ack(SERVER).after(Duration.ofSeconds(2)).fin(SERVER).ack(CLIENT);
        Script later = Script.between("10.0.0.1:40002", "10.0.0.2:80").after(Duration.ofSeconds(30))
                .syn().synAck().ack(CLIENT).fin(CLIENT).ack(SERVER).fin(SERVER).ack(CLIENT);
        ServiceRecord s = service(diagnose(quick, later), "10.0.0.2:8080");
        assertEquals(Map.of(), kinds(s));
        assertEquals(2.0, s.closeWait().maxSeconds(), 0.01);
        // A lower threshold says otherwise.
        ServiceRecord strict = service(diagnose(DiagnosisConfig.defaults().withCloseWaitThreshold(Duration.ofSeconds(1)),
                quick, later), "10.0.0.2:8080");
        assertEquals(Map.of("close_wait_stuck/server", 1L), kinds(strict));
    }

    @Test
    void resetsAreNamedByTheirCause() {
        Script writeAfterClose = Script.between("10.0.0.1:40000", "10.0.0.2:81").syn().synAck().ack(CLIENT)
                .data(CLIENT, 100).fin(CLIENT).ack(SERVER).data(SERVER, 100).rst(CLIENT);
        Script linger0 = Script.between("10.0.0.1:40000", "10.0.0.2:82").syn().synAck().ack(CLIENT)
                .data(CLIENT, 100).ack(SERVER).rst(SERVER);
        Script unread = Script.between("10.0.0.1:40000", "10.0.0.2:83").syn().synAck().ack(CLIENT)
                .data(CLIENT, 500).fin(SERVER).rst(SERVER);
        Script refused = Script.between("10.0.0.1:40000", "10.0.0.2:84").syn().rst(SERVER);
        Script unanswered = Script.between("10.0.0.1:40000", "10.0.0.2:85").syn().after(Duration.ofSeconds(1))
                .retransmitLast().after(Duration.ofSeconds(2)).retransmitLast();
        Script lone = Script.between("10.0.0.1:40001", "10.0.0.2:85").syn();
        DiagnosisResult d = diagnose(writeAfterClose, linger0, unread, refused, unanswered, lone);
        assertEquals(Map.of("write_after_peer_close/server", 1L), kinds(service(d, "10.0.0.2:81")));
        assertEquals(Map.of("abortive_close/server", 1L), kinds(service(d, "10.0.0.2:82")));
        assertEquals(Map.of("close_with_unread_data/server", 1L), kinds(service(d, "10.0.0.2:83")));
        assertEquals(Map.of("refused", 1L), kinds(service(d, "10.0.0.2:84")));
        // One SYN alone, never retransmitted, is not enough to say it went unanswered.
        assertEquals(Map.of("unanswered_syn", 1L), kinds(service(d, "10.0.0.2:85")));
        assertEquals(2, service(d, "10.0.0.2:85").connections());
        // Worst first.
        assertEquals(Severity.PROBLEM, d.findings().get(0).severity());
        assertEquals(Severity.WARNING, d.findings().get(d.findings().size() - 1).severity());
    }

    @Test
    void finThenRstWithNothingReceivedIsAnAbortNotUnreadData() {
        Script nothingToRead = Script.between("10.0.0.1:40000", "10.0.0.2:83").syn().synAck().ack(CLIENT)
                .fin(SERVER).rst(SERVER);
        assertEquals(Map.of("abortive_close/server", 1L), kinds(service(diagnose(nothingToRead), "10.0.0.2:83")));
    }

    @Test
    void aLoneRstIsUnreadInputOnlyWhereTheWindowHeldIt() {
        // The receive buffer full (window 0) and never reopened before the RST: input the application had not read.
        Script zeroWindow = Script.between("10.0.0.1:40000", "10.0.0.2:91").syn().synAck().ack(CLIENT)
                .data(CLIENT, 60000).ackWindow(SERVER, 0).rst(SERVER);
        // Shrunk to half or less: at least that much was never read (reading it would have reopened the window).
        Script halfWindow = Script.between("10.0.0.1:40000", "10.0.0.2:92").syn().synAck().ack(CLIENT)
                .data(CLIENT, 40000).ackWindow(SERVER, 25535).rst(SERVER);
        // Shrunk by a request the application then read (no window update for so little): a plain abort.
        Script requestRead = Script.between("10.0.0.1:40000", "10.0.0.2:93").syn().synAck().ack(CLIENT)
                .data(CLIENT, 100).ackWindow(SERVER, 65435).rst(SERVER);
        // Shut, then reopened by a read before the RST: nothing left unread that the packets show.
        Script reopened = Script.between("10.0.0.1:40000", "10.0.0.2:94").syn().synAck().ack(CLIENT)
                .data(CLIENT, 60000).ackWindow(SERVER, 0).ackWindow(SERVER, 65535).rst(SERVER);
        // A window of 0 with nothing ever received is no unread input.
        Script noInput = Script.between("10.0.0.1:40000", "10.0.0.2:95").syn().synAck().ack(CLIENT)
                .ackWindow(SERVER, 0).rst(SERVER);
        DiagnosisResult d = diagnose(zeroWindow, halfWindow, requestRead, reopened, noInput);
        assertEquals(Map.of("close_with_unread_data/server", 1L), kinds(service(d, "10.0.0.2:91")));
        assertEquals(Map.of("close_with_unread_data/server", 1L), kinds(service(d, "10.0.0.2:92")));
        assertEquals(Map.of("abortive_close/server", 1L), kinds(service(d, "10.0.0.2:93")));
        assertEquals(Map.of("abortive_close/server", 1L), kinds(service(d, "10.0.0.2:94")));
        assertEquals(Map.of("abortive_close/server", 1L), kinds(service(d, "10.0.0.2:95")));
        Finding lone = service(d, "10.0.0.2:91").findings().get(0);
        assertTrue(lone.explanation().contains("RST instead of FIN; its receive window had shrunk to half or less"),
                lone.explanation());
    }

    @Test
    void theUnreadInputSentenceSaysHowThePacketsShowedIt() {
        Script afterFin = Script.between("10.0.0.1:40000", "10.0.0.2:83").syn().synAck().ack(CLIENT)
                .data(CLIENT, 500).fin(SERVER).rst(SERVER);
        Script lone = Script.between("10.0.0.1:40001", "10.0.0.2:83").syn().synAck().ack(CLIENT)
                .data(CLIENT, 60000).ackWindow(SERVER, 0).rst(SERVER);
        String finOnly = service(diagnose(afterFin), "10.0.0.2:83").findings().get(0).explanation();
        assertTrue(finOnly.contains("sent RST after its FIN (RFC 2525 2.17)"), finOnly);
        Finding both = service(diagnose(afterFin, lone), "10.0.0.2:83").findings().get(0);
        assertEquals(2, both.count());
        assertTrue(both.explanation().contains("RST: after its FIN, or instead of FIN where its receive window had shrunk"),
                both.explanation());
    }

    @Test
    void pastTheCapOnRecordsServicesAndHostsAreCountedNotKept() {
        // A port scan: one client, refused on five ports of one server; room for two records of each kind.
        List<Script> scan = new ArrayList<>();
        for (int port = 1; port <= 5; port++) {
            scan.add(Script.between("10.0.0.1:40000", "10.0.0.2:" + port).syn().rst(SERVER));
        }
        Script other = graceful("10.0.0.3:40001", "10.0.0.4:80"); // two more addresses: past the cap of hosts
        List<Script> all = new ArrayList<>(scan);
        all.add(other);
        DiagnosisResult d = diagnose(DiagnosisConfig.defaults().withMaxRecords(2), all.toArray(Script[]::new));
        assertEquals(2, d.services().size(), "the first two services seen");
        assertEquals(List.of(endpoint("10.0.0.2:1"), endpoint("10.0.0.2:2")),
                d.services().stream().map(ServiceRecord::server).sorted().toList());
        assertEquals(4, d.connectionsWithoutService(), "ports 3, 4, 5 and the graceful one");
        assertEquals(2, d.hosts().size());
        assertEquals(2, d.endsWithoutHost(), "both ends of the graceful connection");
        assertTrue(d.capped());
        assertEquals(2, d.findings().stream().filter(f -> f.kind() == FindingKind.REFUSED).mapToLong(Finding::count).sum(),
                "only the recorded services' findings");
        DiagnosisResult roomy = diagnose(all.toArray(Script[]::new));
        assertEquals(6, roomy.services().size());
        assertEquals(0, roomy.connectionsWithoutService());
        assertEquals(false, roomy.capped());
    }

    @Test
    void aCloseWaitOnlyInferredIsNeverJudged() {
        // One-sided capture: only the server's packets; the client's CLOSE_WAIT is inferred from the server's FIN.
        List<Segment> oneSided = Script.between("10.0.0.1:40000", "10.0.0.2:1433").syn().synAck().ack(CLIENT)
                .data(SERVER, 10).fin(SERVER).segments().stream()
                .filter(x -> x.src().port() == 1433).toList();
        Script later = Script.between("10.0.0.1:40002", "10.0.0.2:80").after(Duration.ofSeconds(30))
                .syn().synAck().ack(CLIENT).fin(CLIENT).ack(SERVER).fin(SERVER).ack(CLIENT);
        List<Segment> all = new ArrayList<>(oneSided);
        all.addAll(later.segments());
        all.sort(Comparator.comparingLong(Segment::timeNanos));
        Diagnosis d = new Diagnosis(DiagnosisConfig.defaults());
        Script.run(AnalyzerConfig.defaults(), all).result().connections().forEach(d::add);
        DiagnosisResult result = d.finish();
        assertTrue(result.findings().stream().noneMatch(f -> f.kind() == FindingKind.CLOSE_WAIT_STUCK),
                result.findings().toString());
    }

    @Test
    void serverClosingFirstHoldsTimeWait() {
        Script a = Script.between("10.0.0.1:40000", "10.0.0.2:80").syn().synAck().ack(CLIENT).data(SERVER, 10)
                .fin(SERVER).ack(CLIENT).fin(CLIENT).ack(SERVER);
        ServiceRecord s = service(diagnose(a), "10.0.0.2:80");
        assertEquals(Map.of("time_wait_on_server/server", 1L), kinds(s));
        assertEquals(Severity.INFO, s.findings().get(0).severity());
        assertEquals(1L, s.timeWait().peakServer());
    }

    @Test
    void aClientHoldingMostOfItsPortsInTimeWaitIsUnderPressure() {
        List<Script> scripts = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            scripts.add(graceful("10.0.0.1:" + (40000 + i), "10.0.0.2:80").after(Duration.ofMillis(10L * i)));
        }
        DiagnosisConfig tenPorts = DiagnosisConfig.defaults().withEphemeralRange(40000, 40009);
        DiagnosisResult d = diagnose(tenPorts, scripts.toArray(Script[]::new));
        Finding f = d.findings().stream().filter(x -> x.kind() == FindingKind.EPHEMERAL_PORT_PRESSURE).findFirst()
                .orElseThrow();
        assertEquals(8, f.count());
        assertEquals(10, f.of());
        assertEquals(Severity.WARNING, f.severity());
        assertEquals(endpoint("10.0.0.2:80"), f.service());
        HostRecord client = d.hosts().stream().filter(h -> h.ip().toString().equals("10.0.0.1")).findFirst().orElseThrow();
        assertEquals(List.of(f), client.findings());
        assertEquals(HostRecord.Role.CLIENT, client.role());
        assertEquals(8L, client.peakTimeWait());
        // With the default range (28,232 ports) eight are nothing.
        assertTrue(diagnose(scripts.toArray(Script[]::new)).findings().isEmpty());
    }

    @Test
    void seriesShareOneStepAndCountThePhases() {
        Script stuck = Script.between("10.0.0.1:40000", "10.0.0.2:8080").syn().synAck().ack(CLIENT)
                .fin(CLIENT).ack(SERVER);
        Script later = Script.between("10.0.0.1:40002", "10.0.0.2:80").after(Duration.ofSeconds(10))
                .syn().synAck().ack(CLIENT).fin(CLIENT).ack(SERVER).fin(SERVER).ack(CLIENT);
        DiagnosisResult d = diagnose(stuck, later);
        long step = d.series().get(0).stepNanos();
        for (Series s : d.series()) {
            assertEquals(step, s.stepNanos());
            assertTrue(s.values(SeriesState.ESTABLISHED).length <= 256);
            assertTrue(s.values(SeriesState.ESTABLISHED).length >= 20, "about 200 points");
        }
        Series stuckSeries = d.series().stream().filter(s -> endpoint("10.0.0.2:8080").equals(s.service())).findFirst()
                .orElseThrow();
        double[] cw = stuckSeries.values(SeriesState.CLOSE_WAIT);
        assertEquals(1.0, cw[cw.length / 2], 1e-9, "one socket in CLOSE_WAIT through the capture");
        assertNotNull(d.hosts().get(0).peakCloseWait());
    }

    @Test
    void reuseInsideTimeWaitIsNamed() {
        Script first = Script.between("10.0.0.1:40000", "10.0.0.2:80").syn().synAck().ack(CLIENT)
                .fin(SERVER).ack(CLIENT).fin(CLIENT).ack(SERVER);
        Script second = first.reconnect(900_000, 700_000).syn().synAck().ack(CLIENT).fin(CLIENT).ack(SERVER)
                .fin(SERVER).ack(CLIENT);
        ServiceRecord s = service(diagnose(second), "10.0.0.2:80");
        assertEquals(1L, kinds(s).get("reuse_in_time_wait/server"));
        assertEquals(Side.SERVER, s.findings().stream().filter(f -> f.kind() == FindingKind.REUSE_IN_TIME_WAIT)
                .findFirst().orElseThrow().side());
    }
}
