package dev.finwait.capture.live;

import dev.finwait.Fixtures;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.finwait.capture.CaptureReaders;
import dev.finwait.capture.Frame;
import dev.finwait.capture.FrameSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Two independent readings of every corpus and sample capture must agree frame by frame. */
class LibpcapCrossCheckTest {

    static Stream<Path> captures() throws IOException {
        return Stream.concat(Fixtures.corpusCaptures().stream(), Fixtures.sampleCaptures().stream());
    }

    @ParameterizedTest
    @MethodSource("captures")
    void ourReaderAndLibpcapYieldTheSameFrames(Path capture) throws IOException {
        int n = 0;
        try (FrameSource ours = CaptureReaders.open(capture); FrameSource theirs = LibpcapFileSource.open(capture)) {
            for (Frame a = ours.next(); a != null; a = ours.next()) {
                Frame b = theirs.next();
                n++;
                assertTrue(b != null, capture + ": libpcap ended before frame " + a.number());
                assertEquals(a.number(), b.number());
                assertEquals(a.timeNanos(), b.timeNanos(), capture + " frame " + a.number() + " time");
                assertEquals(a.linkType(), b.linkType(), capture + " frame " + a.number() + " link type");
                assertEquals(a.originalLength(), b.originalLength(), capture + " frame " + a.number() + " length");
                assertArrayEquals(Arrays.copyOfRange(a.data(), a.offset(), a.offset() + a.capturedLength()),
                        Arrays.copyOfRange(b.data(), b.offset(), b.offset() + b.capturedLength()),
                        capture + " frame " + a.number() + " bytes");
            }
            assertNull(theirs.next(), capture + ": libpcap has more frames than our reader");
        }
        assertTrue(n > 0);
    }
}
