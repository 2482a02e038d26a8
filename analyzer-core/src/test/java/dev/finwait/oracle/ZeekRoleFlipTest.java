package dev.finwait.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.finwait.compat.LikelyServerPorts;
import dev.finwait.compat.ZeekConnTracker;
import dev.finwait.tcp.Endpoint;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Issue 17 item 4: Zeek's history letters in Zeek's order when the roles flip, on the reordered
 * handshake (zk-handshake-reorder: the SYN-ACK from port 80 captured before its SYN). Zeek flips in one
 * of two places, and the letters come out in that place's order:
 * <ul>
 * <li>at the first packet, when {@code WantConnection} takes the SYN-ACK's sender for the server
 *     (port 80 is a likely server port): {@code NewConn} calls {@code Connection::FlipRoles} before any
 *     letter is logged, so '^' comes first, then 'h' (the responder's SYN-ACK) and 'S';</li>
 * <li>on the SYN after its SYN-ACK (the SYN / SYN-ACK reversal in the TCP analyzer), when port 80 is
 *     not a likely server port: 'H' and 's' stay as they were logged, then '^'.</li>
 * </ul>
 * Zeek's baseline (core.connection_flipped) is the second: its script says
 * {@code redef likely_server_ports = {}}. With Zeek's defaults, as finwait runs, it is the first.
 */
class ZeekRoleFlipTest {
    private static final Endpoint CLIENT = Endpoint.of("141.142.228.5", 59856);

    @Test
    void withTheBaselinesLikelyServerPortsTheFlipFollowsTheLettersAsInZeeksBaseline() throws Exception {
        Path capture = capture();
        ExpectedAnswers.ZeekRow baseline = Corpus.expected(capture).zeek().get(0);
        assertEquals("Hs^ADadFf", baseline.history());
        ZeekConnTracker zeek = track(capture, Corpus.zeekLikelyServerPorts(capture));
        assertEquals(baseline.history(), zeek.summary().history());
        assertEquals(baseline.orig().orElseThrow(), zeek.originator().orElseThrow());
    }

    @Test
    void withZeeksDefaultLikelyServerPortsTheFlipComesFirst() throws Exception {
        ZeekConnTracker zeek = track(capture(), LikelyServerPorts.ZEEK_DEFAULT);
        assertEquals("^hSADadFf", zeek.summary().history());
        assertEquals(CLIENT, zeek.originator().orElseThrow());
    }

    private static Path capture() {
        return Corpus.captures().stream().filter(p -> Corpus.baseName(p).equals("zk-handshake-reorder")).findFirst()
                .orElseThrow();
    }

    private static ZeekConnTracker track(Path capture, Set<Integer> likelyServerPorts) throws Exception {
        List<Corpus.Captured> segments = Corpus.segments(capture, false);
        ZeekConnTracker zeek = new ZeekConnTracker(likelyServerPorts);
        for (Corpus.Captured c : segments) {
            zeek.observe(c.segment(), c.capturedPayload());
        }
        return zeek;
    }
}
