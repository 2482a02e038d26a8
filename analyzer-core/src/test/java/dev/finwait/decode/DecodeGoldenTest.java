package dev.finwait.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.finwait.capture.CaptureReaders;
import dev.finwait.capture.Frame;
import dev.finwait.capture.FrameSource;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden files: every capture in test resources {@code captures/} decodes to the lines of
 * {@code captures/golden/NAME.decoded.txt} (one per frame: the segment, or the skip / malformed
 * reason). Regenerate with {@code -Dfinwait.regenerate=true} and review the diff; the first
 * versions were checked against {@code tshark -T fields -e tcp.seq_raw -e tcp.ack_raw -e tcp.flags}.
 * Loopback captures show BAD checksums on purpose: Linux leaves them to (absent) offload on lo,
 * and tshark with {@code tcp.check_checksum:TRUE} marks the same frames bad.
 */
class DecodeGoldenTest {
    private static final boolean REGENERATE = Boolean.getBoolean("finwait.regenerate");

    static Path captures() throws URISyntaxException {
        return Path.of(DecodeGoldenTest.class.getResource("/captures").toURI());
    }

    static List<String> decode(Path capture) throws IOException {
        List<String> lines = new ArrayList<>();
        Decoder decoder = new Decoder(true);
        try (FrameSource source = CaptureReaders.open(capture)) {
            for (Frame f = source.next(); f != null; f = source.next()) {
                DecodeResult r = decoder.decode(f);
                lines.add(r instanceof DecodeResult.Decoded d
                        ? d.segment() + " " + d.segment().options() + " " + d.segment().checksum()
                        : "#" + f.number() + " " + r);
            }
        }
        return lines;
    }

    @TestFactory
    Stream<DynamicTest> decodedCapturesMatchTheirGoldenFiles() throws Exception {
        Path dir = captures();
        // Golden files are read from and written to the source tree (surefire runs in the module
        // directory), so a regeneration is visible in the diff without a resource copy in between.
        Path golden = Path.of("src/test/resources/captures/golden");
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        // A capture lost from resources must not quietly drop its check: the golden files name them all.
        if (!REGENERATE) {
            try (Stream<Path> s = Files.list(golden)) {
                assertEquals(s.map(p -> p.getFileName().toString().replace(".decoded.txt", "")).sorted().toList(),
                        files.stream().map(p -> p.getFileName().toString()).toList(), "captures against their golden files");
            }
        }
        return files.stream().map(capture -> DynamicTest.dynamicTest(capture.getFileName().toString(), () -> {
            String name = capture.getFileName().toString() + ".decoded.txt";
            String actual = String.join("\n", decode(capture)) + "\n";
            if (REGENERATE) {
                Files.createDirectories(golden);
                Files.writeString(golden.resolve(name), actual, StandardCharsets.UTF_8);
            }
            assertEquals(Files.readString(golden.resolve(name)), actual);
        }));
    }
}
