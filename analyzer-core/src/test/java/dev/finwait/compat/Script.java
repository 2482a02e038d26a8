package dev.finwait.compat;

import dev.finwait.tcp.Endpoint;
import dev.finwait.tcp.Segment;
import dev.finwait.tcp.TcpFlags;
import dev.finwait.tcp.TcpOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * Hand-built segment scripts between a client (10.0.0.1:40000) and a server (10.0.0.2:80 unless told):
 * each call appends one segment, tracking both sides' next sequence numbers so acks are right.
 */
final class Script {
    static final Endpoint CLIENT = Endpoint.of("10.0.0.1", 40000);

    private final Endpoint server;
    private final List<Segment> segments = new ArrayList<>();
    private int clientSeq = 1000;
    private int serverSeq = 5000;

    private Script(Endpoint server) {
        this.server = server;
    }

    static Script toPort(int port) {
        return new Script(Endpoint.of("10.0.0.2", port));
    }

    static Script http() {
        return toPort(80);
    }

    Script syn() {
        return add(true, TcpFlags.SYN, 0, Segment.Checksum.GOOD);
    }

    Script synAck() {
        return add(false, TcpFlags.SYN | TcpFlags.ACK, 0, Segment.Checksum.GOOD);
    }

    Script ack(boolean fromClient) {
        return add(fromClient, TcpFlags.ACK, 0, Segment.Checksum.GOOD);
    }

    Script data(boolean fromClient, int len) {
        return add(fromClient, TcpFlags.ACK | TcpFlags.PSH, len, Segment.Checksum.GOOD);
    }

    Script fin(boolean fromClient) {
        return add(fromClient, TcpFlags.FIN | TcpFlags.ACK, 0, Segment.Checksum.GOOD);
    }

    Script rst(boolean fromClient) {
        return add(fromClient, TcpFlags.RST | TcpFlags.ACK, 0, Segment.Checksum.GOOD);
    }

    Script raw(boolean fromClient, int flags, int len) {
        return add(fromClient, flags, len, Segment.Checksum.GOOD);
    }

    Script badChecksum(boolean fromClient, int flags) {
        return add(fromClient, flags, 0, Segment.Checksum.BAD);
    }

    /** Sends {@code len} bytes again from where the side was {@code back} bytes ago (a retransmission). */
    Script resend(boolean fromClient, int back, int len) {
        if (fromClient) {
            clientSeq -= back;
        } else {
            serverSeq -= back;
        }
        return data(fromClient, len);
    }

    /** Skips {@code len} bytes of the side's stream: they were sent but not captured. */
    Script lose(boolean fromClient, int len) {
        if (fromClient) {
            clientSeq += len;
        } else {
            serverSeq += len;
        }
        return this;
    }

    Script windowZero(boolean fromClient) {
        Segment s = next(fromClient, TcpFlags.ACK, 0, Segment.Checksum.GOOD, 0);
        segments.add(s);
        return this;
    }

    List<Segment> segments() {
        return List.copyOf(segments);
    }

    ZeekConnTracker zeek() {
        ZeekConnTracker t = new ZeekConnTracker();
        segments.forEach(t::observe);
        return t;
    }

    int completeness() {
        CompletenessTracker t = new CompletenessTracker();
        segments.forEach(t::observe);
        return t.value();
    }

    private Script add(boolean fromClient, int flags, int len, Segment.Checksum checksum) {
        segments.add(next(fromClient, flags, len, checksum, 65535));
        return this;
    }

    private Segment next(boolean fromClient, int flags, int len, Segment.Checksum checksum, int window) {
        int seq = fromClient ? clientSeq : serverSeq;
        int ack = fromClient ? serverSeq : clientSeq;
        int used = len + (TcpFlags.has(flags, TcpFlags.SYN) ? 1 : 0) + (TcpFlags.has(flags, TcpFlags.FIN) ? 1 : 0);
        if (TcpFlags.has(flags, TcpFlags.RST)) {
            used = 0;
        }
        if (fromClient) {
            clientSeq += used;
        } else {
            serverSeq += used;
        }
        Endpoint src = fromClient ? CLIENT : server;
        Endpoint dst = fromClient ? server : CLIENT;
        return new Segment(segments.size() + 1, segments.size() * 1_000_000L, src, dst, flags, seq,
                TcpFlags.has(flags, TcpFlags.ACK) ? ack : 0, window, len, TcpOptions.NONE, checksum);
    }
}
