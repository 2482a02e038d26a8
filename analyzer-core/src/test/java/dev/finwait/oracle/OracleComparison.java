package dev.finwait.oracle;

import dev.finwait.model.SideCounts;
import dev.finwait.model.TcpState;
import dev.finwait.tcp.Endpoint;
import dev.finwait.tcp.FlowKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Compares our connections of one capture with every row of its expected answers. Rows are matched to
 * connections by 4-tuple, the k-th row of a 4-tuple to our k-th connection of it (both oracles and we
 * order incarnations by time); Zeek rows printed without a 4-tuple are matched in order. A difference is
 * either listed in the {@link AllowedDifferences} or a failure.
 */
final class OracleComparison {
    static final String TSHARK_SPLIT = "tshark split+counts";
    static final String TSHARK_COMPLETENESS = "tshark completeness";
    static final String ZEEK_STATE = "zeek conn_state";
    static final String ZEEK_HISTORY = "zeek history";
    static final String SURICATA_STATE = "suricata tcp.state";

    /** agreed / allowed / compared per oracle column, in print order. */
    final Map<String, int[]> tally = new LinkedHashMap<>();
    final List<String> failures = new ArrayList<>();
    private final AllowedDifferences allowed;

    OracleComparison(AllowedDifferences allowed) {
        this.allowed = allowed;
        for (String k : List.of(TSHARK_SPLIT, TSHARK_COMPLETENESS, ZEEK_STATE, ZEEK_HISTORY, SURICATA_STATE)) {
            tally.put(k, new int[3]);
        }
    }

    void compareTshark(String capture, List<OurConnection> ours, ExpectedAnswers exp, boolean counts) {
        Map<FlowKey, Integer> seen = new HashMap<>();
        for (ExpectedAnswers.TsharkRow row : exp.tshark()) {
            int k = seen.merge(row.key(), 1, Integer::sum) - 1;
            Optional<OurConnection> c = nth(ours, row.key(), k);
            String conn = row.a() + " > " + row.b() + (k > 0 ? " #" + (k + 1) : "");
            if (counts) {
                String theirs = tsharkCounts(row);
                String mine = c.map(o -> ourCounts(o, row.a())).orElse("no connection");
                check(capture, conn, "counts", TSHARK_SPLIT, mine, theirs);
            }
            check(capture, conn, "completeness", TSHARK_COMPLETENESS,
                    c.map(o -> Integer.toString(o.completeness())).orElse("no connection"),
                    Integer.toString(row.completeness()));
        }
    }

    void compareZeek(String capture, List<OurConnection> ours, ExpectedAnswers exp) {
        Map<FlowKey, Integer> seen = new HashMap<>();
        int unkeyed = 0;
        for (ExpectedAnswers.ZeekRow row : exp.zeek()) {
            Optional<OurConnection> c;
            String conn;
            if (row.key().isPresent()) {
                int k = seen.merge(row.key().get(), 1, Integer::sum) - 1;
                c = nth(ours, row.key().get(), k);
                conn = row.describe() + (k > 0 ? " #" + (k + 1) : "");
            } else {
                int k = unkeyed++;
                c = k < ours.size() ? Optional.of(ours.get(k)) : Optional.empty();
                conn = "-" + (k > 0 ? " #" + (k + 1) : "");
            }
            if (row.connState().isPresent()) {
                check(capture, conn, "conn_state", ZEEK_STATE,
                        c.map(o -> o.zeek().connState()).orElse("no connection"), row.connState().get());
            }
            check(capture, conn, "history", ZEEK_HISTORY,
                    c.map(o -> o.zeek().history()).orElse("no connection"), row.history());
        }
    }

