package dev.finwait.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.finwait.capture.CaptureReaders;
import dev.finwait.capture.Frame;
import dev.finwait.capture.FrameSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The oracle test: for every corpus capture, we decode as many TCP segments as tshark saw
 * (the sum of pkts_a + pkts_b over the capture's {@code tshark} rows in expected/NAME.tsv).
 */
class CorpusDecodeTest {

    static Path corpus() {
        return Path.of(System.getProperty("finwait.corpus", "../../shared/corpus"));
    }

    static List<Path> captures() throws IOException {
        try (Stream<Path> s = Files.list(corpus().resolve("captures"))) {
            return s.sorted().toList();
        }
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
}
