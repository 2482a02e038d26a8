package dev.finwait.capture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A filter, a frame limit and a copy to a pcap file around any source; the copy reads back as written. */
class SelectedFramesTest {
    @TempDir
    Path dir;

    /** Ten frames of this link type: frame i is i+1 bytes long (5 more on the wire), all bytes i, at i.000000123 s. */
    private static FrameSource tenFrames(int linkType) {
        return new FrameSource() {
            int i;

            @Override
            public Frame next() {
                if (i == 10) {
                    return null;
                }
                byte[] b = new byte[i + 1];
                java.util.Arrays.fill(b, (byte) i);
                Frame f = new Frame(i + 1, i * 1_000_000_000L + 123, linkType, b, 0, b.length, b.length + 5, -1);
                i++;
                return f;
            }

            @Override
            public String name() {
                return "ten";
            }

            @Override
            public void close() {
            }
        };
    }

    private static List<Frame> readAll(FrameSource s) throws IOException {
        List<Frame> out = new ArrayList<>();
        try (s) {
            for (Frame f = s.next(); f != null; f = s.next()) {
                out.add(f.copy());
            }
        }
        return out;
    }

    @Test
    void filterAndLimitKeepTheFirstFramesThatPassWithTheirNumbers() throws IOException {
        FrameFilter even = (type, data, off, len, orig) -> data[off] % 2 == 0;
        List<Frame> got = readAll(new SelectedFrames(tenFrames(1), even, 3, null));
        assertEquals(List.of(1L, 3L, 5L), got.stream().map(Frame::number).toList());
    }

    @Test
    void theVisitorPathSelectsTheSameFrames() throws IOException {
        FrameFilter even = (type, data, off, len, orig) -> data[off] % 2 == 0;
        List<Long> numbers = new ArrayList<>();
        try (SelectedFrames s = new SelectedFrames(tenFrames(1), even, 0, null)) {
            while (s.next((number, t, type, data, off, len, orig, fileOffset) -> numbers.add(number))) {
                // each call hands over one frame that passed
            }
            assertEquals(5, s.passed());
        }
        assertEquals(List.of(1L, 3L, 5L, 7L, 9L), numbers);
    }

    @Test
    void copyReadsBackWithNanosecondsAndOriginalLengths() throws IOException {
        Path out = dir.resolve("copy.pcap");
        List<Frame> passed = readAll(new SelectedFrames(tenFrames(113), null, 4, PcapWriter.create(out)));
        List<Frame> back = readAll(CaptureReaders.open(out));
        assertEquals(4, back.size());
        for (int i = 0; i < 4; i++) {
            assertEquals(passed.get(i).timeNanos(), back.get(i).timeNanos());
            assertEquals(113, back.get(i).linkType());
            assertEquals(passed.get(i).originalLength(), back.get(i).originalLength());
            assertArrayEquals(passed.get(i).copy().data(), back.get(i).data());
        }
    }

    @Test
    void noFrameStillWritesAValidEmptyCapture() throws IOException {
        Path out = dir.resolve("empty.pcap");
        readAll(new SelectedFrames(tenFrames(1), (type, data, off, len, orig) -> false, 0, PcapWriter.create(out)));
        assertEquals(24, Files.size(out));
        assertTrue(readAll(CaptureReaders.open(out)).isEmpty());
    }

    @Test
    void aSecondLinkTypeIsRefusedNamingBoth() throws IOException {
        Path out = dir.resolve("mixed.pcap");
        try (PcapWriter w = PcapWriter.create(out)) {
            w.write(0, 1, new byte[4], 0, 4, 4);
            PcapWriter.WriteException e = assertThrows(PcapWriter.WriteException.class, () -> w.write(1, 113, new byte[4], 0, 4, 4));
            assertTrue(e.getMessage().contains("113") && e.getMessage().contains("file's 1"), e.getMessage());
        }
    }
}
