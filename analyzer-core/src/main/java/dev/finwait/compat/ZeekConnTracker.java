package dev.finwait.compat;

import dev.finwait.snapshot.SnapshotWriter;
import dev.finwait.snapshot.SnapshotReader;
import dev.finwait.snapshot.SnapshotFormatException;
import static dev.finwait.compat.ZeekEndpointState.CLOSED;
import static dev.finwait.compat.ZeekEndpointState.ESTABLISHED;
import static dev.finwait.compat.ZeekEndpointState.INACTIVE;
import static dev.finwait.compat.ZeekEndpointState.PARTIAL;
import static dev.finwait.compat.ZeekEndpointState.RESET;
import static dev.finwait.compat.ZeekEndpointState.SYN_ACK_SENT;
import static dev.finwait.compat.ZeekEndpointState.SYN_SENT;

import dev.finwait.model.ZeekSummary;
import dev.finwait.tcp.Endpoint;
import dev.finwait.tcp.Segment;
import dev.finwait.tcp.Seq;
import java.util.Optional;
import java.util.Set;

/**
 * Follows one connection the way Zeek's TCP analyzer does, to print Zeek's {@code conn_state}
 * and {@code history}. Fed every segment of the connection in capture order.
 *
 * <p>Models Zeek's {@code TCPSessionAdapter::Process}: per-endpoint states INACTIVE .. RESET, the
 * originator guess (sender of the first packet, flipped by the likely-server-port heuristic or when a
 * SYN-ACK opens the connection and an ACK or data follows, or on a SYN / SYN-ACK reversal), the history
 * letters and their repeat rules, and {@code conn_state} from {@code base/protocols/conn/main.zeek}.
 * A segment whose checksum is {@link Segment.Checksum#BAD} only adds 'C' / 'c', as in Zeek without
 * {@code -C}; feed segments decoded without checksum verification to get Zeek's {@code -C} behaviour.
 * Not modelled: Zeek's inactivity timeouts (they split connections, which is the flow table's business)
 * and reassembly details beyond "an ACK above a hole is a gap".
 */
public final class ZeekConnTracker {
    // Bits of Zeek's hist_seen mask, originator in the low half, responder shifted by 16.
    private static final int HIST_SYN = 0x1;
    private static final int HIST_FIN = 0x2;
    private static final int HIST_RST = 0x4;
    private static final int HIST_FIN_RST = 0x8;
    private static final int HIST_ACK = 0x10;
    private static final int HIST_DATA = 0x20;
    private static final int HIST_MULTI_FLAG = 0x40;

    private final Set<Integer> likelyServerPorts;
    // The history letters: the first eight in a long, one byte each (the first letter in the lowest byte,
    // 0 where none: letters are never 0), the rest in a builder made only for the few connections with more.
    // A StringBuilder per connection (and its array) were two objects and 56 bytes of every live connection.
    private long historyHead;
    private StringBuilder historyTail;
    private int histSeen;
    private ZeekEndpoint orig = new ZeekEndpoint(true);
    private ZeekEndpoint resp = new ZeekEndpoint(false);
    private Endpoint origAddress;
    private Endpoint respAddress;
    // The originator's and responder's ports (16 bits each): which side sent a segment is a comparison of
    // ports when they differ, without reading the (cold) address objects.
    private int ports;
    private long packets;
    private boolean startedWithSynAck;

    {
        orig.peer = resp;
        resp.peer = orig;
    }

    /** Zeek with its default {@link LikelyServerPorts#ZEEK_DEFAULT} (immutable: shared, not copied per connection). */
    public ZeekConnTracker() {
        this.likelyServerPorts = LikelyServerPorts.ZEEK_DEFAULT;
    }

    /** Zeek with {@code redef likely_server_ports = ...}. */
    public ZeekConnTracker(Set<Integer> likelyServerPorts) {
        this.likelyServerPorts = Set.copyOf(likelyServerPorts);
    }

