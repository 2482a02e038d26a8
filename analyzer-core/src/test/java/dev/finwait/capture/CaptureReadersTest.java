package dev.finwait.capture;

import static dev.finwait.capture.Captures.readAll;
import static dev.finwait.capture.Captures.resource;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.finwait.bench.CaptureGenerator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real captures made with tcpdump on loopback (one ping/pong TCP exchange, 10 frames) in every
 * container format; expected values are from {@code tshark -T fields} on the same files.
 */
class CaptureReadersTest {
    /** frame.time_epoch of frame 1 and 2 of loopback-usec.pcap: 1795500741.518283, .518312. */
    private static final long USEC_T1 = 1_795_500_741_518_283_000L;
    private static final long USEC_T2 = 1_795_500_741_518_312_000L;

    @Test
    void readsMicrosecondPcapWithNumbersOffsetsAndTimes() throws IOException {
        List<Frame> frames = readAll(CaptureReaders.open(resource("loopback-usec.pcap")));
        assertEquals(10, frames.size());
        Frame first = frames.get(0);
        assertEquals(1, first.number());
        assertEquals(USEC_T1, first.timeNanos());
        assertEquals(1, first.linkType());
        assertEquals(74, first.capturedLength());
        assertEquals(74, first.originalLength());
        assertEquals(24, first.fileOffset());
        assertEquals(24 + 16 + 74, frames.get(1).fileOffset());
        assertEquals(USEC_T2, frames.get(1).timeNanos());
        assertEquals(10, frames.get(9).number());
    }

    @Test
    void readsNanosecondPcap() throws IOException {
        List<Frame> frames = readAll(CaptureReaders.open(resource("loopback-nsec.pcap")));
        assertEquals(10, frames.size());
        assertEquals(1_795_500_743_971_281_892L, frames.get(0).timeNanos());
        assertEquals(1_795_500_743_971_314_804L, frames.get(1).timeNanos());
    }

    @Test
    void pcapngGivesTheSameFramesAsThePcapItWasConvertedFrom() throws IOException {
        List<Frame> pcap = readAll(CaptureReaders.open(resource("loopback-usec.pcap")));
        List<Frame> ng = readAll(CaptureReaders.open(resource("loopback.pcapng")));
        assertSameFrames(pcap, ng);
    }

    @Test
    void nanosecondPcapngKeepsNanoseconds() throws IOException {
        assertSameFrames(readAll(CaptureReaders.open(resource("loopback-nsec.pcap"))),
                readAll(CaptureReaders.open(resource("loopback-nsec.pcapng"))));
    }

    /** Written by dumpcap itself: options on every block and an interface statistics block at the end. */
    @Test
    void readsDumpcapPcapngWithOptionsAndStatistics() throws IOException {
        List<Frame> frames = readAll(CaptureReaders.open(resource("dumpcap-loopback.pcapng")));
        assertEquals(10, frames.size());
        assertEquals(1_795_501_453_240_733_111L, frames.get(0).timeNanos());
        assertEquals(1_795_501_453_241_173_326L, frames.get(9).timeNanos());
        assertEquals(74, frames.get(0).capturedLength());
        assertEquals(1, frames.get(0).linkType());
    }

    /**
     * Issue 17: a pcapng over 64 KiB written by {@code editcap -F pcapng} failed ("interface id 100 out of
     * range", or an ArrayIndexOutOfBoundsException) once a block crossed the end of the first buffer: the
     * interface id was read at a buffer index taken before the buffer was compacted. The file must pass
     * 128 KiB too: below that the refill leaves the stale index on the old, still correct, bytes. The
     * resource (147 KB) is {@code CaptureGenerator --packets 400 --seed 17} through {@code editcap -F pcapng}.
     */
    @Test
    void editcapPcapngLargerThanTheFirstBufferGivesTheSameFramesAsItsPcap() throws Exception {
        ByteArrayOutputStream pcap = new ByteArrayOutputStream();
        CaptureGenerator.write(pcap, 400, Long.MAX_VALUE, 17, CaptureGenerator.DEFAULT_RATE, CaptureGenerator.ETHERNET_MSS);
        // Not in captures/: the decode golden test covers those, and this file's check is the pcap it came from.
        Path ng = Path.of(CaptureReadersTest.class.getResource("/large-captures/generated-editcap.pcapng").toURI());
        assertTrue(Files.size(ng) > 64 * 1024);
        List<Frame> frames = readAll(CaptureReaders.open(ng));
        assertEquals(409, frames.size());
        assertSameFrames(readAll(pcap.toByteArray()), frames);
    }

    @Test
    void bigEndianPcapGivesTheSameFrames() throws IOException {
        byte[] little = Files.readAllBytes(resource("loopback-usec.pcap"));
        List<Frame> swapped = readAll(byteSwapped(little));
        assertSameFrames(readAll(little), swapped);
        assertEquals(24, swapped.get(0).fileOffset());
    }

