package dev.finwait.capture;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Test helpers: the capture resources, and reading everything from a source. */
final class Captures {
    private Captures() {
    }

    static Path resource(String name) {
        try {
            return Path.of(Captures.class.getResource("/captures/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every frame, copied (the reader reuses its buffer). */
    static List<Frame> readAll(FrameSource source) throws IOException {
        List<Frame> frames = new ArrayList<>();
        try (source) {
            for (Frame f = source.next(); f != null; f = source.next()) {
                frames.add(f.copy());
            }
        }
        return frames;
    }

    static List<Frame> readAll(byte[] bytes) throws IOException {
        return readAll(CaptureReaders.open(new ByteArrayInputStream(bytes), "test"));
    }

    /** What a reader gives before failing: the good frames, then the exception. */
    record Failure(List<Frame> frames, CaptureFormatException error) {
    }

    static Failure failure(byte[] bytes) {
        List<Frame> frames = new ArrayList<>();
        CaptureFormatException e = assertThrows(CaptureFormatException.class, () -> {
            try (FrameSource source = CaptureReaders.open(new ByteArrayInputStream(bytes), "test")) {
                for (Frame f = source.next(); f != null; f = source.next()) {
                    frames.add(f.copy());
                }
            } catch (IOException io) {
                throw new UncheckedIOException(io);
            }
        });
        return new Failure(frames, e);
    }
}
