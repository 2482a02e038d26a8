package dev.finwait.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input and bad command lines: the documented exit code, one plain line on stderr, no stack trace. */
class ErrorExitCodesTest {

    @TempDir
    Path dir;

    /** One line that starts with "analyze: " and is not a Java stack trace or exception name. */
    private static String assertOneLineError(Cli.Result r) {
        List<String> lines = r.errLines();
        assertEquals(1, lines.size(), r::toString);
        assertPlainErrors(r);
        return lines.get(0);
    }

    private static void assertPlainErrors(Cli.Result r) {
        assertTrue(r.err().startsWith("analyze: "), r::toString);
        assertFalse(r.err().contains("at dev."), r::toString);
        assertFalse(r.err().contains("\tat "), r::toString);
        assertFalse(r.err().contains("Exception"), r::toString);
    }

    @Test
    void missingFileIsUnreadableInput() {
        String missing = dir.resolve("no-such.pcap").toString();
        Cli.Result r = Cli.run(missing);
        assertEquals(3, r.code(), r::toString);
        assertEquals("analyze: " + missing + ": no such file", assertOneLineError(r));
        assertEquals("", r.out());
    }

    @Test
    void directoryIsUnreadableInput() {
        Cli.Result r = Cli.run(dir.toString());
        assertEquals(3, r.code(), r::toString);
        assertEquals("analyze: " + dir + ": is a directory", assertOneLineError(r));
        assertEquals("", r.out());
    }

    @Test
    void textFileIsNotACapture() throws IOException {
        Path text = Files.writeString(dir.resolve("notes.txt"), "these are notes, not packets\n");
        Cli.Result r = Cli.run(text.toString());
        assertEquals(3, r.code(), r::toString);
        String line = assertOneLineError(r);
        assertTrue(line.startsWith("analyze: " + text + ": "), line);
        assertTrue(line.contains("not a capture"), line);
        assertEquals("", r.out());
    }

    @Test
    void emptyFileIsUnreadableInput() throws IOException {
        Path empty = Files.write(dir.resolve("empty.pcap"), new byte[0]);
        Cli.Result r = Cli.run(empty.toString());
        assertEquals(3, r.code(), r::toString);
        assertTrue(assertOneLineError(r).startsWith("analyze: " + empty + ": "));
    }

    @Test
    void captureWithNoFramesIsFine() throws IOException {
        Path header = Files.write(dir.resolve("header-only.pcap"), pcapHeader());
        Cli.Result r = Cli.run("-q", header.toString());
        assertEquals(0, r.code(), r::toString);
        assertEquals("", r.err());
        assertTrue(r.out().contains("0 connections"), r.out());
    }

