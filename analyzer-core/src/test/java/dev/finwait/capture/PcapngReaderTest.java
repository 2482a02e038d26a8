package dev.finwait.capture;

import static dev.finwait.capture.Captures.failure;
import static dev.finwait.capture.Captures.readAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.finwait.capture.Captures.Failure;
import java.io.IOException;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** pcapng blocks, options and malformations, built in memory. */
class PcapngReaderTest {
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final ByteOrder BE = ByteOrder.BIG_ENDIAN;
    private static final byte[] DATA = {1, 2, 3, 4, 5};

    private static PcapngBuilder ng() {
        return new PcapngBuilder(LE).section();
    }

    @Test
    void defaultResolutionIsMicroseconds() throws IOException {
        Frame f = readAll(ng().iface(1).epb(0, 1_500_000_123L, DATA).bytes()).get(0);
        assertEquals(1_500_000_123_000L, f.timeNanos());
        assertEquals(5, f.capturedLength());
        assertEquals(1, f.linkType());
        assertEquals(1, f.number());
    }

    @Test
    void powerOfTenResolution() throws IOException {
        Frame f = readAll(ng().iface(1, 0, 9, 0).epb(0, 1_700_000_000_123_456_789L, DATA).bytes()).get(0);
        assertEquals(1_700_000_000_123_456_789L, f.timeNanos());
        Frame coarse = readAll(ng().iface(1, 0, 3, 0).epb(0, 1_700_000_000_123L, DATA).bytes()).get(0);
        assertEquals(1_700_000_000_123_000_000L, coarse.timeNanos());
    }

    @Test
    void powerOfTwoResolution() throws IOException {
        // 2^-10 s units: 1024 * 5 + 512 units = 5.5 s.
        Frame f = readAll(ng().iface(1, 0, 0x80 | 10, 0).epb(0, 1024 * 5 + 512, DATA).bytes()).get(0);
        assertEquals(5_500_000_000L, f.timeNanos());
    }

    @Test
    void finePowerOfTwoResolutionDoesNotOverflow() {
        // 2^-40 s units: 3.25 s = 3.25 * 2^40 units; frac * 1e9 needs more than 64 bits.
        long units = (3L << 40) + (1L << 38);
        assertEquals(3_250_000_000L, PcapngInterface.toNanos(units, 0x80 | 40));
    }

    @Test
    void tsoffsetIsAddedInSeconds() throws IOException {
        Frame f = readAll(ng().iface(1, 0, 6, 1_000).epb(0, 2_000_000, DATA).bytes()).get(0);
        assertEquals(1_002_000_000_000L, f.timeNanos());
    }

    @Test
    void eachInterfaceHasItsOwnLinkTypeAndSectionsResetInterfaces() throws IOException {
        byte[] bytes = ng().iface(1).iface(113).epb(1, 1, DATA).epb(0, 2, DATA)
                .section(BE).iface(276).epb(0, 3, DATA).bytes();
        List<Frame> frames = readAll(bytes);
        assertEquals(List.of(113, 1, 276), frames.stream().map(Frame::linkType).toList());
        assertEquals(List.of(1L, 2L, 3L), frames.stream().map(Frame::number).toList());
        assertEquals(3_000L, frames.get(2).timeNanos());
        assertEquals(DATA[4], frames.get(2).data()[frames.get(2).offset() + 4]);
    }

    @Test
    void bigEndianSection() throws IOException {
        Frame f = readAll(new PcapngBuilder(BE).section().iface(101).epb(0, 7, DATA).bytes()).get(0);
        assertEquals(101, f.linkType());
        assertEquals(7_000L, f.timeNanos());
    }

    @Test
    void simplePacketIsCutToInterfaceZeroSnaplenAndKeepsThePreviousTime() throws IOException {
        byte[] bytes = ng().iface(1, 3, -1, 0).epb(0, 42, 3, 5, Arrays.copyOf(DATA, 3)).spb(5, DATA).bytes();
        Frame f = readAll(bytes).get(1);
        assertEquals(3, f.capturedLength());
        assertEquals(5, f.originalLength());
        assertEquals(42_000L, f.timeNanos());
    }

    @Test
    void obsoletePacketBlock() throws IOException {
        Frame f = readAll(ng().iface(1).obsolete(0, 9, DATA).bytes()).get(0);
        assertEquals(9_000L, f.timeNanos());
        assertEquals(5, f.capturedLength());
    }

    @Test
    void unknownBlocksAreSkippedByLength() throws IOException {
        byte[] bytes = ng().block(0x0BAD_0001, new byte[4000]).iface(1).block(5, new byte[8]).epb(0, 1, DATA).bytes();
        List<Frame> frames = readAll(bytes);
        assertEquals(1, frames.size());
        assertEquals(28 + 4012 + 24 + 20, frames.get(0).fileOffset());
    }

    @Test
    void unknownBlocksLargerThanAnyPacketAreStreamedPast() throws IOException {
        byte[] bytes = ng().iface(1).block(0x0BAD_0002, new byte[1_000_000]).epb(0, 1, DATA).bytes();
        List<Frame> frames = readAll(bytes);
        assertEquals(1, frames.size());
        assertEquals(DATA[0], frames.get(0).data()[frames.get(0).offset()]);
    }

