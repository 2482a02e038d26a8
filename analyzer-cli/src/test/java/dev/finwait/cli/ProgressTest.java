package dev.finwait.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressTest {

    @Test
    void drawsBytesPercentRateAndEtaOnOneLineThenErasesIt() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Progress p = new Progress(err, 200L << 20);
        p.update(100L << 20, 1_000_000);
        String line = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(line.startsWith("\r[" + "=".repeat(15) + " ".repeat(15) + "]  50% 100 MB"), line);
        assertTrue(line.contains("frames/s") && line.contains("ETA"), line);
        assertTrue(!line.contains("\n"), "redrawn in place: " + line);

        p.update(150L << 20, 1_500_000); // within 200 ms of the last draw: not redrawn
        assertEquals(line, bytes.toString(StandardCharsets.UTF_8));

        p.done();
        assertTrue(bytes.toString(StandardCharsets.UTF_8).endsWith("\r" + " ".repeat(79) + "\r"));
    }

    @Test
    void nothingIsErasedWhenNothingWasDrawn() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new Progress(new PrintStream(bytes, true, StandardCharsets.UTF_8), 1).done();
        assertEquals(0, bytes.size());
    }

    /** Tests run without a terminal: the CLI must stay silent on stderr even for a file over the threshold. */
    @Test
    void noBarWithoutATerminal() {
        Cli.Result r = Cli.run("--format", "jsonl", Corpus.capture("zk-syn-then-rst.pcap").toString());
        assertEquals(0, r.code(), r::toString);
        assertEquals("", r.err());
    }
}
