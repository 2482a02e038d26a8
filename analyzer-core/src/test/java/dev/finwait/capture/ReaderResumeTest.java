package dev.finwait.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.finwait.Fixtures;
import dev.finwait.capture.BoundaryCaptures.Sample;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13 item 5: a reader opened at a checkpoint gives the frames the first reader would have gone
 * on to give, frame numbers and file offsets included. For every sample and third-party capture, and
 * every frame index k: read k frames, take the checkpoint, pass it through its byte form, resume, and
 * the rest equals the uninterrupted read.
 */
class ReaderResumeTest {
    /** Captures up to this many frames resume at every k; larger ones at this many k spread over the file. */
    private static final int EVERY_K_UP_TO = 300;

    static List<Path> captures() throws Exception {
        List<Path> all = new ArrayList<>(Fixtures.sampleCaptures());
        all.addAll(Fixtures.corpusCaptures());
        // the readers' own test captures: pcapng from dumpcap, nanosecond files, SLL, gzip
        try (Stream<Path> s = Files.list(Path.of(ReaderResumeTest.class.getResource("/captures").toURI()))) {
            s.filter(Files::isRegularFile).sorted().forEach(all::add);
        }
        all.add(Path.of(ReaderResumeTest.class.getResource("/large-captures/generated-editcap.pcapng").toURI()));
        return all;
    }

    @TestFactory
    Stream<DynamicTest> everyCaptureResumesAfterAnyFrame() throws Exception {
        List<Path> captures = captures();
        assertTrue(captures.size() >= 16 + 66, "captures: " + captures.size());
        return captures.stream().map(path -> DynamicTest.dynamicTest(path.getFileName().toString(), () -> {
            Run run = readWithCheckpoints(CaptureReaders.open(path));
            assertTrue(run.frames.size() > 0, "no frames in " + path);
            for (int k : ks(run.frames.size())) {
                try (FrameSource resumed = CaptureReaders.resume(path, roundTrip(run.checkpoints.get(k)))) {
                    assertTail(run, k, resumed, path.getFileName().toString());
                }
            }
        }));
    }

    /** Captures built with every block kind: checkpoints inside each section, after SPB, OPB and skipped blocks. */
    @TestFactory
    Stream<DynamicTest> builtCapturesResumeAfterEveryFrame() {
        return ReaderBoundaryTest.samples().stream().map(s -> DynamicTest.dynamicTest(s.name(), () -> {
            Run run = readWithCheckpoints(CaptureReaders.open(new ByteArrayInputStream(s.bytes()), s.name()));
            assertEquals(s.frames().size(), run.frames.size());
            for (int k = 0; k <= run.frames.size(); k++) {
                ReaderCheckpoint at = roundTrip(run.checkpoints.get(k));
                assertEquals(s.name().endsWith(".gz"), at.gzip());
                try (FrameSource resumed = CaptureReaders.resume(new ByteArrayInputStream(s.bytes()), s.name(), at)) {
                    assertTail(run, k, resumed, s.name());
                }
            }
        }));
    }

    @Test
    void aPcapngCheckpointCarriesTheSectionsByteOrderInterfacesAndLastTime() throws IOException {
        Sample ng = BoundaryCaptures.pcapng(16);
        Run run = readWithCheckpoints(CaptureReaders.open(new ByteArrayInputStream(ng.bytes()), "ng"));
        // the second section: big-endian, raw IP at 2^-20 s and Ethernet at milliseconds
        int k = 16 + 1 + 5;
        ReaderCheckpoint at = run.checkpoints.get(k);
        ReaderCheckpoint.Pcapng section = (ReaderCheckpoint.Pcapng) at.format();
        assertTrue(section.bigEndian());
        assertEquals(List.of(new PcapngInterface(101, 0, 0x80 | 20, 0), new PcapngInterface(1, 1514, 3, 0)),
                section.interfaces());
        assertEquals(run.frames.get(k - 1).timeNanos(), section.lastTimeNanos());
        assertEquals(run.frames.get(k - 1).fileOffset() + 28 + PcapngBuilder.pad(run.frames.get(k - 1).capturedLength()) + 4,
                at.offset());
        assertEquals(k, at.frames());
    }

