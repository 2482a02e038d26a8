package dev.finwait.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.finwait.AnalysisResult;
import dev.finwait.Analyzer;
import dev.finwait.model.AnalyzerConfig;
import dev.finwait.bench.CaptureGenerator.Counts;
import dev.finwait.bench.CaptureGenerator.Ending;
import dev.finwait.capture.CaptureReaders;
import dev.finwait.capture.Frame;
import dev.finwait.capture.FrameSource;
import dev.finwait.decode.DecodeResult;
import dev.finwait.decode.Decoder;
import dev.finwait.event.AnalysisListener;
import dev.finwait.model.CloseKind;
import dev.finwait.model.ConnectionReport;
import dev.finwait.tcp.Segment;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The generator's promises, checked by our own reader and decoder on a small capture. */
class CaptureGeneratorTest {
    private static final int CONNECTIONS = 3_000;

    private static byte[] generate(long seed, Counts[] counts) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        counts[0] = CaptureGenerator.write(out, Long.MAX_VALUE, CONNECTIONS, seed, CaptureGenerator.DEFAULT_RATE,
                CaptureGenerator.ETHERNET_MSS);
        return out.toByteArray();
    }

    @Test
    void sameSeedSameBytes() throws IOException {
        Counts[] c = new Counts[1];
        assertArrayEquals(generate(3, c), generate(3, c));
    }

    @Test
    void everySegmentDecodesWithAGoodChecksumAndTimestampsStrictlyIncrease() throws IOException {
        Counts[] c = new Counts[1];
        byte[] pcap = generate(5, c);
        assertEquals(pcap.length, c[0].bytes());
        Decoder decoder = new Decoder(true);
        long last = Long.MIN_VALUE;
        long frames = 0;
        long v6 = 0;
        try (FrameSource source = CaptureReaders.open(new ByteArrayInputStream(pcap), "generated")) {
            for (Frame f = source.next(); f != null; f = source.next()) {
                frames++;
                assertTrue(f.timeNanos() > last, "frame " + f.number() + " does not move time forward");
                last = f.timeNanos();
                DecodeResult r = decoder.decode(f);
                Segment s = assertInstanceOf(DecodeResult.Decoded.class, r, "frame " + f.number()).segment();
                assertEquals(Segment.Checksum.GOOD, s.checksum(), "frame " + f.number());
                if (s.src().ip().toString().contains(":")) {
                    v6++;
                }
            }
        }
        assertEquals(c[0].packets(), frames);
        assertTrue(v6 > frames / 20 && v6 < frames / 5, "about 10% IPv6, got " + v6 + " of " + frames);
        assertTrue(frames > CONNECTIONS * 10L && frames < CONNECTIONS * 14L, "~12 packets per connection: " + frames);
    }

    @Test
    void theAnalyzerClassifiesEveryEndingAsWritten() throws IOException {
        Counts[] c = new Counts[1];
        byte[] pcap = generate(9, c);
        AnalysisResult result = Analyzer.analyze(CaptureReaders.open(new ByteArrayInputStream(pcap), "generated"),
                AnalyzerConfig.defaults(), AnalysisListener.NONE);
        Map<CloseKind, Long> kinds = new EnumMap<>(CloseKind.class);
        long dataAfterFin = 0;
        long anomalies = 0;
        for (ConnectionReport r : result.connections()) {
            kinds.merge(r.close(), 1L, Long::sum);
            dataAfterFin += r.halfClose().filter(h -> h.bytesAfter() > 0).isPresent() ? 1 : 0;
            anomalies += r.anomalies().size();
        }
        Map<Ending, Long> w = c[0].perEnding();
        assertEquals(CONNECTIONS, result.connections().size());
        assertEquals(w.get(Ending.FOUR_WAY) + w.get(Ending.HALF_CLOSE_DATA), kinds.get(CloseKind.FOUR_WAY));
        assertEquals(w.get(Ending.HALF_CLOSE_DATA), dataAfterFin);
        assertEquals(w.get(Ending.THREE_WAY), kinds.get(CloseKind.THREE_WAY));
        assertEquals(w.get(Ending.SIMULTANEOUS), kinds.get(CloseKind.SIMULTANEOUS));
        assertEquals(w.get(Ending.RESET), kinds.get(CloseKind.RESET));
        assertEquals(w.get(Ending.REFUSED), kinds.get(CloseKind.REFUSED));
        assertEquals(w.get(Ending.SYN_UNANSWERED), kinds.get(CloseKind.NEVER_OPENED));
        assertEquals(6, kinds.size(), "no other close kind: " + kinds); // a half-close with data is four_way
        assertEquals(0, anomalies, "consistent sequence numbers raise no anomaly");
    }
}
