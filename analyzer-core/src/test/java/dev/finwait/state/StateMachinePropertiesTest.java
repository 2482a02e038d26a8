package dev.finwait.state;
import dev.finwait.model.TcpState;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.finwait.model.AnalyzerConfig;
import dev.finwait.Script;
import dev.finwait.model.ConnectionReport;
import dev.finwait.model.Side;
import dev.finwait.model.Transition;
import dev.finwait.tcp.Segment;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Invariants over random conversations built from the DSL's moves. */
class StateMachinePropertiesTest {

    enum Move { DATA_C, DATA_S, ACK_C, ACK_S, FIN_C, FIN_S, RST_C, RST_S, RETRANSMIT }

    @Provide
    Arbitrary<List<Move>> moves() {
        return Arbitraries.of(Move.class).list().ofMinSize(0).ofMaxSize(14);
    }

    private static List<Segment> build(List<Move> moves, boolean handshake) {
        Script s = Script.between("10.0.0.1:40000", "10.0.0.2:80");
        if (handshake) {
            s.syn().synAck().ack(Side.CLIENT);
        }
        for (Move m : moves) {
            switch (m) {
                case DATA_C -> s.data(Side.CLIENT, 10);
                case DATA_S -> s.data(Side.SERVER, 20);
                case ACK_C -> s.ack(Side.CLIENT);
                case ACK_S -> s.ack(Side.SERVER);
                case FIN_C -> s.fin(Side.CLIENT);
                case FIN_S -> s.fin(Side.SERVER);
                case RST_C -> s.rst(Side.CLIENT);
                case RST_S -> s.rst(Side.SERVER);
                case RETRANSMIT -> {
                    if (!s.segments().isEmpty()) s.retransmitLast();
                }
            }
        }
        return s.segments();
    }

    private static List<ConnectionReport> analyze(List<Segment> segments) {
        return Script.run(AnalyzerConfig.defaults(), segments).result().connections();
    }

    @Property(tries = 300)
    void onlyASideThatSentFinReachesTimeWait(@ForAll("moves") List<Move> moves, @ForAll boolean handshake) {
        for (ConnectionReport r : analyze(build(moves, handshake))) {
            for (Side side : Side.values()) {
                if (r.side(side).transitions().stream().anyMatch(t -> t.state() == TcpState.TIME_WAIT)) {
                    assertTrue(r.side(side).counts().fin() > 0, side + " in TIME_WAIT without a FIN: " + moves);
                }
            }
        }
    }

    @Property(tries = 300)
    void eachSidesTransitionsAreTimeOrdered(@ForAll("moves") List<Move> moves, @ForAll boolean handshake) {
        for (ConnectionReport r : analyze(build(moves, handshake))) {
            for (Side side : Side.values()) {
                long last = Long.MIN_VALUE;
                for (Transition t : r.side(side).transitions()) {
                    assertTrue(t.atNanos() >= last, "out of order: " + r.side(side).transitions());
                    last = t.atNanos();
                }
            }
        }
    }

    @Property(tries = 300)
    void duplicatingASegmentNeverChangesThePath(@ForAll("moves") List<Move> moves, @ForAll boolean handshake,
                                                @ForAll @IntRange(min = 0, max = 40) int which) {
        List<Segment> segments = build(moves, handshake);
        if (segments.isEmpty()) {
            return;
        }
        int i = which % segments.size();
        Segment original = segments.get(i);
        if (original.rst()) {
            return; // a repeated RST is a new abort attempt, not a retransmission
        }
        List<Segment> duplicated = new ArrayList<>(segments.subList(0, i + 1));
        duplicated.add(original);
        duplicated.addAll(segments.subList(i + 1, segments.size()));
        List<ConnectionReport> a = analyze(segments);
        List<ConnectionReport> b = analyze(duplicated);
        assertEquals(a.size(), b.size());
        for (int c = 0; c < a.size(); c++) {
            for (Side side : Side.values()) {
                assertEquals(states(a.get(c), side), states(b.get(c), side), "path changed by duplicating #" + i + " in " + moves);
            }
        }
    }

    private static List<TcpState> states(ConnectionReport r, Side side) {
        return r.side(side).transitions().stream().map(Transition::state).toList();
    }
}
