package dev.finwait.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.finwait.AnalysisResult;
import dev.finwait.Analyzer;
import dev.finwait.capture.CaptureReaders;
import dev.finwait.event.AnalysisListener;
import dev.finwait.model.ConnectionReport;
import dev.finwait.tcp.Endpoint;
import dev.finwait.tcp.FlowKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Issue 14: packets and IP bytes per direction ({@code orig_pkts}, {@code orig_ip_bytes}, {@code resp_pkts},
 * {@code resp_ip_bytes}) equal those of every Zeek conn.log baseline in the corpus that prints them. Zeek
 * rows of one 4-tuple are summed first: Zeek splits a connection after its inactivity timeout, we do not.
 */
class ZeekIpBytesTest {

    /** Per 4-tuple, oriented orig first: packets and IP bytes of each direction. */
    record Counts(Endpoint orig, Endpoint resp, long origPkts, long origIpBytes, long respPkts, long respIpBytes) {
        Counts plus(Counts o) {
            return new Counts(orig, resp, origPkts + o.origPkts, origIpBytes + o.origIpBytes, respPkts + o.respPkts,
                    respIpBytes + o.respIpBytes);
        }

        Counts orientedAs(Endpoint newOrig) {
            return newOrig.equals(orig) ? this : new Counts(resp, orig, respPkts, respIpBytes, origPkts, origIpBytes);
        }
    }

    @Test
    void ipBytesAndPacketsEqualZeeksBaselines() throws IOException {
        List<String> differences = new ArrayList<>();
        int compared = 0;
        List<Path> logs;
        try (Stream<Path> s = Files.list(Corpus.root().resolve("oracles/zeek"))) {
            logs = s.filter(p -> p.getFileName().toString().endsWith(".conn.log")).sorted().toList();
        }
        for (Path log : logs) {
            Map<FlowKey, Counts> zeek = zeekCounts(log);
            if (zeek.isEmpty()) {
                continue; // this baseline does not print the IP byte columns
            }
            String name = log.getFileName().toString().replace(".conn.log", "");
            Path capture = Corpus.captures().stream().filter(c -> Corpus.baseName(c).equals(name)).findFirst()
                    .orElseThrow(() -> new AssertionError("no capture for the baseline " + log));
            AnalysisResult result = Analyzer.analyze(CaptureReaders.open(capture),
                    OracleAgreementTest.configFor(capture), AnalysisListener.NONE);
            Map<FlowKey, Counts> ours = new LinkedHashMap<>();
            for (ConnectionReport r : result.connections()) {
                Counts c = new Counts(r.client(), r.server(), r.clientSide().counts().packets(),
                        r.clientSide().counts().ipBytes(), r.serverSide().counts().packets(),
                        r.serverSide().counts().ipBytes());
                ours.merge(FlowKey.of(r.client(), r.server()), c, (a, b) -> a.plus(b.orientedAs(a.orig())));
            }
            for (Map.Entry<FlowKey, Counts> z : zeek.entrySet()) {
                Counts theirs = z.getValue();
                Counts mine = ours.get(z.getKey());
                compared++;
                if (mine == null) {
                    differences.add(name + " " + theirs.orig() + " > " + theirs.resp() + ": not one of our connections");
                } else if (!mine.orientedAs(theirs.orig()).equals(theirs)) {
                    differences.add(name + ": ours " + mine.orientedAs(theirs.orig()) + ", Zeek's " + theirs);
                }
            }
        }
        System.out.println("zeek orig/resp pkts and ip_bytes: " + (compared - differences.size()) + " / " + compared
                + " 4-tuples agree");
        assertEquals("", String.join("\n", differences));
        assertTrue(compared >= 25, "only " + compared + " Zeek connections with IP bytes compared");
    }

    /** The TCP rows of a conn.log with orig_ip_bytes, summed per 4-tuple; empty if the columns are absent. */
    static Map<FlowKey, Counts> zeekCounts(Path log) throws IOException {
        Map<FlowKey, Counts> out = new LinkedHashMap<>();
        List<String> fields = List.of();
        for (String line : Files.readAllLines(log)) {
            if (line.startsWith("#fields\t")) {
                fields = List.of(line.substring("#fields\t".length()).split("\t"));
                if (!fields.contains("orig_ip_bytes")) {
                    return out;
                }
                continue;
            }
            if (line.startsWith("#") || fields.isEmpty()) {
                continue;
            }
            String[] f = line.split("\t", -1);
            if (!f[fields.indexOf("proto")].equals("tcp")) {
                continue;
            }
            Endpoint orig = Endpoint.of(f[fields.indexOf("id.orig_h")], Integer.parseInt(f[fields.indexOf("id.orig_p")]));
            Endpoint resp = Endpoint.of(f[fields.indexOf("id.resp_h")], Integer.parseInt(f[fields.indexOf("id.resp_p")]));
            Counts c = new Counts(orig, resp, Long.parseLong(f[fields.indexOf("orig_pkts")]),
                    Long.parseLong(f[fields.indexOf("orig_ip_bytes")]), Long.parseLong(f[fields.indexOf("resp_pkts")]),
                    Long.parseLong(f[fields.indexOf("resp_ip_bytes")]));
            out.merge(FlowKey.of(orig, resp), c, (a, b) -> a.plus(b.orientedAs(a.orig())));
        }
        return out;
    }
}
