package dev.finwait.bench;

import static dev.finwait.bench.FrameBytes.ipv4HeaderChecksum;
import static dev.finwait.bench.FrameBytes.putBe16;
import static dev.finwait.bench.FrameBytes.putBe32;

import dev.finwait.decode.DecodeStats;
import dev.finwait.decode.Decoder;

import dev.finwait.tcp.Segment;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Ethernet/IPv4/TCP frames for many connections open at once, in one buffer as a reader would hold them:
 * client {@code i} is 10.a.b.c:50000 (a, b, c from i), every server 192.0.2.1:443. {@link #handshakes}
 * opens every connection (SYN, SYN-ACK, ACK); {@link #traffic} then sends data on connections picked at
 * random (client 100 bytes, then the server's ACK, in turn), so consecutive packets touch unrelated
 * connections, as on a busy host; {@link #closes} ends every connection with the client's FIN first (the
 * client in TIME_WAIT). Frames are 1 µs apart. No TCP options.
 */
public final class LiveTraffic {
    /** The frames' link type, LINKTYPE_ETHERNET. */
    static final int ETHERNET = 1;
    static final long START = 1_700_000_000_000_000_000L;
    static final int DATA = 100;
    private static final int HEADERS = 14 + 20 + 20;

    final int connections;
    private final int[] clientSeq;
    private final int[] serverSeq;
    private final boolean[] serverNext;
    private long time = START;
    private long frame;

    public LiveTraffic(int connections) {
        this.connections = connections;
        this.clientSeq = new int[connections];
        this.serverSeq = new int[connections];
        this.serverNext = new boolean[connections];
    }

    /** Frames in one buffer, with each one's offset, length and time. */
    public static final class Frames {
        byte[] bytes = new byte[1 << 20];
        int[] offset = new int[1024];
        int[] length = new int[1024];
        long[] time = new long[1024];
        long[] number = new long[1024];
        int size;
        private int used;

        private int add(int len, long t, long n) {
            if (size == offset.length) {
                offset = Arrays.copyOf(offset, size * 2);
                length = Arrays.copyOf(length, size * 2);
                time = Arrays.copyOf(time, size * 2);
                number = Arrays.copyOf(number, size * 2);
            }
            if (used + len > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, used + len));
            }
            int at = used;
            offset[size] = at;
            length[size] = len;
            time[size] = t;
            number[size++] = n;
            used += len;
            return at;
        }

        /** Every frame decoded by a fresh decoder (checksums off). */
        public Segment[] decode() {
            Decoder decoder = new Decoder(false);
            DecodeStats stats = new DecodeStats();
            Segment[] out = new Segment[size];
            for (int i = 0; i < size; i++) {
                out[i] = decoder.decodeSegment(number[i], time[i], LiveTraffic.ETHERNET, bytes, offset[i], length[i],
                        length[i], stats);
                if (out[i] == null) {
                    throw new IllegalStateException("frame " + i + " did not decode: " + stats.reasons());
                }
            }
            return out;
        }
    }

    public Frames handshakes() {
        Frames f = new Frames();
        for (int c = 0; c < connections; c++) {
            clientSeq[c] = 1000 + c;
            serverSeq[c] = 5000 + c;
            write(f, c, true, 0x02, clientSeq[c], 0, 0);
            write(f, c, false, 0x12, serverSeq[c], clientSeq[c] + 1, 0);
            clientSeq[c]++;
            serverSeq[c]++;
            write(f, c, true, 0x10, clientSeq[c], serverSeq[c], 0);
        }
        return f;
    }

    public Frames traffic(int packets, long seed) {
        Frames f = new Frames();
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < packets; i++) {
            int c = random.nextInt(connections);
            if (serverNext[c]) {
                write(f, c, false, 0x10, serverSeq[c], clientSeq[c], 0);
            } else {
                write(f, c, true, 0x18, clientSeq[c], serverSeq[c], DATA);
                clientSeq[c] += DATA;
            }
            serverNext[c] = !serverNext[c];
        }
        return f;
    }

    public Frames closes() {
        Frames f = new Frames();
        for (int c = 0; c < connections; c++) {
            write(f, c, true, 0x11, clientSeq[c], serverSeq[c], 0);
            clientSeq[c]++;
            write(f, c, false, 0x11, serverSeq[c], clientSeq[c], 0);
            serverSeq[c]++;
            write(f, c, true, 0x10, clientSeq[c], serverSeq[c], 0);
        }
        return f;
    }

    private void write(Frames f, int c, boolean fromClient, int flags, int seq, int ack, int payload) {
        int len = HEADERS + payload;
        int at = f.add(len, time, ++frame);
        time += 1_000;
        byte[] b = f.bytes;
        // Ethernet: destination, source, IPv4
        Arrays.fill(b, at, at + 12, (byte) 0x02);
        b[at + 5] = (byte) (fromClient ? 1 : 2);
        b[at + 11] = (byte) (fromClient ? 2 : 1);
        b[at + 12] = 0x08;
        b[at + 13] = 0x00;
        int ip = at + 14;
        int client = 0x0A00_0000 | (c + 1);
        int server = 0xC000_0201;
        int src = fromClient ? client : server;
        int dst = fromClient ? server : client;
        b[ip] = 0x45;
        b[ip + 1] = 0;
        putBe16(b, ip + 2, 20 + 20 + payload);
        putBe16(b, ip + 4, (int) frame & 0xFFFF); // identification
        putBe16(b, ip + 6, 0x4000); // don't fragment
        b[ip + 8] = 64;
        b[ip + 9] = 6;
        putBe16(b, ip + 10, 0);
        putBe32(b, ip + 12, src);
        putBe32(b, ip + 16, dst);
        putBe16(b, ip + 10, ipv4HeaderChecksum(b, ip));
        int tcp = ip + 20;
        putBe16(b, tcp, fromClient ? 50000 : 443);
        putBe16(b, tcp + 2, fromClient ? 443 : 50000);
        putBe32(b, tcp + 4, seq);
        putBe32(b, tcp + 8, ack);
        b[tcp + 12] = 0x50;
        b[tcp + 13] = (byte) flags;
        putBe16(b, tcp + 14, 64240);
        putBe16(b, tcp + 16, 0); // checksum: not verified in these benches
        putBe16(b, tcp + 18, 0);
        Arrays.fill(b, tcp + 20, tcp + 20 + payload, (byte) 'x');
    }
}