    /** A segment whose payload was captured in full. */
    public void observe(Segment s) {
        observe(s, s.payloadLength());
    }

    /**
     * A segment of which only {@code capturedPayload} payload bytes are in the capture (snap length).
     * Zeek hands a segment's data to its reassembler only when all of it was captured, so acknowledged
     * but uncaptured bytes are content gaps ('G' / 'g').
     */
    public void observe(Segment s, int capturedPayload) {
        packets++;
        if (packets == 1) {
            start(s);
        } else if (startedWithSynAck) {
            if (!s.syn() && !s.fin() && !s.rst() && (s.hasAck() || s.payloadLength() > 0)) {
                // Zeek PR 2191: SYN-ACKs followed by an ACK or data are a connection whose SYN we missed,
                // not a stealth scan; it is flipped as if the first packet had been recognised as the reply.
                flipFromStart();
            } else if (!(s.syn() && s.hasAck() && !s.fin() && !s.rst())) {
                startedWithSynAck = false;
            }
        }
        boolean isOrig = isOriginator(s.src());
        ZeekEndpoint endpoint = isOrig ? orig : resp;
        if (s.checksum() == Segment.Checksum.BAD) {
            // Zeek drops the packet after counting it (TCPAnalyzer::ValidateChecksum).
            scaled(endpoint, ZeekEndpoint.CHECKSUM, 'C');
            return;
        }
        process(s, endpoint, isOrig, capturedPayload >= s.payloadLength());
    }

    /** Reads a few fields of this object so that it is in the cache for the next segment; the result means nothing. */
    public long touch() {
        return packets + histSeen + ports;
    }

    /** {@link #touch} for the two endpoints and the originator's address; the result means nothing. */
    public long touchParts() {
        return orig.lastSeq + orig.contiguous + resp.lastSeq + resp.contiguous + (historyTail == null ? 0 : 1);
    }

    /** Whether {@code sender}, one of this connection's two endpoints, is the originator now. */
    private boolean isOriginator(Endpoint sender) {
        int origPort = ports >>> 16;
        if (origPort != (ports & 0xFFFF)) {
            return sender.port() == origPort;
        }
        return sender.equals(origAddress);
    }

    private void setAddresses(Endpoint orig, Endpoint resp) {
        origAddress = orig;
        respAddress = resp;
        ports = orig.port() << 16 | resp.port();
    }

    /** {@return the history letters so far} */
    private String history() {
        int head = (71 - Long.numberOfLeadingZeros(historyHead)) >>> 3; // letters in the long
        StringBuilder sb = new StringBuilder(head + (historyTail == null ? 0 : historyTail.length()));
        for (int i = 0; i < head; i++) {
            sb.append((char) (historyHead >>> (8 * i) & 0xFF));
        }
        if (historyTail != null) {
            sb.append(historyTail);
        }
        return sb.toString();
    }

    private void appendHistory(char c) {
        int head = (71 - Long.numberOfLeadingZeros(historyHead)) >>> 3;
        if (head < 8 && historyTail == null) {
            historyHead |= (long) (c & 0xFF) << (8 * head);
        } else {
            if (historyTail == null) {
                historyTail = new StringBuilder(8);
            }
            historyTail.append(c);
        }
    }

    private void setHistory(String letters) {
        historyHead = 0;
        historyTail = null;
        for (int i = 0; i < letters.length(); i++) {
            char c = letters.charAt(i);
            if (c == 0 || c > 0xFF) {
                throw new IllegalArgumentException("history letter " + (int) c);
            }
            appendHistory(c);
        }
    }

    /** Zeek's originator: the endpoint its conn.log prints as {@code id.orig_h:id.orig_p}; empty before the first segment. */
    public Optional<Endpoint> originator() {
        return Optional.ofNullable(origAddress);
    }

    ZeekEndpointState originatorState() {
        return orig.state;
    }

    ZeekEndpointState responderState() {
        return resp.state;
    }

    /** {@return {@code conn_state} and {@code history} as Zeek would log them now} */
    public ZeekSummary summary() {
        return new ZeekSummary(connState(), history());
    }