    @Test
    void thePcapByteFormIsSmallAndRoundTrips() throws IOException {
        ReaderCheckpoint at;
        Frame second;
        try (FrameSource s = CaptureReaders.open(Fixtures.samples().resolve("close-normal.pcap"))) {
            s.next();
            second = s.next().copy();
            at = s.checkpoint();
        }
        assertEquals(new ReaderCheckpoint(second.fileOffset() + 16 + second.capturedLength(), 2, false,
                new ReaderCheckpoint.Pcap(false, false, 262144, 1)), at);
        byte[] bytes = at.toBytes();
        assertEquals(31, bytes.length);
        assertEquals(at, ReaderCheckpoint.fromBytes(bytes));
    }

    @Test
    void anUnknownVersionIsAClearError() {
        byte[] bytes = checkpointOf(PcapBuilder.micros().record(1, 0, new byte[] {1}).bytes()).toBytes();
        bytes[4] = 9;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ReaderCheckpoint.fromBytes(bytes));
        assertEquals("reader checkpoint version 9 is not supported: this finwait reads version 1", e.getMessage());
    }

    @Test
    void otherBytesAreClearErrors() {
        byte[] good = checkpointOf(new PcapngBuilder(ByteOrder.LITTLE_ENDIAN).section().iface(1).iface(113)
                .epb(1, 5, new byte[] {1, 2}).bytes()).toBytes();
        assertEquals("not a reader checkpoint: it does not start with \"FWRC\"", fromBytesError(new byte[] {1, 2, 3, 4, 5}));
        assertEquals("not a reader checkpoint: it does not start with \"FWRC\"", fromBytesError(new byte[0]));
        assertEquals("reader checkpoint cut short: 30 bytes", fromBytesError(Arrays.copyOf(good, 30)));
        assertEquals("reader checkpoint: 2 bytes after its end", fromBytesError(Arrays.copyOf(good, good.length + 2)));
        byte[] kind = good.clone();
        kind[5] = 7;
        assertEquals("reader checkpoint: unknown format 7 (1 pcap, 2 pcapng)", fromBytesError(kind));
        byte[] huge = good.clone();
        huge[31] = 0x7F; // the interface count's high byte: four billion interfaces in 60 bytes
        assertEquals("reader checkpoint cut short: " + good.length + " bytes", fromBytesError(huge));
    }

    @Test
    void aCheckpointThatDoesNotFitTheFileIsRefused(@TempDir Path dir) throws IOException {
        byte[] micros = PcapBuilder.micros().record(1, 0, new byte[] {1}).record(2, 0, new byte[] {2}).bytes();
        ReaderCheckpoint pcapAt = checkpointOf(micros);
        Path ng = Files.write(dir.resolve("x.pcapng"), new PcapngBuilder(ByteOrder.LITTLE_ENDIAN).section().iface(1)
                .epb(0, 1, new byte[] {1}).bytes());
        assertEquals(ng + ": the checkpoint was taken from a pcap file that differs: it is not a pcap file",
                resumeError(ng, pcapAt));
        Path nanos = Files.write(dir.resolve("n.pcap"), PcapBuilder.pcap(PcapReader.MAGIC_NANOS, ByteOrder.LITTLE_ENDIAN,
                65535, 1).record(1, 0, new byte[] {1}).bytes());
        assertEquals(nanos + ": the checkpoint was taken from a pcap file that differs: its pcap header says "
                + "Pcap[bigEndian=false, nanos=true, snaplen=65535, linkType=1]", resumeError(nanos, pcapAt));
        Path gz = Files.write(dir.resolve("m.pcap.gz"), Fixtures.gzip(micros));
        assertEquals(gz + ": the checkpoint was taken from a pcap file that differs: it is gzip-compressed",
                resumeError(gz, pcapAt));
        Path shorter = Files.write(dir.resolve("short.pcap"), Arrays.copyOf(micros, 30));
        assertEquals(shorter + ": the checkpoint's offset 41 is past the end of the file (30 bytes)", resumeError(shorter, pcapAt));
        assertThrows(IllegalArgumentException.class, () -> CaptureReaders.resume(Path.of("-"), pcapAt));
    }

    @Test
    void mergedFilesHaveNoCheckpoint() throws IOException {
        List<Path> two = List.of(Captures.resource("rotated-1.pcap"), Captures.resource("rotated-2.pcap"));
        try (FrameSource merged = CaptureReaders.openAll(two)) {
            assertThrows(UnsupportedOperationException.class, merged::checkpoint);
        }
    }

    /** After a format error the checkpoint still names the place after the last good frame. */
    @Test
    void afterAFormatErrorTheCheckpointIsTheLastGoodFrame(@TempDir Path dir) throws IOException {
        byte[] whole = BoundaryCaptures.pcapng(16).bytes();
        Run run = readWithCheckpoints(CaptureReaders.open(new ByteArrayInputStream(whole), "whole"));
        int k = 20;
        Frame bad = run.frames.get(k);
        byte[] cut = Arrays.copyOf(whole, (int) bad.fileOffset() + 10);
        ReaderCheckpoint at;
        try (FrameSource s = CaptureReaders.open(new ByteArrayInputStream(cut), "cut")) {
            assertThrows(CaptureFormatException.class, () -> {
                while (s.next() != null) {
                    continue;
                }
            });
            at = s.checkpoint();
        }
        assertEquals(run.checkpoints.get(k), at);
        // the file, complete again (a capture still being written), goes on from there
        try (FrameSource resumed = CaptureReaders.resume(Files.write(dir.resolve("whole.pcapng"), whole), at)) {
            assertTail(run, k, resumed, "whole");
        }
    }

    private record Run(List<Frame> frames, List<ReaderCheckpoint> checkpoints) {
    }

    /** Every frame (copied) and the checkpoint after each: {@code checkpoints.get(k)} is after k frames. */
    private static Run readWithCheckpoints(FrameSource source) throws IOException {
        List<Frame> frames = new ArrayList<>();
        List<ReaderCheckpoint> checkpoints = new ArrayList<>();
        try (source) {
            checkpoints.add(source.checkpoint());
            for (Frame f = source.next(); f != null; f = source.next()) {
                frames.add(f.copy());
                checkpoints.add(source.checkpoint());
            }
            // at the end it stays the place after the last frame
            assertEquals(checkpoints.get(checkpoints.size() - 1), source.checkpoint());
        }
        return new Run(frames, checkpoints);
    }

    /** Every k for small captures; 0, the end and an even spread for larger ones (resuming is linear in what is left). */
    private static int[] ks(int n) {
        if (n <= EVERY_K_UP_TO) {
            return IntStream.rangeClosed(0, n).toArray();
        }
        return IntStream.rangeClosed(0, EVERY_K_UP_TO).map(i -> (int) ((long) i * n / EVERY_K_UP_TO)).distinct().toArray();
    }

    private static ReaderCheckpoint roundTrip(ReaderCheckpoint at) {
        ReaderCheckpoint back = ReaderCheckpoint.fromBytes(at.toBytes());
        assertEquals(at, back);
        return back;
    }

    private static void assertTail(Run run, int k, FrameSource resumed, String name) throws IOException {
        int i = k;
        for (Frame f = resumed.next(); f != null; f = resumed.next(), i++) {
            assertTrue(i < run.frames.size(), name + " resumed after " + k + ": more frames than the whole read");
            if (!BoundaryCaptures.same(run.frames.get(i), f)) {
                assertEquals(BoundaryCaptures.describe(run.frames.get(i)), BoundaryCaptures.describe(f),
                        name + " resumed after " + k + " frames");
            }
        }
        assertEquals(run.frames.size(), i, name + " resumed after " + k + ": frames");
    }

    private static ReaderCheckpoint checkpointOf(byte[] capture) {
        try (FrameSource s = CaptureReaders.open(new ByteArrayInputStream(capture), "t")) {
            s.next();
            return s.checkpoint();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String fromBytesError(byte[] bytes) {
        return assertThrows(IllegalArgumentException.class, () -> ReaderCheckpoint.fromBytes(bytes)).getMessage();
    }

    private static String resumeError(Path file, ReaderCheckpoint at) {
        return assertThrows(CaptureFormatException.class, () -> {
            try (FrameSource s = CaptureReaders.resume(file, at)) {
                s.next();
            }
        }).getMessage();
    }
}