    /** The first record is cut: nothing was readable, so it is unreadable input, not partial. */
    @Test
    void firstRecordTruncatedIsUnreadableInput() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(24 + 16 + 10).order(ByteOrder.LITTLE_ENDIAN);
        b.put(pcapHeader());
        b.putInt(1_000_000_000).putInt(0).putInt(60).putInt(60); // ts, caplen 60, len 60 ...
        b.put(new byte[10]); // ... but only 10 bytes follow
        Path cut = Files.write(dir.resolve("cut.pcap"), b.array());
        Cli.Result r = Cli.run("-q", cut.toString());
        assertEquals(3, r.code(), r::toString);
        String line = assertOneLineError(r);
        assertTrue(line.contains("offset 24"), line);
    }

    /**
     * The last record cut in half: exit 1, the analysis of every frame before it on stdout (the same as
     * for a file that simply ends there), one line on stderr with the offset of the cut record.
     */
    @Test
    void truncatedLastRecordIsPartialInput() throws IOException {
        byte[] whole = Files.readAllBytes(Corpus.capture("zk-vlan-mpls-mixed.pcap"));
        long[] last = lastRecord(whole);
        int offset = (int) last[0];
        int caplen = (int) last[1];
        Path cut = Files.write(dir.resolve("cut.pcap"), Arrays.copyOf(whole, offset + 16 + caplen / 2));
        Path clean = Files.write(dir.resolve("clean.pcap"), Arrays.copyOf(whole, offset));

        Cli.Result r = Cli.run("-q", cut.toString());
        assertEquals(1, r.code(), r::toString);
        String line = assertOneLineError(r);
        assertTrue(line.startsWith("analyze: " + cut + ": "), line);
        assertTrue(line.contains("offset " + offset), "names the offset " + offset + ": " + line);

        Cli.Result reference = Cli.run("-q", clean.toString());
        assertEquals(0, reference.code(), reference::toString);
        List<String> partial = r.outLines().stream().filter(l -> !l.startsWith("input ended early")).toList();
        assertEquals(reference.outLines(), partial, "the readable part is analyzed as if the file ended there");
        assertTrue(r.out().contains("3 connections"), r.out());
        assertTrue(r.outLines().stream().anyMatch(l -> l.startsWith("input ended early") && l.contains("offset " + offset)),
                "the report says the input ended early: " + r.out());

        Cli.Result jsonl = Cli.run("-q", "--format", "jsonl", cut.toString());
        assertEquals(1, jsonl.code());
        String summary = jsonl.outLines().get(jsonl.outLines().size() - 1);
        assertTrue(summary.startsWith("{\"type\":\"summary\"") && summary.contains("offset " + offset), summary);
    }

    @Test
    void unknownOptionIsAUsageError() {
        Cli.Result r = Cli.run("--no-such-option", Corpus.capture("zk-syn-then-rst.pcap").toString());
        assertEquals(2, r.code(), r::toString);
        assertPlainErrors(r);
        assertTrue(r.errLines().get(0).contains("'--no-such-option'"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void unknownFormatIsAUsageError() {
        Cli.Result r = Cli.run("--format", "nope", Corpus.capture("zk-syn-then-rst.pcap").toString());
        assertEquals(2, r.code(), r::toString);
        assertPlainErrors(r);
        assertTrue(r.errLines().get(0).contains("'nope'"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void badDurationIsAUsageError() {
        Cli.Result r = Cli.run("--interface", "lo", "--duration", "soon");
        assertEquals(2, r.code(), r::toString);
        assertPlainErrors(r);
    }

    @Test
    void badBufferSizeIsAUsageError() {
        Cli.Result r = Cli.run("--interface", "lo", "--buffer-size", "lots");
        assertEquals(2, r.code(), r::toString);
        assertPlainErrors(r);
        assertTrue(r.errLines().get(0).contains("'lots' is not a size"), r.err());
    }

    /** A readable file whose link type we cannot decode: one line naming it, exit 3, the (empty) summary printed. */
    @Test
    void unsupportedLinkTypeIsNamedAndExits3() throws IOException {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(24 + 2 * 20).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(147);
        for (int i = 0; i < 2; i++) {
            b.putInt(1).putInt(0).putInt(4).putInt(4).putInt(0x61626364);
        }
        Path file = dir.resolve("user0.pcap");
        Files.write(file, b.array());
        Cli.Result r = Cli.run(file.toString());
        assertEquals(3, r.code(), r::toString);
        assertEquals("analyze: " + file + ": link type 147 not supported (2 frames skipped)", assertOneLineError(r));
        assertTrue(r.out().contains("2 frames, 0 TCP segments"), r.out());
    }

    @Test
    void portOutOfRangeIsAUsageError() {
        Cli.Result r = Cli.run("--port", "99999", Corpus.capture("zk-syn-then-rst.pcap").toString());
        assertEquals(2, r.code(), r::toString);
        assertEquals("analyze: --port must be between 0 and 65535, not 99999", assertOneLineError(r));
    }

    @Test
    void narrowLadderIsAUsageError() {
        Cli.Result r = Cli.run("--format", "ladder", "--width", "0", Corpus.capture("zk-syn-then-rst.pcap").toString());
        assertEquals(2, r.code(), r::toString);
        assertTrue(assertOneLineError(r).startsWith("analyze: --width must be at least 60 columns"), r.err());
    }

    /** Found by this test: AnalyzerConfig's IllegalArgumentException used to surface as exit 70. */
    @Test
    void zeroIdleTimeoutIsAUsageError() {
        Cli.Result r = Cli.run("--idle-timeout", "0s", Corpus.capture("zk-syn-then-rst.pcap").toString());
        assertEquals(2, r.code(), r::toString);
        assertEquals("analyze: --idle-timeout must be longer than 0", assertOneLineError(r));
        assertEquals("", r.out());
    }

    @Test
    void zeroTimeWaitIsAllowed() {
        Cli.Result r = Cli.run("-q", "--time-wait", "0s", Corpus.capture("zk-miss-end-data.pcap").toString());
        assertEquals(0, r.code(), r::toString);
        assertEquals("", r.err());
    }

    @Test
    void noInputIsAUsageError() {
        Cli.Result r = Cli.run();
        assertEquals(2, r.code(), r::toString);
        assertPlainErrors(r);
    }

    @Test
    void filesAndInterfaceTogetherIsAUsageError() {
        Cli.Result r = Cli.run("--interface", "lo", Corpus.capture("zk-syn-then-rst.pcap").toString());
        assertEquals(2, r.code(), r::toString);
        assertOneLineError(r);
    }

    @Test
    void noSuchInterface() {
        Cli.Result r = Cli.run("--interface", "no-such-if0", "--duration", "1s");
        if (Cli.runningAsRoot()) {
            assertEquals(5, r.code(), r::toString);
        } else {
            assertTrue(r.code() == 4 || r.code() == 5, r::toString);
        }
        assertTrue(assertOneLineError(r).contains("no-such-if0"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void helpPrintsUsageAndExitCodes() {
        Cli.Result r = Cli.run("--help");
        assertEquals(0, r.code(), r::toString);
        assertEquals("", r.err());
        assertTrue(r.out().startsWith("Usage: analyze"), r.out());
        assertTrue(r.out().contains("--format") && r.out().contains("Exit codes:"), r.out());
    }

    @Test
    void versionPrintsOneLine() {
        Cli.Result r = Cli.run("--version");
        assertEquals(0, r.code(), r::toString);
        assertEquals("", r.err());
        assertEquals(1, r.outLines().size(), r.out());
        assertTrue(r.out().startsWith("analyze (finwait) "), r.out());
    }

    /** Issue 14: every bad value is one line with the valid choices, exit 2, no Java names. */
    @Test
    void badOnlyKindListsTheKinds() {
        Cli.Result r = Cli.run("--only", "rst", Corpus.capture("zk-syn-then-rst.pcap").toString());
        assertEquals(2, r.code(), r::toString);
        assertEquals("analyze: --only: 'rst' is not a kind (valid: reset, half-close, time-wait, refused, open, reuse)",
                assertOneLineError(r));
        assertFalse(r.err().contains("java") || r.err().contains("Only"), r::toString);
    }

    @Test
    void badFormatListsTheFormats() {
        Cli.Result r = Cli.run("-T", "pdml", Corpus.capture("zk-syn-then-rst.pcap").toString());
        assertEquals(2, r.code(), r::toString);
        assertTrue(assertOneLineError(r).startsWith("analyze: --format: 'pdml' is not a format (valid: text, ladder, jsonl, csv, zeek"),
                r::toString);
    }

    @Test
    void badReaderListsTheReaders() {
        Cli.Result r = Cli.run("--reader", "tshark", Corpus.capture("zk-syn-then-rst.pcap").toString());
        assertEquals(2, r.code(), r::toString);
        assertEquals("analyze: --reader: 'tshark' is not a reader (valid: java, libpcap)", assertOneLineError(r));
    }

    @Test
    void badTableAndEmitListTheirChoicesInLowerCase() {
        Cli.Result by = Cli.run("--by", "port", Corpus.capture("zk-syn-then-rst.pcap").toString());
        assertEquals(2, by.code(), by::toString);
        assertEquals("analyze: --by: 'port' is not a table (valid: service, host)", assertOneLineError(by));
        Cli.Result emit = Cli.run("--emit", "now", Corpus.capture("zk-syn-then-rst.pcap").toString());
        assertEquals(2, emit.code(), emit::toString);
        assertEquals("analyze: --emit: 'now' is not a choice (valid: close, finish)", assertOneLineError(emit));
    }

    @Test
    void notANumberSaysSoWithoutJavaTypeNames() {
        for (String option : List.of("--port", "--connection", "--count", "--threads", "--width")) {
            Cli.Result r = Cli.run(option, "ten", Corpus.capture("zk-syn-then-rst.pcap").toString());
            assertEquals(2, r.code(), r::toString);
            assertEquals("analyze: " + option + ": 'ten' is not a whole number", assertOneLineError(r));
        }
    }

    @Test
    void hugeDurationIsRefusedNotOverflowed() {
        Cli.Result r = Cli.run("--time-wait", "999999999999h", Corpus.capture("zk-syn-then-rst.pcap").toString());
        assertEquals(2, r.code(), r::toString);
        assertEquals("analyze: --time-wait: '999999999999h' is too long (at most 8760h, a year)", assertOneLineError(r));
    }

    @Test
    void unknownOptionIsOneLinePointingToHelp() {
        Cli.Result r = Cli.run("-x", Corpus.capture("zk-syn-then-rst.pcap").toString());
        assertEquals(2, r.code(), r::toString);
        assertEquals("analyze: Unknown option: '-x' (see analyze --help)", assertOneLineError(r));
    }

    /** Options that cannot apply are refused, never ignored. */
    @Test
    void liveOnlyOptionsWithAFileAreUsageErrors() {
        String file = Corpus.capture("zk-syn-then-rst.pcap").toString();
        for (List<String> args : List.of(List.of("--duration", "5s"), List.of("-s", "0"), List.of("--snaplen", "100"),
                List.of("--buffer-size", "64m"), List.of("--promiscuous"))) {
            List<String> all = new java.util.ArrayList<>(args);
            all.add(file);
            Cli.Result r = Cli.run(all.toArray(String[]::new));
            assertEquals(2, r.code(), r::toString);
            assertTrue(assertOneLineError(r).contains("applies to live capture (--interface) only"), r::toString);
            assertEquals("", r.out());
        }
    }

    @Test
    void fileOnlyOptionsWithAnInterfaceAreUsageErrors() {
        for (List<String> args : List.of(List.of("--threads", "1"), List.of("--reader", "libpcap"))) {
            List<String> all = new java.util.ArrayList<>(List.of("-i", "lo"));
            all.addAll(args);
            Cli.Result r = Cli.run(all.toArray(String[]::new));
            assertEquals(2, r.code(), r::toString);
            assertTrue(assertOneLineError(r).contains("applies to capture files only"), r::toString);
        }
    }

    @Test
    void snaplenOutOfRangeNamesTheRange() {
        Cli.Result r = Cli.run("-i", "lo", "-s", "-1");
        assertEquals(2, r.code(), r::toString);
        assertEquals("analyze: --snaplen must be between 1 and 262144, or 0 for the maximum, not -1", assertOneLineError(r));
    }

    @Test
    void countMustBePositive() {
        Cli.Result r = Cli.run("-c", "0", Corpus.capture("zk-syn-then-rst.pcap").toString());
        assertEquals(2, r.code(), r::toString);
        assertEquals("analyze: --count must be 1 or more, not 0", assertOneLineError(r));
    }

    @Test
    void writeToStandardOutputIsRefused() {
        Cli.Result r = Cli.run("-w", "-", Corpus.capture("zk-syn-then-rst.pcap").toString());
        assertEquals(2, r.code(), r::toString);
        assertTrue(assertOneLineError(r).startsWith("analyze: --write -: "), r::toString);
    }

    @Test
    void writeOverTheInputIsRefused() throws IOException {
        Path copy = Files.copy(Corpus.capture("zk-syn-then-rst.pcap"), dir.resolve("in.pcap"));
        Cli.Result r = Cli.run("-w", copy.toString(), copy.toString());
        assertEquals(2, r.code(), r::toString);
        assertTrue(assertOneLineError(r).contains("would overwrite the input"), r::toString);
        assertEquals(Files.size(Corpus.capture("zk-syn-then-rst.pcap")), Files.size(copy));
    }

    @Test
    void writeIntoAMissingDirectoryIsAUsageError() {
        Cli.Result r = Cli.run("-w", dir.resolve("no/such/out.pcap").toString(), Corpus.capture("zk-syn-then-rst.pcap").toString());
        assertEquals(2, r.code(), r::toString);
        assertTrue(assertOneLineError(r).startsWith("analyze: --write: cannot create "), r::toString);
        assertEquals("", r.out());
    }

    @Test
    void badFilterIsAUsageErrorWithLibpcapsReason() {
        Cli.Result r = Cli.run("-f", "tcp port", Corpus.capture("zk-syn-then-rst.pcap").toString());
        assertEquals(2, r.code(), r::toString);
        assertEquals("analyze: bad capture filter 'tcp port': can't parse filter expression: syntax error", assertOneLineError(r));
        assertEquals("", r.out());
    }

    /** The filter compiles for Ethernet but not for this file's link type (Linux cooked capture). */
    @Test
    void filterThatDoesNotFitTheLinkTypeIsAUsageError() {
        Cli.Result r = Cli.run("-f", "ether host 1:2:3:4:5:6", Corpus.capture("td-sll-resp-inline.pcap").toString());
        assertEquals(2, r.code(), r::toString);
        assertTrue(assertOneLineError(r).startsWith("analyze: bad capture filter 'ether host 1:2:3:4:5:6' for link type 113: "),
                r::toString);
        assertEquals("", r.out(), "no totals that would look like an analysis");
    }

    /** The form the text output prints an IPv6 address in is accepted back. */
    @Test
    void bracketedIpv6HostIsAccepted() {
        Path samples = Path.of(System.getProperty("finwait.samples", "../sample-captures"));
        Cli.Result r = Cli.run("-q", "--host", "[::1]", samples.resolve("ipv6-close-normal.pcap").toString());
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().startsWith("#1 ") && r.out().contains("[::1]:"), r.out());
        Cli.Result bad = Cli.run("--host", "[nope]", samples.resolve("ipv6-close-normal.pcap").toString());
        assertEquals(2, bad.code(), bad::toString);
        assertEquals("analyze: --host: '[nope]' is not an IP address (e.g. 10.0.0.1, 2001:db8::1 or [2001:db8::1])",
                assertOneLineError(bad));
    }

    /** With several files, the file at fault is named once (the merged reader already names it). */
    @Test
    void severalFilesNameTheBadOneOnce() throws IOException {
        Path good = Corpus.capture("zk-syn-then-rst.pcap");
        Path text = Files.writeString(dir.resolve("notes.txt"), "not a capture\n");
        Cli.Result r = Cli.run("-q", good.toString(), text.toString());
        assertEquals(3, r.code(), r::toString);
        String line = assertOneLineError(r);
        assertTrue(line.startsWith("analyze: " + text + ": "), line);
        assertEquals(line.indexOf(text.toString()), line.lastIndexOf(text.toString()), line);
        assertFalse(line.contains(good.toString()), line);
    }

    /** A classic pcap global header: little-endian, microseconds, snaplen 65535, Ethernet. */
    private static byte[] pcapHeader() {
        return ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0)
                .putInt(65535).putInt(1).array();
    }

    /** {offset, captured length} of the last record of a classic pcap file (either byte order). */
    private static long[] lastRecord(byte[] pcap) {
        ByteBuffer b = ByteBuffer.wrap(pcap).order(ByteOrder.LITTLE_ENDIAN);
        int magic = b.getInt(0);
        if (magic != 0xa1b2c3d4 && magic != 0xa1b23c4d) {
            b.order(ByteOrder.BIG_ENDIAN);
        }
        int offset = 24;
        long[] last = null;
        while (offset + 16 <= pcap.length) {
            int caplen = b.getInt(offset + 8);
            last = new long[] {offset, caplen};
            offset += 16 + caplen;
        }
        assertEquals(pcap.length, offset, "the corpus file ends on a record boundary");
        assertTrue(last != null && last[1] >= 2, "a last record worth cutting");
        return last;
    }
}