    @Test
    void gzipIsUnwrappedAndDetectedAgain() throws IOException {
        assertSameFrames(readAll(CaptureReaders.open(resource("loopback-usec.pcap"))),
                readAll(CaptureReaders.open(resource("loopback-usec.pcap.gz"))));
    }

    @Test
    void readsFromAStreamNamedDashForStdin() throws IOException {
        try (InputStream in = Files.newInputStream(resource("loopback-usec.pcap"))) {
            FrameSource source = CaptureReaders.open(in, "-");
            assertEquals("-", source.name());
            assertEquals(10, readAll(source).size());
        }
    }

    @Test
    void dashPathReadsStandardInput() throws IOException {
        InputStream saved = System.in;
        try (InputStream in = Files.newInputStream(resource("loopback-nsec.pcap"))) {
            System.setIn(in);
            FrameSource source = CaptureReaders.open(Path.of("-"));
            assertEquals("-", source.name());
            assertEquals(10, readAll(source).size());
        } finally {
            System.setIn(saved);
        }
    }

    @Test
    void mergesRotatedFilesByTimestampAndRenumbers() throws IOException {
        List<Frame> whole = readAll(CaptureReaders.open(resource("loopback-usec.pcap")));
        // Given in the wrong order on purpose: the merge follows timestamps, not the argument order.
        List<Frame> merged = readAll(CaptureReaders.openAll(List.of(resource("rotated-2.pcap"), resource("rotated-1.pcap"))));
        assertSameFrames(whole, merged);
        for (int i = 0; i < merged.size(); i++) {
            assertEquals(i + 1, merged.get(i).number());
        }
        // Offsets stay those of each record in its own file.
        assertEquals(24, merged.get(0).fileOffset());
        assertEquals(24, merged.get(5).fileOffset());
    }

    @Test
    void mergeBreaksTimestampTiesByFileOrder(@TempDir Path dir) throws IOException {
        byte[] a = PcapBuilder.micros().record(5, 0, new byte[] {1}).record(6, 0, new byte[] {2}).bytes();
        byte[] b = PcapBuilder.micros().record(5, 0, new byte[] {3}).bytes();
        Path pa = Files.write(dir.resolve("a.pcap"), a);
        Path pb = Files.write(dir.resolve("b.pcap"), b);
        List<Frame> merged = readAll(CaptureReaders.openAll(List.of(pa, pb)));
        assertEquals(List.of(1, 3, 2), merged.stream().map(f -> (int) f.data()[f.offset()]).toList());
    }

    @Test
    void mergeReportsOneFilesErrorAfterEveryGoodFrameOfAllFiles(@TempDir Path dir) throws IOException {
        byte[] good = PcapBuilder.micros().record(1, 0, new byte[] {1}).record(9, 0, new byte[] {2}).bytes();
        byte[] bad = PcapBuilder.micros().record(2, 0, new byte[] {3}).raw(new byte[] {1, 2, 3}).bytes();
        Path pg = Files.write(dir.resolve("good.pcap"), good);
        Path pb = Files.write(dir.resolve("bad.pcap"), bad);
        List<Integer> seen = new java.util.ArrayList<>();
        CaptureFormatException e = org.junit.jupiter.api.Assertions.assertThrows(CaptureFormatException.class, () -> {
            try (FrameSource s = CaptureReaders.openAll(List.of(pg, pb))) {
                for (Frame f = s.next(); f != null; f = s.next()) {
                    seen.add((int) f.data()[f.offset()]);
                }
            }
        });
        assertEquals(List.of(1, 3, 2), seen);
        assertEquals(pb + ": truncated record header at offset 41: 16 bytes needed, 3 present", e.getMessage());
        assertEquals(41, e.offset());
    }

    @Test
    void mergeNamesTheFileWhoseHeaderIsBad(@TempDir Path dir) throws IOException {
        Path empty = Files.write(dir.resolve("empty.pcap"), new byte[0]);
        CaptureFormatException e = org.junit.jupiter.api.Assertions.assertThrows(CaptureFormatException.class,
                () -> CaptureReaders.openAll(List.of(resource("rotated-1.pcap"), empty)));
        assertEquals(empty + ": empty input: no capture header at offset 0", e.getMessage());
    }

    @Test
    void timestampsGoingBackwardsAreJustFrames() throws IOException {
        byte[] bytes = PcapBuilder.micros().record(10, 0, new byte[] {1}).record(3, 0, new byte[] {2}).bytes();
        List<Frame> frames = readAll(bytes);
        assertEquals(2, frames.size());
        assertEquals(3_000_000_000L, frames.get(1).timeNanos());
    }