    void compareSuricata(String capture, List<OurConnection> ours, ExpectedAnswers exp) {
        for (ExpectedAnswers.SuricataRow row : exp.suricata()) {
            Optional<OurConnection> c = row.src().isPresent()
                    ? nth(ours, FlowKey.of(row.src().get(), row.dst().orElseThrow()), 0)
                    : ours.size() == 1 ? Optional.of(ours.get(0)) : Optional.empty();
            String conn = row.src().map(s -> s + " > " + row.dst().orElseThrow()).orElse("-");
            check(capture, conn, "tcp.state", SURICATA_STATE,
                    c.filter(o -> o.clientFinal().isPresent()).map(o -> suricataName(o.clientFinal().get(), o.serverFinal().get()))
                            .orElse("no connection"),
                    row.tcpState());
        }
    }

    /**
     * Suricata keeps one state per session (stream-tcp.c), named from the handshake while it runs (a lone
     * SYN is {@code syn_sent}, a SYN-ACK makes it {@code syn_recv}) and from the responder's side once the
     * close starts: the client's FIN puts the session in {@code close_wait}, the server's own FIN in
     * {@code fin_wait1}, the server's FIN after the client's in {@code last_ack}. A RST, and the last ACK
     * of a close, make it {@code closed}. So: our server's final state in Suricata's lower-case names,
     * except a server that never answered a client's SYN, which is {@code syn_sent}.
     */
    static String suricataName(TcpState client, TcpState server) {
        if ((server == TcpState.UNKNOWN || server == TcpState.LISTEN) && client == TcpState.SYN_SENT) {
            return "syn_sent";
        }
        return switch (server) {
            case SYN_RCVD -> "syn_recv";
            case FIN_WAIT_1 -> "fin_wait1";
            case FIN_WAIT_2 -> "fin_wait2";
            case TIME_WAIT, CLOSED -> "closed";
            case UNKNOWN, LISTEN -> "none";
            default -> server.name().toLowerCase(Locale.ROOT);
        };
    }

    private void check(String capture, String conn, String field, String oracle, String ours, String theirs) {
        int[] t = tally.get(oracle);
        t[2]++;
        if (ours.equals(theirs)) {
            t[0]++;
        } else if (allowed.allows(capture, conn, field, ours, theirs)) {
            t[1]++;
        } else {
            failures.add(capture + "\t" + conn + "\t" + field + "\t" + ours + "\t" + theirs);
        }
    }

    String table() {
        StringBuilder sb = new StringBuilder("oracle agreement (agreed / compared, allowed differences)\n");
        tally.forEach((k, t) -> sb.append(String.format(Locale.ROOT, "  %-22s %4d / %-4d  %5.1f%%  allowed %d%n",
                k, t[0], t[2], t[2] == 0 ? 100.0 : 100.0 * t[0] / t[2], t[1])));
        return sb.toString();
    }

    private static Optional<OurConnection> nth(List<OurConnection> ours, FlowKey key, int k) {
        return ours.stream().filter(o -> o.key().equals(key)).skip(k).findFirst();
    }

    private static String tsharkCounts(ExpectedAnswers.TsharkRow r) {
        return "pkts " + r.pktsA() + "/" + r.pktsB() + " syn " + r.synA() + "/" + r.synB() + " synack " + r.synAckA()
                + "/" + r.synAckB() + " fin " + r.finA() + "/" + r.finB() + " rst " + r.rstA() + "/" + r.rstB();
    }

    /** Our counts in tshark's A/B orientation: A is whichever of our client and server sent tshark's first packet. */
    private static String ourCounts(OurConnection o, Endpoint a) {
        boolean clientIsA = o.client().equals(a);
        SideCounts ca = clientIsA ? o.clientCounts() : o.serverCounts();
        SideCounts cb = clientIsA ? o.serverCounts() : o.clientCounts();
        return "pkts " + ca.packets() + "/" + cb.packets() + " syn " + ca.syn() + "/" + cb.syn() + " synack "
                + ca.synAck() + "/" + cb.synAck() + " fin " + ca.fin() + "/" + cb.fin() + " rst " + ca.rst() + "/"
                + cb.rst();
    }
}
