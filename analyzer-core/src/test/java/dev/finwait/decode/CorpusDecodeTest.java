package dev.finwait.decode;

import dev.finwait.Fixtures;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.finwait.capture.CaptureReaders;
import dev.finwait.capture.Frame;
import dev.finwait.capture.FrameSource;
import dev.finwait.tcp.Endpoint;
import dev.finwait.tcp.Segment;
import dev.finwait.tcp.Segment.Checksum;
import dev.finwait.tcp.TcpFlags;
import java.util.ArrayList;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The oracle test: for every corpus capture, we decode as many TCP segments as tshark saw
 * (the sum of pkts_a + pkts_b over the capture's {@code tshark} rows in expected/NAME.tsv).
 * Deliberate differences that the corpus does not exercise: tshark also counts TCP headers quoted in
 * ICMP errors and reassembled IP fragments; we skip both (see DecoderTcpTest).
 */
class CorpusDecodeTest {

    static Path corpus() {
        return Fixtures.corpus();
    }

    static List<Path> captures() throws IOException {
        return Fixtures.corpusCaptures();
    }

    /** tshark's count of TCP packets: pkts_a (column 7) + pkts_b (column 8) of every tshark row. */
    static long tsharkSegments(Path capture) throws IOException {
        String name = capture.getFileName().toString();
        String base = name.substring(0, name.lastIndexOf('.'));
        long total = 0;
        for (String line : Files.readAllLines(corpus().resolve("expected").resolve(base + ".tsv"))) {
            String[] cells = line.split("\t");
            if (cells[0].equals("tshark")) {
                total += Long.parseLong(cells[6]) + Long.parseLong(cells[7]);
            }
        }
        return total;
    }

    @TestFactory
    Stream<DynamicTest> decodesAsManyTcpSegmentsAsTshark() throws IOException {
        List<Path> all = captures();
        assertTrue(all.size() >= 60, "corpus not found at " + corpus());
        return all.stream().map(capture -> DynamicTest.dynamicTest(capture.getFileName().toString(), () -> {
            long decoded = 0;
            Decoder decoder = new Decoder(true);
            try (FrameSource source = CaptureReaders.open(capture)) {
                for (Frame f = source.next(); f != null; f = source.next()) {
                    if (decoder.decode(f) instanceof DecodeResult.Decoded) {
                        decoded++;
                    }
                }
            }
            assertEquals(tsharkSegments(capture), decoded);
        }));
    }

    static List<Segment> segments(String capture) throws IOException {
        List<Segment> out = new ArrayList<>();
        Decoder decoder = new Decoder(true);
        try (FrameSource source = CaptureReaders.open(corpus().resolve("captures").resolve(capture))) {
            for (Frame f = source.next(); f != null; f = source.next()) {
                if (decoder.decode(f) instanceof DecodeResult.Decoded d) {
                    out.add(d.segment());
                }
            }
        }
        return out;
    }

    /** Q-in-Q handshake; values read off the hex dump (tshark's tcp.seq_raw / ack_raw agree). */
    @Test
    void spotCheckQinQHandshake() throws IOException {
        List<Segment> s = segments("zk-http-qinq0.pcap");
        Endpoint client = Endpoint.of("141.142.228.5", 59856);
        Endpoint server = Endpoint.of("192.150.187.43", 80);
        assertEquals(List.of(client, server, server, client, client, server),
                List.of(s.get(0).src(), s.get(0).dst(), s.get(1).src(), s.get(1).dst(), s.get(2).src(), s.get(2).dst()));
        assertEquals(TcpFlags.SYN, s.get(0).flags());
        assertEquals((int) 4263588410L, s.get(0).seq());
        assertEquals(1460, s.get(0).options().mss());
        assertEquals(4, s.get(0).options().windowScale());
        assertEquals(374005024L, s.get(0).options().tsVal());
        assertEquals(TcpFlags.SYN | TcpFlags.ACK, s.get(1).flags());
        assertEquals((int) 2779762238L, s.get(1).seq());
        assertEquals((int) 4263588411L, s.get(1).ack());
        assertEquals(14480, s.get(1).window());
        assertEquals(TcpFlags.ACK, s.get(2).flags());
        assertEquals((int) 2779762239L, s.get(2).ack());
        assertEquals(8235, s.get(2).window());
        assertTrue(s.stream().allMatch(x -> x.checksum() == Checksum.GOOD));
    }

    @Test
    void spotCheckIpv6Handshake() throws IOException {
        List<Segment> s = segments("zk-ftp-ipv6.pcap");
        assertEquals(Endpoint.of("2001:470:1f11:81f:c999:d94:aa7c:2e3e", 49185), s.get(0).src());
        assertEquals(Endpoint.of("2001:470:4867:99::21", 21), s.get(0).dst());
        assertEquals(646610527, s.get(0).seq());
        assertEquals(1440, s.get(0).options().mss());
        assertEquals(108197924, s.get(1).seq());
        assertEquals(646610528, s.get(1).ack());
        assertEquals(6, s.get(1).options().windowScale());
        assertTrue(s.stream().allMatch(x -> x.checksum() == Checksum.GOOD));
    }

    @Test
    void badChecksumInTheCorpusIsFound() throws IOException {
        List<Segment> s = segments("zk-syn-bad-checksum.pcap");
        assertEquals(1, s.size());
        assertEquals(Checksum.BAD, s.get(0).checksum());
    }

    /**
     * Segments with a bad TCP checksum per capture (every other capture has none), as counted by
     * {@code tshark -o tcp.check_checksum:TRUE -Y "tcp.checksum.status==0"} (TShark 4.0.17). Most
     * are checksum offload in captures taken on the sending host.
     */
    private static final Map<String, Long> BAD_CHECKSUMS = Map.ofEntries(
            Map.entry("sv-fin-then-rst.pcap", 4L),
            Map.entry("sv-last-ack.pcap", 1L),
            Map.entry("td-null-rst-diag-payload.pcap", 1L),
            Map.entry("td-print-flags.pcap", 2L),
            Map.entry("td-sll-mptcp-v1.pcap", 20L),
            Map.entry("td-sll-resp-inline.pcap", 14L),
            Map.entry("zk-conn-size.pcap", 7L),
            Map.entry("zk-http-get-to-ssh.pcap", 9L),
            Map.entry("zk-nflog-http.pcap", 7L),
            Map.entry("zk-null-irc-rst.pcap", 12L),
            Map.entry("zk-null-pop3-starttls.pcap", 33L),
            Map.entry("zk-retransmit-fast-rst.pcap", 18L),
            Map.entry("zk-sll-irc-starttls.pcap", 10L),
            Map.entry("zk-sll2-tls.pcap", 1L),
            Map.entry("zk-ssh-dups.pcap", 152L),
            Map.entry("zk-syn-bad-checksum.pcap", 1L),
            Map.entry("zk-tcp-padding.pcap", 11L),
            Map.entry("zk-vlan-mpls-mixed.pcap", 22L));

    @TestFactory
    Stream<DynamicTest> findsTheSameBadChecksumsAsTshark() throws IOException {
        return captures().stream().map(capture -> DynamicTest.dynamicTest(capture.getFileName().toString(), () -> {
            String name = capture.getFileName().toString();
            long bad = segments(name).stream().filter(x -> x.checksum() == Checksum.BAD).count();
            assertEquals(BAD_CHECKSUMS.getOrDefault(name, 0L), bad);
        }));
    }
}
