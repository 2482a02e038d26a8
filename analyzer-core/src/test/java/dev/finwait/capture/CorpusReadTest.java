package dev.finwait.capture;

import dev.finwait.Fixtures;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Every third-party corpus capture reads to the end without error, with the packet count the corpus README gives. */
class CorpusReadTest {

    static Path corpus() {
        return Fixtures.corpus();
    }

    /** README table rows: {@code | file | source | licence | link type | format | packets | ...}. */
    static Map<String, Long> packetCounts() throws IOException {
        Map<String, Long> counts = new HashMap<>();
        for (String line : Files.readAllLines(corpus().resolve("README.md"))) {
            String[] cells = line.split("\\|");
            if (cells.length > 6 && cells[1].trim().matches("[a-z]{2}-.*\\.pcap(ng)?")) {
                counts.put(cells[1].trim(), Long.parseLong(cells[6].trim()));
            }
        }
        return counts;
    }

    @TestFactory
    Stream<DynamicTest> everyCorpusCaptureReadsWithoutError() throws IOException {
        Map<String, Long> expected = packetCounts();
        assertEquals(66, expected.size(), "README rows at " + corpus());
        return expected.entrySet().stream().sorted(Map.Entry.comparingByKey()).map(e ->
                DynamicTest.dynamicTest(e.getKey(), () -> {
                    long frames = 0;
                    long lastNumber = 0;
                    try (FrameSource s = CaptureReaders.open(corpus().resolve("captures").resolve(e.getKey()))) {
                        for (Frame f = s.next(); f != null; f = s.next()) {
                            frames++;
                            assertEquals(lastNumber + 1, f.number());
                            lastNumber = f.number();
                        }
                    }
                    assertEquals(e.getValue(), frames);
                }));
    }
}
