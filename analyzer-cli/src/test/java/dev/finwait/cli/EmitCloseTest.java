package dev.finwait.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** --emit close on files: what live capture writes (connections at their outcome, later changes as updates). */
class EmitCloseTest {
    private static final String REUSE = "../sample-captures/reuse-time-wait.pcap";

    @Test
    void reuseInsideTimeWaitIsAnUpdateOfTheOldConnection() {
        Cli.Result r = Cli.run("-T", "jsonl", "--emit", "close", REUSE);
        assertEquals(0, r.code(), r::toString);
        List<String> types = r.outLines().stream().filter(l -> l.contains("\"id\":"))
                .map(l -> l.substring(0, l.indexOf(",\"client\""))).toList();
        assertEquals(List.of("{\"type\":\"connection\",\"id\":1", "{\"type\":\"connection_update\",\"id\":1",
                "{\"type\":\"connection\",\"id\":2"), types, r::toString);
        assertTrue(r.outLines().get(0).contains("\"ended_by\":\"scheduled\""), r.outLines().get(0));
        assertTrue(r.outLines().get(1).contains("\"ended_by\":\"reuse\""), r.outLines().get(1));
        // the update is the final report: the same line as file mode's default, but for its type
        Cli.Result finished = Cli.run("-T", "jsonl", REUSE);
        assertEquals(finished.outLines().get(0), r.outLines().get(1).replace("connection_update", "connection"));
    }

    @Test
    void aWindowRunningOutIsNoUpdateAndTheTotalsCountEachConnectionOnce() {
        Cli.Result r = Cli.run("--emit", "close", "../sample-captures/close-normal.pcap");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("), open\n"), r.out());
        assertTrue(r.out().contains("\n1 connection: "), r.out());
        assertEquals(Cli.run("../sample-captures/close-normal.pcap").out().lines().filter(l -> l.contains("connection:")).toList(),
                r.out().lines().filter(l -> l.contains("connection:")).toList());
    }

    @Test
    void drawingsRefuseIt() {
        Cli.Result r = Cli.run("-T", "ladder", "--emit", "close", REUSE);
        assertEquals(ExitCode.USAGE.code(), r.code(), r::toString);
        assertTrue(r.err().startsWith("analyze: --emit close applies to the text, jsonl, csv and zeek formats"), r.err());
    }
}
