package dev.finwait.state;
import dev.finwait.model.TcpState;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The RFC 9293 3.3.2 state diagram as data, one row per state, one column per {@link Stimulus}.
 * A cell is a state name (go there), {@code =} (stay: a retransmission or nothing to do) or
 * {@code !} (stay, but the segment is unexpected in that state). Every (state, stimulus) pair is
 * declared exactly once; {@link #GRID} is checked at class load.
 *
 * <p>Departures from the RFC diagram, all for what a capture shows: a side never seen sending
 * ({@code UNKNOWN}) is treated as LISTEN for a SYN; RST moves every synchronized state to CLOSED
 * (RFC 9293 3.10.7.4; a passive SYN_RCVD would return to LISTEN, but the connection is over);
 * RST in TIME_WAIT ends it as Linux does by default (net.ipv4.tcp_rfc1337 = 0, RFC 1337 hazard).
 */
public final class TransitionTable {

    /** Column order is {@link Stimulus} declaration order. */
    static final String[] GRID = {
        //            SEND_SYN  SEND_SYN_ACK SEND_FIN    SEND_RST RECV_SYN  RECV_SYN_ACK RECV_ACK_OF_SYN RECV_FIN   RECV_ACK_OF_FIN RECV_RST MIDSTREAM
        "UNKNOWN      SYN_SENT  SYN_RCVD     !           CLOSED   SYN_RCVD  ESTABLISHED  !               !          !               CLOSED   ESTABLISHED",
        "LISTEN       SYN_SENT  SYN_RCVD     !           CLOSED   SYN_RCVD  !            !               !          !               =        !",
        "SYN_SENT     =         SYN_RCVD     FIN_WAIT_1  CLOSED   SYN_RCVD  ESTABLISHED  =               !          !               CLOSED   !",
        "SYN_RCVD     !         =            FIN_WAIT_1  CLOSED   =         ESTABLISHED  ESTABLISHED     CLOSE_WAIT !               CLOSED   !",
        "ESTABLISHED  !         =            FIN_WAIT_1  CLOSED   =         =            =               CLOSE_WAIT !               CLOSED   =",
        "FIN_WAIT_1   !         !            =           CLOSED   !         =            =               CLOSING    FIN_WAIT_2      CLOSED   =",
        "FIN_WAIT_2   !         !            =           CLOSED   !         =            =               TIME_WAIT  =               CLOSED   =",
        "CLOSE_WAIT   !         =            LAST_ACK    CLOSED   !         =            =               =          !               CLOSED   =",
        "CLOSING      !         !            =           CLOSED   !         =            =               =          TIME_WAIT       CLOSED   =",
        "LAST_ACK     !         !            =           CLOSED   !         =            =               =          CLOSED          CLOSED   =",
        "TIME_WAIT    !         !            !           CLOSED   =         =            =               =          =               CLOSED   =",
        "CLOSED       !         !            !           =        =         =            =               =          =               =        =",
    };

    private static final Map<TcpState, EnumMap<Stimulus, Outcome>> TABLE = parse(GRID);

    private TransitionTable() {
    }

    /** {@return what {@code stimulus} does to a side in {@code state}: the table's one cell for the pair} */
    public static Outcome apply(TcpState state, Stimulus stimulus) {
        return TABLE.get(state).get(stimulus);
    }

    /** The machine as text, for the README and --help: the grid itself. */
    public static List<String> describe() {
        List<String> lines = new ArrayList<>();
        StringBuilder header = new StringBuilder(String.format("%-12s", "state"));
        for (Stimulus s : Stimulus.values()) {
            header.append(' ').append(String.format("%-15s", s.name()));
        }
        lines.add(header.toString().stripTrailing());
        for (TcpState state : TcpState.values()) {
            StringBuilder row = new StringBuilder(String.format("%-12s", state.name()));
            for (Stimulus s : Stimulus.values()) {
                Outcome o = apply(state, s);
                String cell = switch (o.kind()) {
                    case GO -> o.next().name();
                    case STAY -> "=";
                    case UNEXPECTED -> "!";
                };
                row.append(' ').append(String.format("%-15s", cell));
            }
            lines.add(row.toString().stripTrailing());
        }
        return lines;
    }

    static Map<TcpState, EnumMap<Stimulus, Outcome>> parse(String[] grid) {
        Map<TcpState, EnumMap<Stimulus, Outcome>> table = new EnumMap<>(TcpState.class);
        Stimulus[] columns = Stimulus.values();
        for (String line : grid) {
            String[] cells = line.trim().split("\\s+");
            if (cells.length != columns.length + 1) {
                throw new IllegalStateException("transition row has " + (cells.length - 1) + " cells, expected "
                        + columns.length + ": " + line);
            }
            TcpState state = TcpState.valueOf(cells[0]);
            EnumMap<Stimulus, Outcome> row = new EnumMap<>(Stimulus.class);
            for (int i = 0; i < columns.length; i++) {
                String cell = cells[i + 1];
                row.put(columns[i], switch (cell) {
                    case "=" -> Outcome.stay(state);
                    case "!" -> Outcome.unexpected(state);
                    default -> Outcome.go(TcpState.valueOf(cell));
                });
            }
            if (table.put(state, row) != null) {
                throw new IllegalStateException("state declared twice in the transition grid: " + state);
            }
        }
        if (table.size() != TcpState.values().length) {
            throw new IllegalStateException("transition grid misses states: " + table.keySet());
        }
        return table;
    }
}
