package dev.finwait.capture;

import dev.finwait.Fixtures;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link FrameSource#next(FrameVisitor)} hands out exactly the frames {@link FrameSource#next()} returns. */
class FrameVisitorTest {
    private static final Path SAMPLES = Fixtures.samples();

    private static List<Frame> viaNext(byte[] capture) throws IOException {
        List<Frame> out = new ArrayList<>();
        try (FrameSource s = CaptureReaders.open(new ByteArrayInputStream(capture), "t")) {
            for (Frame f = s.next(); f != null; f = s.next()) {
                out.add(f.copy());
            }
        }
        return out;
    }

    private static List<Frame> viaVisitor(byte[] capture) throws IOException {
        List<Frame> out = new ArrayList<>();
        try (FrameSource s = CaptureReaders.open(new ByteArrayInputStream(capture), "t")) {
            while (s.next((number, time, link, data, offset, caplen, origlen, at) ->
                    out.add(new Frame(number, time, link, data, offset, caplen, origlen, at).copy()))) {
                // collected by the visitor
            }
        }
        return out;
    }

    private static void assertSameFrames(List<Frame> expected, List<Frame> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            Frame e = expected.get(i);
            Frame a = actual.get(i);
            assertEquals(List.of(e.number(), e.timeNanos(), e.linkType(), e.capturedLength(), e.originalLength(), e.fileOffset()),
                    List.of(a.number(), a.timeNanos(), a.linkType(), a.capturedLength(), a.originalLength(), a.fileOffset()));
            assertArrayEquals(Arrays.copyOfRange(e.data(), e.offset(), e.offset() + e.capturedLength()),
                    Arrays.copyOfRange(a.data(), a.offset(), a.offset() + a.capturedLength()));
        }
    }

    @Test
    void pcapAndPcapngGiveTheSameFramesEitherWay() throws IOException {
        try (var files = Files.list(SAMPLES)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".pcap")).toList()) {
                byte[] capture = Files.readAllBytes(p);
                assertSameFrames(viaNext(capture), viaVisitor(capture));
            }
        }
        List<Path> pcapng = Fixtures.corpusCaptures().stream().filter(f -> f.toString().endsWith(".pcapng")).toList();
        assertEquals(2, pcapng.size(), "pcapng captures in the corpus");
        for (Path p : pcapng) {
            byte[] capture = Files.readAllBytes(p);
            assertSameFrames(viaNext(capture), viaVisitor(capture));
        }
    }

    @Test
    void aCutRecordFailsTheSameWayAfterTheSameFrames() throws IOException {
        byte[] busy = Files.readAllBytes(SAMPLES.resolve("busy.pcap"));
        byte[] cut = Arrays.copyOf(busy, busy.length / 2);
        List<Frame> byNext = new ArrayList<>();
        List<Frame> byVisitor = new ArrayList<>();
        String one = assertThrows(CaptureFormatException.class, () -> {
            try (FrameSource s = CaptureReaders.open(new ByteArrayInputStream(cut), "t")) {
                for (Frame f = s.next(); f != null; f = s.next()) {
                    byNext.add(f.copy());
                }
            }
        }).getMessage();
        String two = assertThrows(CaptureFormatException.class, () -> {
            try (FrameSource s = CaptureReaders.open(new ByteArrayInputStream(cut), "t")) {
                while (s.next((number, time, link, data, offset, caplen, origlen, at) ->
                        byVisitor.add(new Frame(number, time, link, data, offset, caplen, origlen, at).copy()))) {
                    // collected by the visitor
                }
            }
        }).getMessage();
        assertEquals(one, two);
        assertSameFrames(byNext, byVisitor);
    }
}