    // ---- connection start and flips -------------------------------------------------------------

    /** Zeek's {@code TCPAnalyzer::WantConnection}: the port heuristic for connections not opened by a bare SYN. */
    private void start(Segment s) {
        setAddresses(s.src(), s.dst());
        boolean bareSyn = s.syn() && !s.hasAck();
        startedWithSynAck = s.syn() && s.hasAck();
        if (bareSyn) {
            return;
        }
        int src = s.src().port();
        int dst = s.dst().port();
        boolean flip = false;
        if (likelyServerPorts.contains(src)) {
            // Both plausible: flip only for a non-SYN and when it favours the lower port as the server.
            flip = likelyServerPorts.contains(dst) ? !s.syn() && src < dst : true;
        }
        if (flip) {
            setAddresses(s.dst(), s.src());
            startedWithSynAck = false;
            appendHistory('^');
        }
    }

    /** A flip decided on the second packet, told as Zeek tells it: as if the roles had been right from the start. */
    private void flipFromStart() {
        swapEndpoints();
        String letters = history();
        StringBuilder swapped = new StringBuilder("^");
        for (int i = 0; i < letters.length(); i++) {
            char c = letters.charAt(i);
            swapped.append(Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c));
        }
        setHistory(swapped.toString());
        histSeen = (histSeen >>> 16) | (histSeen << 16);
        startedWithSynAck = false;
    }

    /** Zeek's {@code Connection::FlipRoles}: swap the sides and log '^'; earlier letters stay as they were. */
    private void flipNow() {
        swapEndpoints();
        appendHistory('^');
    }

    private void swapEndpoints() {
        ZeekEndpoint t = orig;
        orig = resp;
        resp = t;
        orig.orig = true;
        resp.orig = false;
        setAddresses(respAddress, origAddress);
    }

    // ---- per packet ------------------------------------------------------------------------------

    private void process(Segment s, ZeekEndpoint endpoint, boolean isOrig, boolean payloadCaptured) {
        ZeekEndpoint peer = endpoint.peer;
        int len = s.payloadLength();
        int segLen = len + (s.syn() ? 1 : 0) + (s.fin() ? 1 : 0) - (s.rst() ? len : 0);
        int pastSegment = s.seq() + segLen;

        initEndpoint(endpoint, s, pastSegment);
        long relSeq = endpoint.relative(s.seq());
        updateHistory(s, endpoint, relSeq, len);
        if (s.window() == 0 && !s.rst() && peer.state != CLOSED && endpoint.state != RESET) {
            scaled(endpoint, ZeekEndpoint.ZERO_WINDOW, 'W');
        }
        if (s.fin()) {
            endpoint.finCount++;
            endpoint.finSeq = relSeq + segLen;
        }
        if (s.hasAck()) {
            if (peer.state == INACTIVE) {
                // Number the silent side as though its SYN had been seen, from what is acknowledged.
                peer.initSeqs(s.ack() - 1, s.ack() - 1);
                peer.contiguous = 1;
                peer.contiguousKnown = true;
            } else if (!s.rst() && Seq.gt(s.ack(), peer.ackSeq)
                    && !(s.ack() == 0 && Seq.diff(peer.ackSeq, s.ack()) > ZeekEndpoint.TOO_LARGE_SEQ_DELTA)) {
                peer.ackSeq = s.ack();
            }
        }
        int deltaLast = updateLastSeq(endpoint, pastSegment, s, len);
        boolean doClose = updateStateMachine(s, endpoint, peer, isOrig, len, deltaLast);
        if (s.hasAck()) {
            ackReceived(endpoint, peer, s.ack());
        }
        if (len > 0 && !s.rst() && payloadCaptured) {
            dataSeen(endpoint, s.syn() ? relSeq + 1 : relSeq, len);
        }
        if (doClose) {
            endpoint.didClose = true;
        }
    }

    /** Zeek's {@code init_endpoint}: where this side's relative numbering starts. */
    private static void initEndpoint(ZeekEndpoint e, Segment s, int pastSegment) {
        switch (e.state) {
            case INACTIVE -> {
                if (s.syn()) {
                    e.initSeqs(s.seq(), pastSegment);
                } else {
                    // Partial connection: number as though a SYN had preceded this segment.
                    e.initSeqs(s.seq() - 1, s.seq());
                }
                e.contiguous = 1;
                e.contiguousKnown = true;
            }
            case SYN_SENT, SYN_ACK_SENT -> {
                if (s.syn() && s.seq() != e.startSeq) {
                    e.initSeqs(s.seq(), pastSegment);
                    e.contiguous = 1;
                }
            }
            case ESTABLISHED, PARTIAL -> {
                if (s.syn()) {
                    e.initSeqs(s.seq(), pastSegment);
                    e.contiguous = 1;
                }
            }
            case RESET -> {
                if (s.syn() && e.prevState == INACTIVE) {
                    // The earlier RST may have been injected; trust the SYN's numbering instead.
                    e.initSeqs(s.seq(), pastSegment);
                    e.contiguous = 1;
                }
            }
            default -> {
            }
        }
    }

    /** Zeek's {@code update_history}: one letter per kind and direction, SYN/FIN/RST again when their sequence differs. */
    private void updateHistory(Segment s, ZeekEndpoint e, long relSeq, int len) {
        int bits = (s.syn() ? 1 : 0) + (s.fin() ? 1 : 0) + (s.rst() ? 1 : 0);
        if (bits > 1) {
            if (s.fin() && s.rst()) {
                checkHistory(e, HIST_FIN_RST, 'I');
            } else {
                checkHistory(e, HIST_MULTI_FLAG, 'Q');
            }
        } else if (bits == 1) {
            if (s.syn()) {
                char code = s.hasAck() ? 'H' : 'S';
                if (!checkHistory(e, HIST_SYN, code) && relSeq != e.histLastSyn) {
                    addHistory(e, code);
                }
                e.histLastSyn = relSeq;
            }
            if (s.fin()) {
                // A FIN's sequence number is the one after its data.
                if (!checkHistory(e, HIST_FIN, 'F') && relSeq + len != e.histLastFin) {
                    addHistory(e, 'F');
                }
                e.histLastFin = relSeq + len;
            }
            if (s.rst()) {
                if (!checkHistory(e, HIST_RST, 'R') && relSeq != e.histLastRst) {
                    addHistory(e, 'R');
                }
                e.histLastRst = relSeq;
            }
        } else if (len > 0) {
            checkHistory(e, HIST_DATA, 'D');
        } else if (s.hasAck()) {
            checkHistory(e, HIST_ACK, 'A');
        }
    }

    /** Logs {@code code} the first time this kind is seen in this direction; returns true if it was logged now. */
    private boolean checkHistory(ZeekEndpoint e, int mask, char code) {
        int m = e.orig ? mask : mask << 16;
        if ((histSeen & m) == 0) {
            histSeen |= m;
            addHistory(e, code);
            return true;
        }
        return false;
    }

    private void addHistory(ZeekEndpoint e, char code) {
        appendHistory(e.orig ? code : Character.toLowerCase(code));
    }

    private void scaled(ZeekEndpoint e, int counter, char code) {
        if (e.hit(counter)) {
            addHistory(e, code);
        }
    }

    /** Zeek's {@code update_last_seq}: data at or below what this side already sent is a retransmission. */
    private int updateLastSeq(ZeekEndpoint e, int pastSegment, Segment s, int len) {
        int delta = Seq.diff(e.lastSeq, pastSegment);
        if ((s.syn() || s.rst()) && (delta > ZeekEndpoint.TOO_LARGE_SEQ_DELTA || delta < -ZeekEndpoint.TOO_LARGE_SEQ_DELTA)) {
            return delta;
        }
        if (s.fin() && e.lastSeq == e.startSeq + 1) {
            e.lastSeq = pastSegment;
        } else if (e.state == RESET) {
            return delta;
        } else if (delta > 0) {
            e.lastSeq = pastSegment;
        } else if (len > 0) {
            scaled(e, ZeekEndpoint.RETRANSMIT, 'T');
        }
        return delta;
    }

    // ---- the state machine (TCPSessionAdapter::UpdateStateMachine) --------------------------------

    private boolean updateStateMachine(Segment s, ZeekEndpoint e, ZeekEndpoint peer, boolean isOrig, int len,
                                       int deltaLast) {
        return switch (e.state) {
            case INACTIVE -> inactive(s, e, peer, isOrig, len);
            case SYN_SENT, SYN_ACK_SENT -> synSent(s, e);
            case ESTABLISHED, PARTIAL -> established(s, e, peer);
            case CLOSED -> closed(s, e);
            case RESET -> false;
        };
    }

    private boolean inactive(Segment s, ZeekEndpoint e, ZeekEndpoint peer, boolean isOrig, int len) {
        boolean doClose = false;
        if (s.syn()) {
            if (isOrig) {
                e.setState(s.hasAck() ? SYN_ACK_SENT : SYN_SENT);
            } else {
                if (!s.hasAck() && peer.state == SYN_ACK_SENT && s.seq() == e.startSeq) {
                    // SYN captured after its SYN-ACK: the responder is really the originator.
                    flipNow();
                    peer.setState(ESTABLISHED);
                }
                if (peer.state == SYN_SENT) {
                    peer.setState(ESTABLISHED);
                }
                e.setState(ESTABLISHED);
            }
        }
        if (s.fin()) {
            e.setState(CLOSED);
            doClose = true;
        }
        if (s.rst()) {
            e.setState(RESET);
            doClose = true;
        }
        if (e.state == INACTIVE) {
            // No control flag moved it.
            if (!isOrig && len == 0 && orig.state == SYN_SENT) {
                // An ACK of a SYN before the SYN-ACK: not yet a partial connection.
                return doClose;
            }
            if (s.hasAck() && peer.state == ESTABLISHED) {
                // Reply to a SYN-ACK whose SYN we missed: establish rather than call it partial.
                e.setState(ESTABLISHED);
            } else {
                e.setState(PARTIAL);
            }
        }
        return doClose;
    }

    private static boolean synSent(Segment s, ZeekEndpoint e) {
        boolean doClose = false;
        if (s.fin()) {
            e.setState(CLOSED);
            doClose = true;
        }
        if (s.rst()) {
            e.setState(RESET);
            doClose = true;
        }
        return doClose;
    }

    private static boolean established(Segment s, ZeekEndpoint e, ZeekEndpoint peer) {
        boolean doClose = false;
        if (s.syn() && e.state == PARTIAL && peer.state == INACTIVE && !s.hasAck()) {
            e.setState(SYN_SENT);
        }
        if (s.fin() && !s.rst()) {
            e.setState(CLOSED);
            if (peer.state == RESET && peer.prevState == CLOSED) {
                // FIN then RST from the peer was a normal close after all.
                peer.setState(CLOSED);
            }
            doClose = true;
        }
        if (s.rst()) {
            e.setState(RESET);
            doClose = true;
        }
        return doClose;
    }

    private static boolean closed(Segment s, ZeekEndpoint e) {
        // After a FIN exchange from both sides a RST changes nothing.
        if (s.rst() && e.peer.state != CLOSED) {
            e.setState(RESET);
            return !e.didClose;
        }
        return false;
    }

    // ---- content gaps (the reassembler's view, reduced to "an ACK above a hole") -----------------

    private void dataSeen(ZeekEndpoint e, long relStart, int len) {
        if (e.contiguousKnown && relStart <= e.contiguous) {
            e.contiguous = Math.max(e.contiguous, relStart + len);
        }
    }

    private void ackReceived(ZeekEndpoint acker, ZeekEndpoint data, int ack) {
        if (!data.contiguousKnown) {
            return;
        }
        long upTo = data.relative(ack);
        if (data.finCount > 0 && upTo >= data.finSeq) {
            upTo = data.finSeq - 1;
        }
        if (upTo <= data.contiguous) {
            return;
        }
        // Zeek does not flag gaps revealed at the very end (by a FIN or RST), nor on partial connections.
        boolean reportable = acker.state != CLOSED && acker.state != RESET
                && acker.state != PARTIAL && data.state != PARTIAL && data.state != INACTIVE;
        if (reportable) {
            scaled(data, ZeekEndpoint.GAP, 'G');
        }
        data.contiguous = upTo;
    }

    // ---- conn_state (base/protocols/conn/main.zeek) -----------------------------------------------

    private String connState() {
        ZeekEndpointState os = orig.state;
        ZeekEndpointState rs = resp.state;
        boolean oInactive = os.inactiveForConnState();
        boolean rInactive = rs.inactiveForConnState();
        if (rs == RESET) {
            if (os == SYN_SENT || os == SYN_ACK_SENT || (os == RESET && orig.size() == 0 && resp.size() == 0)) {
                return "REJ";
            }
            return oInactive ? "RSTRH" : "RSTR";
        }
        if (os == RESET) {
            if (rInactive) {
                return history().matches("\\^?S[^HAFGIQ]*R.*") ? "RSTOS0" : "OTH";
            }
            return "RSTO";
        }
        if (rs == CLOSED && os == CLOSED) {
            return "SF";
        }
        if (os == CLOSED) {
            return rInactive ? "SH" : "S2";
        }
        if (rs == CLOSED) {
            return oInactive ? "SHR" : "S3";
        }
        if (os == SYN_SENT && rs == INACTIVE) {
            return "S0";
        }
        if (os == ESTABLISHED && rs == ESTABLISHED) {
            return "S1";
        }
        return "OTH";
    }

    // ---- snapshot (the order of fields is the snapshot's version 1) ----

    /** Writes this tracker's state; {@link #readFrom} reads it back. */
    public void writeTo(SnapshotWriter w) {
        boolean defaultPorts = likelyServerPorts == LikelyServerPorts.ZEEK_DEFAULT;
        w.writeBoolean(defaultPorts);
        if (!defaultPorts) {
            w.writeInt(likelyServerPorts.size());
            for (int port : likelyServerPorts) {
                w.writeInt(port);
            }
        }
        w.writeString(history()).writeInt(histSeen);
        orig.writeTo(w);
        resp.writeTo(w);
        w.writeEndpoint(origAddress).writeEndpoint(respAddress).writeLong(packets).writeBoolean(startedWithSynAck);
    }

    /** {@return a tracker in the state {@link #writeTo} wrote} */
    public static ZeekConnTracker readFrom(SnapshotReader r) {
        ZeekConnTracker z;
        if (r.readBoolean()) {
            z = new ZeekConnTracker();
        } else {
            int n = r.readInt();
            if (n < 0 || n > 65536) {
                throw new SnapshotFormatException("corrupt snapshot: " + n + " likely server ports (0 to 65536)");
            }
            Set<Integer> ports = new java.util.HashSet<>();
            for (int i = 0; i < n; i++) {
                ports.add(r.readInt());
            }
            z = new ZeekConnTracker(ports);
        }
        z.setHistory(r.readString());
        z.histSeen = r.readInt();
        z.orig = ZeekEndpoint.readFrom(r);
        z.resp = ZeekEndpoint.readFrom(r);
        z.orig.peer = z.resp;
        z.resp.peer = z.orig;
        Endpoint orig = r.readEndpoint();
        Endpoint resp = r.readEndpoint();
        if ((orig == null) != (resp == null)) {
            throw new SnapshotFormatException("corrupt snapshot: a Zeek originator without a responder");
        }
        if (orig != null) {
            z.setAddresses(orig, resp);
        }
        z.packets = r.readLong();
        z.startedWithSynAck = r.readBoolean();
        return z;
    }
}
