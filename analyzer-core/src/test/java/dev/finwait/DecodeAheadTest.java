package dev.finwait;
import dev.finwait.model.AnalyzerConfig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.finwait.bench.CaptureGenerator;
import dev.finwait.capture.CaptureFormatException;
import dev.finwait.capture.CaptureReaders;
import dev.finwait.capture.FrameSource;
import dev.finwait.event.AnalysisListener;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Reading on a second thread and reporting on a third give exactly the single-threaded result, errors included. */
class DecodeAheadTest {

    /** The result of one read, and the message of the exception that ended it (null when none). */
    private record Run(AnalysisResult result, String error, List<Long> progressFrames) {
    }

    private static Run run(byte[] capture, int threads, AnalyzerConfig config) throws IOException {
        Analyzer analyzer = new Analyzer(config, AnalysisListener.NONE);
        List<Long> progress = new ArrayList<>();
        String error = null;
        try (FrameSource source = CaptureReaders.open(new ByteArrayInputStream(capture), "test")) {
            analyzer.readAll(source, threads, (offset, frames) -> progress.add(frames));
        } catch (CaptureFormatException e) {
            error = e.getMessage();
            analyzer.inputError(new dev.finwait.model.InputError(error, e.offset()));
        }
        return new Run(analyzer.finish(), error, progress);
    }

    private static void assertSameEitherWay(byte[] capture, AnalyzerConfig config) throws IOException {
        Run one = run(capture, 1, config);
        for (int threads = 2; threads <= 3; threads++) {
            Run more = run(capture, threads, config);
            assertEquals(one.error(), more.error());
            assertEquals(one.result().summary(), more.result().summary());
            assertEquals(one.result().connections(), more.result().connections());
        }
    }

    static Stream<Path> captures() throws IOException {
        List<Path> all = new ArrayList<>(Fixtures.sampleCaptures());
        all.addAll(Fixtures.corpusCaptures());
        return all.stream().sorted();
    }

    @ParameterizedTest
    @MethodSource("captures")
    void sampleAndCorpusCapturesGiveTheSameResult(Path capture) throws IOException {
        assertSameEitherWay(Files.readAllBytes(capture), AnalyzerConfig.defaults());
    }

    @Test
    void manyBatchesOfAGeneratedCaptureGiveTheSameResult() throws IOException {
        byte[] pcap = generated(3_000);
        assertSameEitherWay(pcap, AnalyzerConfig.defaults());
        assertSameEitherWay(pcap, AnalyzerConfig.defaults().withVerifyChecksums(true).withSkipBadChecksums(true));
        Run two = run(pcap, 3, AnalyzerConfig.defaults());
        assertEquals(3_000, two.result().connections().size());
        // Told about every 4096 frames, in order.
        long frames = two.result().summary().frames();
        assertEquals(frames / 4096, two.progressFrames().size(), "progress calls for " + frames + " frames");
        List<Long> sorted = new ArrayList<>(two.progressFrames());
        sorted.sort(null);
        assertEquals(sorted, two.progressFrames());
    }

    @Test
    void aTruncatedCaptureEndsWithTheSameErrorAfterTheSameFrames() throws IOException {
        byte[] pcap = generated(500);
        for (int cut : new int[] {pcap.length / 3, pcap.length / 2 + 7, pcap.length - 5}) {
            byte[] truncated = Arrays.copyOf(pcap, cut);
            Run two = run(truncated, 3, AnalyzerConfig.defaults());
            assertTrue(two.error() != null && two.error().contains("offset"), two.error());
            assertSameEitherWay(truncated, AnalyzerConfig.defaults());
        }
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {2, 3})
    void aFailingListenerStopsTheOtherThreads(int threads) throws IOException, InterruptedException {
        byte[] pcap = generated(2_000);
        IllegalStateException boom = new IllegalStateException("output went away");
        // A short TIME_WAIT, so that connections finish (and the listener throws) while frames are still read.
        Analyzer analyzer = new Analyzer(AnalyzerConfig.defaults().withRetainConnections(false)
                .withTimeWait(java.time.Duration.ofMillis(100)),
                AnalysisListener.onConnections(r -> {
                    throw boom;
                }));
        try (FrameSource source = CaptureReaders.open(new ByteArrayInputStream(pcap), "test")) {
            // With a report thread the listener's exception may surface while reading or, when that
            // thread lags behind (a loaded machine), only when finish() waits for it: either is right.
            IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> {
                analyzer.readAll(source, threads, dev.finwait.capture.ReadProgress.NONE);
                analyzer.finish();
            });
            assertSame(boom, thrown);
        }
        long deadline = System.nanoTime() + 60_000_000_000L; // they end at once; a loaded machine may be slow to run them
        while ((threadAlive("finwait-decode") || threadAlive("finwait-report")) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertFalse(threadAlive("finwait-decode"), "the finwait-decode thread still runs");
        assertFalse(threadAlive("finwait-report"), "the finwait-report thread still runs");
    }

    @Test
    void anEmptyCaptureEndsCleanly() throws IOException {
        byte[] header = Arrays.copyOf(generated(1), 24);
        Run two = run(header, 3, AnalyzerConfig.defaults());
        assertNull(two.error());
        assertEquals(0, two.result().summary().frames());
    }

    private static boolean threadAlive(String name) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(name));
    }

    private static byte[] generated(int connections) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CaptureGenerator.write(out, Long.MAX_VALUE, connections, 11, CaptureGenerator.DEFAULT_RATE,
                CaptureGenerator.ETHERNET_MSS);
        return out.toByteArray();
    }
}
