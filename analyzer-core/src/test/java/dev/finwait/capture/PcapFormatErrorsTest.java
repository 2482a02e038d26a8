package dev.finwait.capture;

import static dev.finwait.Fixtures.gzip;
import static dev.finwait.capture.Captures.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.finwait.capture.Captures.Failure;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Each malformation of a classic pcap (and of the container detection) has its own exact message. */
class PcapFormatErrorsTest {
    private static final byte[] FRAME = new byte[60];

    @Test
    void emptyInput() {
        Failure f = failure(new byte[0]);
        assertEquals("empty input: no capture header at offset 0", f.error().getMessage());
        assertEquals(0, f.error().offset());
    }

    @Test
    void fewerThanFourBytes() {
        assertEquals("truncated capture header at offset 0: 4 bytes needed, 3 present",
                failure(new byte[] {(byte) 0xD4, (byte) 0xC3, (byte) 0xB2}).error().getMessage());
    }

    @Test
    void textIsNotACapture() {
        assertEquals("not a capture at offset 0: unknown magic 0x48454c4c (expected pcap, pcapng or gzip)",
                failure("HELLO, this is a text file\n".getBytes(StandardCharsets.US_ASCII)).error().getMessage());
    }

    @Test
    void randomBytesAreNotACapture() {
        byte[] noise = new java.util.Random(7).ints(64, 0, 256).collect(ByteArrayOutputStream::new,
                (o, i) -> o.write(i), (a, b) -> a.writeBytes(b.toByteArray())).toByteArray();
        noise[0] = 0x12;
        noise[1] = 0x34;
        noise[2] = 0x56;
        noise[3] = 0x78;
        assertEquals("not a capture at offset 0: unknown magic 0x12345678 (expected pcap, pcapng or gzip)",
                failure(noise).error().getMessage());
    }

    @Test
    void shortGlobalHeader() {
        byte[] header = Arrays.copyOf(PcapBuilder.micros().bytes(), 10);
        assertEquals("truncated pcap file header at offset 0: 24 bytes needed, 10 present",
                failure(header).error().getMessage());
    }

    @Test
    void capturedLengthOverTheHardCapIsRefusedBeforeAllocating() {
        byte[] bytes = PcapBuilder.pcap(PcapReader.MAGIC_MICROS, ByteOrder.LITTLE_ENDIAN, 0, 1)
                .record(1, 0, FRAME).record(2, 0, 0x7FFF_FFF0, 0x7FFF_FFF0, new byte[0]).bytes();
        Failure f = failure(bytes);
        assertEquals(1, f.frames().size());
        assertEquals("record at offset 100: captured length 2147483632 exceeds the 262144-byte limit",
                f.error().getMessage());
        assertEquals(100, f.error().offset());
    }

    @Test
    void capturedLengthOverTheSnapshotLength() {
        byte[] bytes = PcapBuilder.pcap(PcapReader.MAGIC_MICROS, ByteOrder.LITTLE_ENDIAN, 64, 1)
                .record(1, 0, 100, 100, new byte[100]).bytes();
        assertEquals("record at offset 24: captured length 100 exceeds the snapshot length 64",
                failure(bytes).error().getMessage());
    }

    @Test
    void capturedLengthOverTheOriginalLength() {
        byte[] bytes = PcapBuilder.micros().record(1, 0, 60, 54, FRAME).bytes();
        assertEquals("record at offset 24: captured length 60 exceeds the original length 54",
                failure(bytes).error().getMessage());
    }

    @Test
    void truncatedLastRecordAsWhenTcpdumpIsKilled() {
        byte[] whole = PcapBuilder.micros().record(1, 0, FRAME).record(2, 0, 74, 74, new byte[74]).bytes();
        byte[] cut = Arrays.copyOf(whole, whole.length - 44);
        Failure f = failure(cut);
        assertEquals(1, f.frames().size());
        assertEquals("truncated record at offset 100: header says 74 bytes, 30 present", f.error().getMessage());
    }

    @Test
    void truncatedRecordHeader() {
        byte[] bytes = PcapBuilder.micros().record(1, 0, FRAME).raw(new byte[5]).bytes();
        Failure f = failure(bytes);
        assertEquals(1, f.frames().size());
        assertEquals("truncated record header at offset 100: 16 bytes needed, 5 present", f.error().getMessage());
    }

    @Test
    void corruptGzipAfterTheHeader() throws IOException {
        byte[] gz = gzip(PcapBuilder.micros().record(1, 0, FRAME).bytes());
        gz[10] = 0x07; // first deflate block header: final, block type 3 (reserved, RFC 1951 3.2.3)
        CaptureFormatException e = failure(gz).error();
        assertEquals("corrupt gzip data at uncompressed offset 0: invalid block type", e.getMessage());
    }

    @Test
    void gzipWithABadTrailer() throws IOException {
        byte[] gz = gzip(PcapBuilder.micros().record(1, 0, FRAME).bytes());
        gz[gz.length - 5] ^= 0x55; // CRC-32 of the trailer
        Failure f = failure(gz);
        assertEquals("corrupt gzip data at uncompressed offset 100: Corrupt GZIP trailer", f.error().getMessage());
    }

    @Test
    void truncatedGzip() throws IOException {
        byte[] gz = gzip(PcapBuilder.micros().record(1, 0, FRAME).bytes());
        Failure f = failure(Arrays.copyOf(gz, gz.length - 10));
        assertEquals(0, f.frames().size());
        assertEquals("corrupt gzip data at uncompressed offset 40: Unexpected end of ZLIB input stream",
                f.error().getMessage());
    }

    @Test
    void gzipHeaderOnlyIsCorrupt() {
        assertEquals("corrupt gzip data at uncompressed offset 0: Unexpected end of ZLIB input stream",
                failure(new byte[] {0x1F, (byte) 0x8B, 8, 0, 0, 0, 0, 0, 0, 3}).error().getMessage());
    }

    @Test
    void emptyGzipIsAnEmptyInput() throws IOException {
        assertEquals("empty input: no capture header at offset 0", failure(gzip(new byte[0])).error().getMessage());
    }

    @Test
    void cutRealCaptureKeepsEveryWholeFrame() throws IOException {
        byte[] real = Files.readAllBytes(Captures.resource("loopback-usec.pcap"));
        Failure f = failure(Arrays.copyOf(real, real.length - 20));
        assertEquals(9, f.frames().size());
        assertEquals("truncated record at offset 791: header says 66 bytes, 46 present", f.error().getMessage());
    }
}
