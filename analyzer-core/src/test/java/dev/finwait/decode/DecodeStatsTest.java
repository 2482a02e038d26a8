package dev.finwait.decode;

import dev.finwait.model.DecodeProblem;
import dev.finwait.model.DecodeReason;
import static dev.finwait.decode.Packets.ethernet;
import static dev.finwait.decode.Packets.frame;
import static dev.finwait.decode.Packets.ipv4;
import static dev.finwait.decode.Packets.tcp;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.finwait.tcp.TcpFlags;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DecodeStatsTest {

    @Test
    void countsSegmentsAndEachReasonApart() {
        Decoder decoder = new Decoder(false);
        DecodeStats stats = new DecodeStats();
        stats.count(decoder.decode(frame(1, ethernet(0x0800, ipv4(tcp(TcpFlags.SYN, new byte[0]))))));
        stats.count(decoder.decode(frame(1, ethernet(0x0806, new byte[28]))));
        stats.count(decoder.decode(frame(1, ethernet(0x0806, new byte[28]))));
        stats.count(decoder.decode(frame(1, new byte[5])));
        assertEquals(1, stats.decoded());
        assertEquals(2, stats.skipped());
        assertEquals(1, stats.malformed());
        assertEquals(Map.of(DecodeProblem.of(DecodeReason.ARP), 2L, DecodeProblem.of(DecodeReason.TRUNCATED_LINK), 1L), stats.reasons());
    }

    @Test
    void noReasonIsBothSkippedAndMalformed() throws IllegalAccessException {
        java.util.Set<String> skipped = new java.util.HashSet<>();
        java.util.Set<String> malformed = new java.util.HashSet<>();
        for (java.lang.reflect.Field field : Reasons.class.getDeclaredFields()) {
            if (java.lang.reflect.Modifier.isStatic(field.getModifiers())) {
                field.setAccessible(true);
                Object v = field.get(null);
                if (v instanceof DecodeResult.Skipped sk) {
                    skipped.add(sk.reason());
                    assertEquals(false, sk.problem().reason().malformed(), sk.reason());
                } else if (v instanceof DecodeResult.Malformed m) {
                    malformed.add(m.reason());
                    assertEquals(true, m.problem().reason().malformed(), m.reason());
                }
            }
        }
        assertEquals(true, skipped.size() > 10 && malformed.size() > 10);
        skipped.retainAll(malformed);
        assertEquals(java.util.Set.of(), skipped);
    }

    @Test
    void corpusCaptureWithUdpAndIcmpCountsThem() throws Exception {
        DecodeStats stats = new DecodeStats();
        Decoder decoder = new Decoder(true);
        try (var source = dev.finwait.capture.CaptureReaders.open(CorpusDecodeTest.corpus().resolve("captures/zk-wikipedia.pcap"))) {
            for (var f = source.next(); f != null; f = source.next()) {
                stats.count(decoder.decode(f));
            }
        }
        assertEquals(CorpusDecodeTest.tsharkSegments(CorpusDecodeTest.corpus().resolve("captures/zk-wikipedia.pcap")),
                stats.decoded());
        assertEquals(0, stats.malformed());
        assertEquals(stats.skipped(), stats.reasons().values().stream().mapToLong(Long::longValue).sum());
    }
}
