package dev.finwait.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Cut or mutated captures end in frames and at most one CaptureFormatException: nothing else, never a hang. */
class CaptureReaderFuzzTest {

    /** Reads to the end; returns the frame count, or -1 - count when a format error ended it. */
    private static long read(byte[] bytes) {
        long frames = 0;
        try (FrameSource s = CaptureReaders.open(new ByteArrayInputStream(bytes), "fuzz")) {
            for (Frame f = s.next(); f != null; f = s.next()) {
                frames++;
                assertTrue(f.capturedLength() <= CaptureReaders.MAX_FRAME);
                assertTrue(f.offset() + f.capturedLength() <= f.data().length);
            }
            return frames;
        } catch (CaptureFormatException e) {
            assertTrue(e.getMessage().contains("offset"), e.getMessage());
            return -1 - frames;
        } catch (IOException | RuntimeException e) {
            return fail("unexpected " + e, e);
        }
    }

    @Test
    void everyCutOfAPcapEndsInGoodFramesOrOneFormatError() throws IOException {
        byte[] whole = Files.readAllBytes(Captures.resource("loopback-usec.pcap"));
        assertEquals(10, read(whole));
        for (int cut = 0; cut < whole.length; cut++) {
            long r = read(Arrays.copyOf(whole, cut));
            assertTrue(r < 0 || r <= 10, "cut at " + cut);
        }
    }

    @Test
    void everyCutOfAPcapngEndsInGoodFramesOrOneFormatError() throws IOException {
        byte[] whole = Files.readAllBytes(Captures.resource("loopback.pcapng"));
        assertEquals(10, read(whole));
        for (int cut = 0; cut < whole.length; cut++) {
            read(Arrays.copyOf(whole, cut));
        }
    }

    @Test
    void randomMutationsNeverThrowAnythingElse() throws IOException {
        Random random = new Random(424242);
        for (String name : new String[] {"loopback-usec.pcap", "loopback-nsec.pcap", "loopback.pcapng", "loopback-usec.pcap.gz"}) {
            byte[] whole = Files.readAllBytes(Captures.resource(name));
            for (int round = 0; round < 1_000; round++) {
                byte[] b = whole.clone();
                int flips = 1 + random.nextInt(6);
                for (int i = 0; i < flips; i++) {
                    b[random.nextInt(b.length)] = (byte) random.nextInt(256);
                }
                read(b);
            }
        }
    }
}
