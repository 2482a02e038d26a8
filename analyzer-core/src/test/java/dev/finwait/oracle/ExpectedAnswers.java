package dev.finwait.oracle;

import dev.finwait.tcp.Endpoint;
import dev.finwait.tcp.FlowKey;
import dev.finwait.tcp.IpAddress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The rows of one {@code expected/<capture>.tsv} (format documented in the corpus' make-expected.sh). */
record ExpectedAnswers(List<ZeekRow> zeek, List<TsharkRow> tshark, List<SuricataRow> suricata) {

    /** Zeek's verdict on one connection; the endpoints and conn_state are empty where the baseline did not print them. */
    record ZeekRow(Optional<Endpoint> orig, Optional<Endpoint> resp, Optional<String> connState, String history) {
        Optional<FlowKey> key() {
            return orig.map(o -> FlowKey.of(o, resp.orElseThrow()));
        }

        String describe() {
            return orig.map(o -> o + " > " + resp.orElseThrow()).orElse("(no 4-tuple in baseline)");
        }
    }

    /** One tshark stream: A sent its first packet. */
    record TsharkRow(int stream, Endpoint a, Endpoint b, long pktsA, long pktsB, int synA, int synAckA, int finA,
                     int rstA, int synB, int synAckB, int finB, int rstB, int completeness) {
        FlowKey key() {
            return FlowKey.of(a, b);
        }
    }

    /** Suricata's final TCP state of one flow; src is the flow's to-server side. */
    record SuricataRow(Optional<Endpoint> src, Optional<Endpoint> dst, String tcpState) {
    }

    static ExpectedAnswers read(Path tsv) {
        List<ZeekRow> zeek = new ArrayList<>();
        List<TsharkRow> tshark = new ArrayList<>();
        List<SuricataRow> suricata = new ArrayList<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(tsv);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String line : lines) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t", -1);
            switch (f[0]) {
                case "zeek" -> zeek.add(new ZeekRow(endpoint(f[1], f[2]), endpoint(f[3], f[4]), cell(f[6]), f[7]));
                case "tshark" -> tshark.add(new TsharkRow(Integer.parseInt(f[1]), endpoint(f[2], f[3]).orElseThrow(),
                        endpoint(f[4], f[5]).orElseThrow(), Long.parseLong(f[6]), Long.parseLong(f[7]),
                        Integer.parseInt(f[8]), Integer.parseInt(f[9]), Integer.parseInt(f[10]), Integer.parseInt(f[11]),
                        Integer.parseInt(f[12]), Integer.parseInt(f[13]), Integer.parseInt(f[14]),
                        Integer.parseInt(f[15]), Integer.parseInt(f[16])));
                case "suricata" -> suricata.add(new SuricataRow(endpoint(f[1], f[2]), endpoint(f[3], f[4]), f[6]));
                default -> throw new IllegalArgumentException(tsv + ": unknown oracle in row: " + line);
            }
        }
        return new ExpectedAnswers(zeek, tshark, suricata);
    }

    private static Optional<String> cell(String s) {
        return s.equals("-") ? Optional.empty() : Optional.of(s);
    }

    private static Optional<Endpoint> endpoint(String ip, String port) {
        if (ip.equals("-") || port.equals("-")) {
            return Optional.empty();
        }
        return Optional.of(new Endpoint(IpAddress.parse(ip), Integer.parseInt(port)));
    }
}