    @Test
    void blockSmallerThanTheMinimum() {
        byte[] bytes = ng().raw(new PcapngBuilder(LE).buffer(8).putInt(6).putInt(8).array()).bytes();
        assertEquals("pcapng block at offset 28: total length 8 is smaller than the 12-byte minimum",
                failure(bytes).error().getMessage());
    }

    @Test
    void blockLengthNotAMultipleOfFour() {
        byte[] bytes = ng().raw(new PcapngBuilder(LE).buffer(8).putInt(6).putInt(30).array()).bytes();
        assertEquals("pcapng block at offset 28: total length 30 is not a multiple of 4",
                failure(bytes).error().getMessage());
    }

    @Test
    void trailingLengthMismatch() {
        byte[] bytes = ng().iface(1).epb(0, 1, DATA).bytes();
        bytes[bytes.length - 4] = 36;
        Failure f = failure(bytes);
        assertEquals("pcapng block at offset 52: trailing length 36 does not match leading length 40",
                f.error().getMessage());
    }

    @Test
    void trailingLengthMismatchInASkippedBlock() {
        byte[] bytes = ng().block(0x0BAD_0001, new byte[8]).bytes();
        bytes[bytes.length - 4] = 24;
        assertEquals("pcapng block at offset 28: trailing length 24 does not match leading length 20",
                failure(bytes).error().getMessage());
    }

    @Test
    void badByteOrderMagic() {
        byte[] bytes = ng().bytes();
        bytes[8] = 0x12;
        assertEquals("pcapng section header at offset 0: bad byte-order magic 0x123c2b1a",
                failure(bytes).error().getMessage());
    }

    @Test
    void sectionHeaderCutBeforeItsByteOrderMagic() {
        assertEquals("truncated pcapng section header at offset 0: 12 bytes needed, 10 present",
                failure(Arrays.copyOf(ng().bytes(), 10)).error().getMessage());
    }

    @Test
    void packetBlocksTooSmallForTheirFields() {
        assertEquals("pcapng packet block at offset 52: total length 28 is smaller than the 32-byte minimum",
                failure(ng().iface(1).block(6, new byte[16]).bytes()).error().getMessage());
        assertEquals("pcapng packet block at offset 52: total length 12 is smaller than the 16-byte minimum",
                failure(ng().iface(1).block(3, new byte[0]).bytes()).error().getMessage());
    }

    @Test
    void interfaceIdOutOfRange() {
        Failure f = failure(ng().iface(1).epb(0, 1, DATA).epb(3, 2, DATA).bytes());
        assertEquals(1, f.frames().size());
        assertEquals("pcapng packet block at offset 92: interface id 3 out of range (1 interfaces described)",
                f.error().getMessage());
    }

    @Test
    void packetBeforeAnyInterfaceDescription() {
        assertEquals("pcapng packet block at offset 28: packet before any interface description block",
                failure(ng().epb(0, 1, DATA).bytes()).error().getMessage());
    }

    @Test
    void truncatedBlock() {
        byte[] whole = ng().iface(1).epb(0, 1, DATA).bytes();
        Failure f = failure(Arrays.copyOf(whole, whole.length - 6));
        assertEquals("truncated pcapng block at offset 52: header says 40 bytes, 34 present", f.error().getMessage());
    }

    @Test
    void truncatedBlockHeader() {
        byte[] whole = ng().iface(1).bytes();
        assertEquals("truncated pcapng block header at offset 52: 8 bytes needed, 3 present",
                failure(Arrays.copyOf(whole, whole.length + 3)).error().getMessage());
    }

    @Test
    void packetBlockOverTheLimitIsRefusedBeforeBuffering() {
        byte[] bytes = ng().iface(1).raw(new PcapngBuilder(LE).buffer(8).putInt(6).putInt(0x7FFF_FFF0).array()).bytes();
        assertEquals("pcapng block at offset 52: total length 2147483632 exceeds the 327680-byte limit",
                failure(bytes).error().getMessage());
    }

    @Test
    void capturedLengthOverrunsTheBlock() {
        assertEquals("pcapng packet block at offset 52: captured length 200 overruns the block length 40",
                failure(ng().iface(1).epb(0, 1, 200, 200, DATA).bytes()).error().getMessage());
    }

    @Test
    void capturedLengthOverTheOriginalLength() {
        assertEquals("pcapng packet block at offset 52: captured length 5 exceeds the original length 4",
                failure(ng().iface(1).epb(0, 1, 5, 4, DATA).bytes()).error().getMessage());
    }

    @Test
    void capturedLengthOverTheHardCap() {
        assertEquals("pcapng packet block at offset 52: captured length 300000 exceeds the 262144-byte limit",
                failure(ng().iface(1).epb(0, 1, 300_000, 300_000, DATA).bytes()).error().getMessage());
    }

    @Test
    void interfaceDescriptionTooSmall() {
        assertEquals("pcapng interface description block at offset 28: total length 16 is smaller than the 20-byte minimum",
                failure(ng().block(1, new byte[4]).bytes()).error().getMessage());
    }
}
