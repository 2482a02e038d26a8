package dev.finwait.oracle;

import dev.finwait.Fixtures;
import dev.finwait.capture.CaptureReaders;
import dev.finwait.compat.LikelyServerPorts;
import dev.finwait.capture.Frame;
import dev.finwait.capture.FrameSource;
import dev.finwait.decode.DecodeResult;
import dev.finwait.decode.Decoder;
import dev.finwait.tcp.Segment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** The third-party corpus (system property {@code finwait.corpus}) and what the oracles ran with. */
final class Corpus {
    /** The only corpus capture whose Zeek baseline was made without {@code -C}, i.e. with checksums checked. */
    static final String ZEEK_CHECKED_CHECKSUMS = "zk-syn-bad-checksum";

    private Corpus() {
    }

    static Path root() {
        return Fixtures.corpus();
    }

    static List<Path> captures() {
        return Fixtures.corpusCaptures();
    }

    static String baseName(Path capture) {
        String n = capture.getFileName().toString();
        return n.substring(0, n.lastIndexOf('.'));
    }

    static ExpectedAnswers expected(Path capture) {
        return ExpectedAnswers.read(root().resolve("expected").resolve(baseName(capture) + ".tsv"));
    }

    /** Zeek verified checksums only where its baseline was made without {@code -C}. */
    static boolean zeekVerifiedChecksums(Path capture) {
        return baseName(capture).equals(ZEEK_CHECKED_CHECKSUMS);
    }

    /**
     * The {@code likely_server_ports} Zeek's baseline ran with: Zeek's default, except for the reordered
     * handshake, whose btest (core.connection_flipped) says {@code redef likely_server_ports = {}} so that
     * the roles flip on the SYN after its SYN-ACK rather than at the first packet.
     */
    static Set<Integer> zeekLikelyServerPorts(Path capture) {
        return baseName(capture).equals("zk-handshake-reorder") ? Set.of() : LikelyServerPorts.ZEEK_DEFAULT;
    }

    /** A decoded segment and how many of its payload bytes the capture holds. */
    record Captured(Segment segment, int capturedPayload) {
    }

    /** Every TCP segment of the capture, in capture order. */
    static List<Captured> segments(Path capture, boolean verifyChecksums) throws IOException {
        Decoder decoder = new Decoder(verifyChecksums);
        List<Captured> out = new ArrayList<>();
        try (FrameSource src = CaptureReaders.open(capture)) {
            for (Frame f = src.next(); f != null; f = src.next()) {
                if (decoder.decode(f) instanceof DecodeResult.Decoded d) {
                    out.add(new Captured(d.segment(), capturedPayload(f, d.segment())));
                }
            }
        }
        return out;
    }

    /** Payload bytes captured: all of it unless the frame was cut by the snap length, then what the cut left. */
    static int capturedPayload(Frame f, Segment s) {
        int cut = f.originalLength() - f.capturedLength();
        return cut <= 0 ? s.payloadLength() : Math.max(0, s.payloadLength() - cut);
    }
}
