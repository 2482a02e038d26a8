package dev.finwait.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 14: tcpdump's and tshark's options on files: -r, -c, -w with a filter, -T, -f. */
class TcpdumpHabitsTest {

    @TempDir
    Path dir;

    private static Path sample(String name) {
        return Path.of(System.getProperty("finwait.samples", "../sample-captures")).resolve(name);
    }

    private static String summary(Cli.Result r) {
        return r.outLines().get(r.outLines().size() - 1);
    }

    @Test
    void readOptionIsTheSameAsAFileArgument() {
        String file = sample("write-after-close.pcap").toString();
        Cli.Result positional = Cli.run("-q", file);
        Cli.Result read = Cli.run("-q", "-r", file);
        assertEquals(0, read.code(), read::toString);
        assertEquals(positional.out(), read.out());
    }

    @Test
    void countStopsAfterNFramesThatPassTheFilter() {
        String file = sample("busy.pcap").toString();
        Cli.Result r = Cli.run("-q", "-T", "jsonl", "-c", "7", file);
        assertEquals(0, r.code(), r::toString);
        assertTrue(summary(r).startsWith("{\"type\":\"summary\",\"frames\":7,"), summary(r));
        Cli.Result filtered = Cli.run("-q", "-T", "jsonl", "-c", "2", "-f", "tcp[tcpflags] & tcp-syn != 0", file);
        assertTrue(summary(filtered).startsWith("{\"type\":\"summary\",\"frames\":2,\"tcp_segments\":2,"), summary(filtered));
    }

    /**
     * tcpdump's {@code -r in.pcap -w out.pcap 'filter'}: the frames that pass are written too, and the
     * file reads back to the same analysis as the filtered input (frame numbers aside: they restart).
     */
    @Test
    void writeKeepsTheFramesThatPassed() throws Exception {
        Path out = dir.resolve("resets.pcap");
        String filter = "tcp[tcpflags] & (tcp-rst|tcp-syn) != 0";
        Cli.Result r = Cli.run("-q", "-T", "csv", "-r", sample("busy.pcap").toString(), "-w", out.toString(), "-f", filter);
        assertEquals(0, r.code(), r::toString);
        Cli.Result again = Cli.run("-q", "-T", "csv", out.toString());
        assertEquals(0, again.code(), again::toString);
        assertEquals(r.out(), again.out());
        Cli.Result all = Cli.run("-q", "-T", "jsonl", out.toString());
        Cli.Result expected = Cli.run("-q", "-T", "jsonl", "-f", filter, sample("busy.pcap").toString());
        assertEquals(summary(expected), summary(all));
        Long tcpdump = FilterCountsTest.tcpdumpCount(FilterCountsTest.tcpdump(), out, "");
        assertTrue(summary(all).startsWith("{\"type\":\"summary\",\"frames\":" + tcpdump + ","),
                "tcpdump reads the written file: " + tcpdump + " frames; ours " + summary(all));
    }

    @Test
    void formatOnCapitalTAsInTshark() {
        Cli.Result r = Cli.run("-q", "-T", "zeek", sample("write-after-close.pcap").toString());
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().startsWith("#separator"), r.out());
    }
}
