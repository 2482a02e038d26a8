package dev.finwait.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** `analyze ... | head`: once the output is gone, analyze stops quietly with 141 (as SIGPIPE would end a C tool). */
class OutputClosedTest {
    private static final Path SAMPLES = Fixtures.samples();

    /** A pipe whose reader went away after {@code limit} bytes: every later write fails, as EPIPE does. */
    private static final class ClosedAfter extends OutputStream {
        private final int limit;
        private int written;

        ClosedAfter(int limit) {
            this.limit = limit;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (written + len > limit) {
                throw new IOException("Broken pipe");
            }
            written += len;
        }
    }

    private static int run(OutputStream stdout, ByteArrayOutputStream stderr, String... args) {
        try (PrintStream out = new PrintStream(stdout, false, StandardCharsets.UTF_8);
                PrintStream err = new PrintStream(stderr, true, StandardCharsets.UTF_8)) {
            return Main.run(args, out, err);
        }
    }

    @Test
    void everyFormatAndThreadCountStopsWith141AndNoMessage() {
        String busy = SAMPLES.resolve("busy.pcap").toString();
        for (String format : new String[] {"text", "jsonl", "csv", "zeek", "ladder"}) {
            for (String threads : new String[] {"1", "3"}) {
                ByteArrayOutputStream err = new ByteArrayOutputStream();
                int code = run(new ClosedAfter(100), err, "-q", "--format", format, "--threads", threads, busy);
                assertEquals(141, code, format + " --threads " + threads + ": " + err);
                assertEquals("", err.toString(StandardCharsets.UTF_8), format);
            }
        }
    }

    /** With --shards the writer runs on the merger thread: its failure stops the shards and the reading too. */
    @Test
    void shardedAnalysisStopsWith141AndNoMessage() {
        String busy = SAMPLES.resolve("busy.pcap").toString();
        for (String format : new String[] {"text", "jsonl", "csv", "zeek"}) {
            for (String shards : new String[] {"1", "3"}) {
                ByteArrayOutputStream err = new ByteArrayOutputStream();
                int code = run(new ClosedAfter(100), err, "-q", "--format", format, "--shards", shards, busy);
                assertEquals(141, code, format + " --shards " + shards + ": " + err);
                assertEquals("", err.toString(StandardCharsets.UTF_8), format);
            }
        }
    }

    @Test
    void anOutputThatStaysOpenIsNotMistakenForAClosedOne() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(0, run(out, err, "-q", "--format", "jsonl", SAMPLES.resolve("busy.pcap").toString()));
        assertTrue(out.size() > 0);
    }

    @Test
    void theCommandLineToolStopsWith141WhenHeadExits(@org.junit.jupiter.api.io.TempDir Path dir)
            throws IOException, InterruptedException {
        // The real thing: a JVM of its own (System.out, as `analyze` runs) writing into a pipe that
        // `head -c 1` closes. 20,000 refused connections (10 ms apart, so they finish while the file is
        // read) make 20 MB of JSONL, far more than a pipe holds, so analyze must notice the closed pipe.
        Path capture = java.nio.file.Files.write(dir.resolve("refused.pcap"), refusedConnections(20_000));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String command = "'" + java + "' -cp '" + System.getProperty("java.class.path") + "' dev.finwait.cli.Main -q --format jsonl '"
                + capture + "' | head -c 1 >/dev/null; echo \"${PIPESTATUS[0]}\"";
        Process p = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "analyze | head did not end");
        assertEquals("141", new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());
    }

    /** A pcap of {@code n} SYN / RST+ACK pairs from distinct client ports (Ethernet, IPv4; checksums not set). */
    private static byte[] refusedConnections(int n) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(24 + n * 2 * (16 + 54)).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putInt(0xA1B2C3D4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(1);
        long micros = 1_700_000_000_000_000L;
        for (int i = 0; i < n; i++) {
            int clientPort = 10_000 + i % 50_000;
            int client = 0x0A00_0000 | (i / 50_000 + 1);
            frame(b, micros, client, clientPort, 0xC000_0201, 80, 0x02, 1000, 0);
            frame(b, micros + 100, 0xC000_0201, 80, client, clientPort, 0x14, 0, 1001);
            micros += 10_000;
        }
        return b.array();
    }

    private static void frame(java.nio.ByteBuffer b, long micros, int src, int srcPort, int dst, int dstPort,
                              int flags, int seq, int ack) {
        b.order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt((int) (micros / 1_000_000)).putInt((int) (micros % 1_000_000))
                .putInt(54).putInt(54);
        b.order(java.nio.ByteOrder.BIG_ENDIAN);
        b.put(new byte[12]).putShort((short) 0x0800);                               // Ethernet
        b.put((byte) 0x45).put((byte) 0).putShort((short) 40).putInt(0)
                .put((byte) 64).put((byte) 6).putShort((short) 0).putInt(src).putInt(dst); // IPv4
        b.putShort((short) srcPort).putShort((short) dstPort).putInt(seq).putInt(ack)
                .put((byte) 0x50).put((byte) flags).putShort((short) 65535).putInt(0);     // TCP
    }
}
