package dev.finwait.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 14: the progress bar only on a terminal stderr, never inside report lines, never in a log. */
class ProgressTest {

    @TempDir
    Path dir;

    @Test
    void drawsBytesPercentRateAndEtaOnOneLineThenErasesIt() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        long[] now = {-5_000_000_000L}; // the test's clock (nanoTime may be negative)
        Progress p = new Progress(err, 200L << 20, 100, () -> now[0]);
        now[0] += 1_000_000_000L;
        p.update(100L << 20, 1_000_000);
        String line = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(line.startsWith("\r[" + "=".repeat(15) + " ".repeat(15) + "]  50% 100 MB"), line);
        assertTrue(line.contains("frames/s") && line.contains("ETA"), line);
        assertTrue(!line.contains("\n"), "redrawn in place: " + line);

        now[0] += 199_000_000L;
        p.update(150L << 20, 1_500_000); // within 200 ms of the last draw: not redrawn
        assertEquals(line, bytes.toString(StandardCharsets.UTF_8));

        now[0] += 1_000_000L;
        p.update(150L << 20, 1_500_000); // 200 ms after it: redrawn in place, over the last line
        String both = bytes.toString(StandardCharsets.UTF_8);
        String again = both.substring(line.length());
        assertTrue(again.startsWith("\r[" + "=".repeat(22) + " ".repeat(8) + "]  75% 150 MB"), again);
        assertTrue(!again.contains("\n"), "redrawn in place: " + again);

        p.done();
        String shown = again.substring(1);
        assertTrue(bytes.toString(StandardCharsets.UTF_8).endsWith("\r" + " ".repeat(shown.length()) + "\r"));
    }

    @Test
    void neverWiderThanTheTerminal() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Progress p = new Progress(new PrintStream(bytes, true, StandardCharsets.UTF_8), 200L << 20, 40);
        p.update(100L << 20, 1_000_000);
        String drawn = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(drawn.startsWith("\r["), drawn);
        assertEquals(39, drawn.length() - 1, "one column short of 40: " + drawn);
    }

    @Test
    void nothingIsErasedWhenNothingWasDrawn() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new Progress(new PrintStream(bytes, true, StandardCharsets.UTF_8), 1, 100).done();
        assertEquals(0, bytes.size());
    }

    /**
     * stdout and stderr on one terminal (one stream here, as the screen sees them): the bar is erased
     * before report lines are written, only whole lines pass, and the bar comes back after them.
     */
    @Test
    void onTheSameTerminalTheBarIsErasedBeforeEveryReportLine() throws IOException {
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        PrintStream shared = new PrintStream(screen, true, StandardCharsets.UTF_8);
        Progress p = new Progress(shared, 100, 100);
        OutputStream gate = new LineGate(shared, p);
        p.update(10, 1);
        String bar = screen.toString(StandardCharsets.UTF_8).substring(1);
        gate.write("#1 first line\n#2 half a l".getBytes(StandardCharsets.UTF_8));
        String erase = "\r" + " ".repeat(bar.length()) + "\r";
        assertEquals("\r" + bar + erase + "#1 first line\n", screen.toString(StandardCharsets.UTF_8),
                "erased, then whole lines only");
        gate.write("ine\n".getBytes(StandardCharsets.UTF_8));
        assertTrue(screen.toString(StandardCharsets.UTF_8).endsWith("#1 first line\n#2 half a line\n"), screen::toString);
        gate.write("#3 no end".getBytes(StandardCharsets.UTF_8));
        gate.flush(); // the end of the report: the rest goes out
        assertTrue(screen.toString(StandardCharsets.UTF_8).endsWith("#2 half a line\n#3 no end"), screen::toString);
    }

    @Test
    void terminalDevicesAndWidth() {
        assertTrue(Terminal.isTerminalDevice("/dev/pts/3"));
        assertTrue(Terminal.isTerminalDevice("/dev/tty1"));
        assertFalse(Terminal.isTerminalDevice("/dev/null"));
        assertFalse(Terminal.isTerminalDevice("pipe:[12345]"));
        assertFalse(Terminal.isTerminalDevice("/home/me/err.log"));
        assertFalse(Terminal.isTerminalDevice(null));
        assertEquals(132, Terminal.columnsFrom("132", "80"), "the launcher's property first");
        assertEquals(80, Terminal.columnsFrom(null, "80"));
        assertEquals(80, Terminal.columnsFrom("wide", "80"));
        assertEquals(100, Terminal.columnsFrom(null, null));
        assertEquals(100, Terminal.columnsFrom("0", ""));
    }

    /** A readable capture over the 50 MB threshold: 5,000 frames of 10.6 KB (not TCP: fast to read); progress is reported every 4,096 frames. */
    private Path bigCapture() throws IOException {
        Path f = dir.resolve("big.pcap");
        int frame = 10_600;
        try (OutputStream out = Files.newOutputStream(f)) {
            ByteBuffer h = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
            h.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(frame).putInt(1);
            out.write(h.array());
            byte[] record = new byte[16 + frame];
            for (int i = 0; i < 5_000; i++) {
                ByteBuffer.wrap(record, 0, 16).order(ByteOrder.LITTLE_ENDIAN).putInt(1_700_000_000 + i).putInt(0)
                        .putInt(frame).putInt(frame);
                out.write(record);
            }
        }
        assertTrue(Files.size(f) > Progress.THRESHOLD_BYTES);
        return f;
    }

    private static Cli.Result run(Terminal t, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = Main.run(args, o, e, () -> t);
        }
        return new Cli.Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aBigFileShowsTheBarOnlyWhenStderrIsATerminal() throws IOException {
        String big = bigCapture().toString();
        Cli.Result log = run(new Terminal(true, false, false), big); // 2>err.log, stdout on the terminal
        assertEquals(0, log.code(), log::toString);
        assertEquals("", log.err(), "nothing in a redirected log");

        Cli.Result bar = run(new Terminal(false, true, false), big); // > out.txt, stderr on the terminal
        assertEquals(0, bar.code(), bar::toString);
        assertTrue(bar.err().startsWith("\r[") && bar.err().contains("frames/s"), bar::toString);
        assertTrue(bar.err().endsWith("\r"), "erased at the end: " + bar.err());
        assertFalse(bar.out().contains("\r"), "the report file is clean");
        assertEquals(log.out(), bar.out());

        Cli.Result quiet = run(new Terminal(true, true, true), "-q", big);
        assertEquals("", quiet.err());
    }

    /** Tests run without a terminal: the CLI stays silent on stderr. */
    @Test
    void noBarWithoutATerminal() {
        Cli.Result r = Cli.run("--format", "jsonl", Corpus.capture("zk-syn-then-rst.pcap").toString());
        assertEquals(0, r.code(), r::toString);
        assertEquals("", r.err());
    }
}