    @Test
    void unknownLinkTypeIsNotAReaderError() throws IOException {
        byte[] bytes = PcapBuilder.pcap(PcapReader.MAGIC_MICROS, ByteOrder.LITTLE_ENDIAN, 65535, 147)
                .record(1, 0, new byte[] {9, 9}).bytes();
        assertEquals(147, readAll(bytes).get(0).linkType());
    }

    @Test
    void snappedRecordKeepsItsOriginalLength() throws IOException {
        byte[] bytes = PcapBuilder.micros().record(1, 500, 2, 1500, new byte[] {7, 8}).bytes();
        Frame f = readAll(bytes).get(0);
        assertEquals(2, f.capturedLength());
        assertEquals(1500, f.originalLength());
        assertEquals(1_000_500_000L, f.timeNanos());
    }

    @Test
    void recordsUpToTheCapAreReadWhole() throws IOException {
        byte[] big = new byte[200_000];
        byte[] max = new byte[CaptureReaders.MAX_FRAME];
        big[199_999] = 42;
        max[max.length - 1] = 43;
        byte[] bytes = PcapBuilder.pcap(PcapReader.MAGIC_MICROS, ByteOrder.LITTLE_ENDIAN, 262144, 1)
                .record(1, 0, new byte[100]).record(2, 0, big).record(3, 0, max).record(4, 0, new byte[] {44}).bytes();
        List<Frame> frames = readAll(bytes);
        assertEquals(List.of(100, 200_000, CaptureReaders.MAX_FRAME, 1), frames.stream().map(Frame::capturedLength).toList());
        assertEquals(42, frames.get(1).data()[199_999]);
        assertEquals(43, frames.get(2).data()[max.length - 1]);
        assertEquals(44, frames.get(3).data()[0]);
        assertEquals(24 + 116 + 200_016, frames.get(2).fileOffset());
    }

    @Test
    void reusesOneBufferAcrossFrames() throws IOException {
        byte[] bytes = PcapBuilder.micros().record(1, 0, new byte[] {1}).record(2, 0, new byte[] {2}).bytes();
        try (FrameSource s = CaptureReaders.open(new ByteArrayInputStream(bytes), "t")) {
            assertEquals(s.next().data(), s.next().data());
        }
    }

    /** 20 MB generated on the fly (never held in memory): every frame is a view of one buffer. */
    @Test
    void streamsALongCaptureThroughOneFixedBuffer() throws IOException {
        int count = 250_000;
        byte[] header = PcapBuilder.micros().bytes();
        byte[] record = PcapBuilder.micros().record(1, 0, new byte[64]).bytes();
        InputStream generated = new InputStream() {
            private long at;
            private final long total = header.length + (long) count * (record.length - 24);

            @Override
            public int read() {
                if (at >= total) {
                    return -1;
                }
                long i = at++;
                return (i < header.length ? header[(int) i] : record[24 + (int) ((i - header.length) % (record.length - 24))]) & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                int n = 0;
                while (n < len) {
                    int c = read();
                    if (c < 0) {
                        return n == 0 ? -1 : n;
                    }
                    b[off + n++] = (byte) c;
                }
                return n;
            }
        };
        try (FrameSource s = CaptureReaders.open(generated, "generated")) {
            Frame first = s.next();
            byte[] buffer = first.data();
            long frames = 1;
            Frame last = first;
            for (Frame f = s.next(); f != null; f = s.next()) {
                frames++;
                org.junit.jupiter.api.Assertions.assertSame(buffer, f.data());
                last = f;
            }
            assertEquals(count, frames);
            assertEquals(count, last.number());
            assertEquals(24 + (long) (count - 1) * 80, last.fileOffset());
        }
    }

    private static void assertSameFrames(List<Frame> expected, List<Frame> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            Frame e = expected.get(i);
            Frame a = actual.get(i);
            assertEquals(e.timeNanos(), a.timeNanos(), "time of frame " + (i + 1));
            assertEquals(e.linkType(), a.linkType());
            assertEquals(e.originalLength(), a.originalLength());
            assertArrayEquals(e.data(), a.data(), "bytes of frame " + (i + 1));
        }
    }

    /** Rewrites a little-endian pcap with every header field byte-swapped (the packet bytes stay). */
    static byte[] byteSwapped(byte[] little) {
        ByteBuffer in = ByteBuffer.wrap(little).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer out = ByteBuffer.allocate(little.length).order(ByteOrder.BIG_ENDIAN);
        out.putInt(in.getInt()).putShort(in.getShort()).putShort(in.getShort());
        for (int i = 0; i < 4; i++) {
            out.putInt(in.getInt());
        }
        while (in.hasRemaining()) {
            for (int i = 0; i < 3; i++) {
                out.putInt(in.getInt());
            }
            int orig = in.getInt();
            out.putInt(orig);
            int caplen = out.getInt(out.position() - 8);
            byte[] data = new byte[caplen];
            in.get(data);
            out.put(data);
        }
        return out.array();
    }
}
