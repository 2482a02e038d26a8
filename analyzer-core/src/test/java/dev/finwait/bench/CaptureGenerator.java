package dev.finwait.bench;

import static dev.finwait.bench.FrameBytes.checksum;
import static dev.finwait.bench.FrameBytes.ipv4HeaderChecksum;
import static dev.finwait.bench.FrameBytes.putBe16;
import static dev.finwait.bench.FrameBytes.putBe32;
import static dev.finwait.bench.FrameBytes.putLe32;
import static dev.finwait.bench.FrameBytes.sum;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * A deterministic (seeded) generator of realistic classic-pcap captures for benchmarks and long runs:
 * Ethernet, IPv4 and some IPv6, valid IP and TCP checksums, strictly increasing timestamps, many
 * interleaved connections (a few hundred open at once, ~12 packets each) with a known mix of endings.
 * Streams to its output: memory holds only the connections in flight.
 *
 * <pre>CaptureGenerator --packets N | --connections N  --out FILE [--seed S] [--rate CONN_PER_S] [--mss BYTES]</pre>
 */
public final class CaptureGenerator {

    /** The scripts the generator writes; each knows how the analyzer should classify it. */
    public enum Ending {
        /** FIN, ACK, FIN, ACK, by a random side first. */
        FOUR_WAY,
        /** FIN, FIN+ACK, ACK. */
        THREE_WAY,
        /** The client shuts its sending side, the server keeps sending data, then closes. */
        HALF_CLOSE_DATA,
        /** RST from an established connection, no FIN before it. */
        RESET,
        /** Both FINs cross on the wire, then both ACKs. */
        SIMULTANEOUS,
        /** SYN answered by RST+ACK. */
        REFUSED,
        /** SYN and two retransmissions (same ISN, 1 s then 2 s later), never answered. */
        SYN_UNANSWERED;

        /** Percent of connections per ending, in declaration order (sums to 100). */
        static final int[] WEIGHTS = {38, 24, 10, 10, 5, 9, 4};
    }

    /** What was written. */
    public record Counts(long packets, long connections, long bytes, Map<Ending, Long> perEnding) {
    }

    private static final int ETH = 14;
    private static final int LINKTYPE_ETHERNET = 1;
    /** Ethernet MTU 1500 less IPv4, TCP and the 12 bytes of timestamp option. */
    public static final int ETHERNET_MSS = 1448;
    private static final int SYN = 0x02;
    private static final int RST = 0x04;
    private static final int PSH = 0x08;
    private static final int ACK = 0x10;
    private static final int FIN = 0x01;
    /** Ports Linux hands out by default (net.ipv4.ip_local_port_range). */
    private static final int EPHEMERAL_LOW = 32768;
    private static final int EPHEMERAL_COUNT = 60999 - 32768 + 1;
    private static final int CLIENT_HOSTS = 4096;
    private static final int[] SERVICE_PORTS = {443, 80, 22, 5432, 8080, 6379};

    private final SplittableRandom random;
    private final double meanGapMicros;
    private final int[] nextPort = new int[CLIENT_HOSTS];
    private final int mss;
    private final byte[] payloadSource;
    private final byte[] frame;
    private final byte[] record = new byte[16];
    private int ipId;

    private CaptureGenerator(long seed, double connectionsPerSecond, int mss) {
        if (mss < 1 || mss > 65535 - 100) {
            throw new IllegalArgumentException("mss out of range: " + mss);
        }
        this.random = new SplittableRandom(seed);
        this.mss = mss;
        this.payloadSource = new byte[mss * 4];
        this.frame = new byte[ETH + 40 + 60 + mss];
        this.meanGapMicros = 1e6 / connectionsPerSecond;
        for (int i = 0; i < CLIENT_HOSTS; i++) {
            nextPort[i] = random.nextInt(EPHEMERAL_COUNT);
        }
        for (int i = 0; i < payloadSource.length; i++) {
            payloadSource[i] = (byte) (0x20 + random.nextInt(0x5f)); // printable, like HTTP-ish text
        }
    }

    /**
     * Writes a capture: stops opening connections once {@code maxPackets} packets or
     * {@code maxConnections} connections are planned (those in flight still finish).
     */
    public static Counts write(OutputStream out, long maxPackets, long maxConnections, long seed,
                               double connectionsPerSecond, int mss) throws IOException {
        return new CaptureGenerator(seed, connectionsPerSecond, mss).run(out, maxPackets, maxConnections);
    }

    /**
     * Writes {@code file}. A small {@code mss} keeps huge captures (a million connections) small on
     * disk without changing packet counts or the TCP behaviour.
     */
    public static Counts write(Path file, long maxPackets, long maxConnections, long seed,
                               double connectionsPerSecond, int mss) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            return write(out, maxPackets, maxConnections, seed, connectionsPerSecond, mss);
        }
    }

    /** New connections per second of capture time; with ~1 s connections, a few hundred are open at once. */
    public static final double DEFAULT_RATE = 250;

    public static void main(String[] args) throws IOException {
        long packets = Long.MAX_VALUE;
        long connections = Long.MAX_VALUE;
        long seed = 1;
        double rate = DEFAULT_RATE;
        int mss = ETHERNET_MSS;
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            if (i + 1 >= args.length) {
                usage("missing value for " + args[i]);
            }
            switch (args[i]) {
                case "--packets" -> packets = parseCount(args[++i]);
                case "--connections" -> connections = parseCount(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--rate" -> rate = Double.parseDouble(args[++i]);
                case "--mss" -> mss = Integer.parseInt(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                default -> usage("unknown argument: " + args[i]);
            }
        }
        if (out == null || (packets == Long.MAX_VALUE && connections == Long.MAX_VALUE)) {
            usage("--out and one of --packets / --connections are required");
        }
        long start = System.nanoTime();
        Counts c = write(out, packets, connections, seed, rate, mss);
        System.err.printf("wrote %s: %,d packets, %,d connections, %,d bytes in %.1f s; endings %s%n", out,
                c.packets(), c.connections(), c.bytes(), (System.nanoTime() - start) / 1e9, c.perEnding());
    }

    /** Accepts {@code 1000000}, {@code 1_000_000}, {@code 1M}, {@code 10m}, {@code 500k}. */
    private static long parseCount(String s) {
        String t = s.replace("_", "").toLowerCase(java.util.Locale.ROOT);
        long mult = t.endsWith("m") ? 1_000_000 : t.endsWith("k") ? 1_000 : 1;
        return Long.parseLong(mult == 1 ? t : t.substring(0, t.length() - 1)) * mult;
    }

    private static void usage(String why) {
        System.err.println("CaptureGenerator: " + why);
        System.err.println("usage: CaptureGenerator --packets N | --connections N --out FILE [--seed S] [--rate CONN_PER_S] [--mss BYTES]");
        System.exit(2);
    }

    // ---------------------------------------------------------------------------------------------

    /** One planned packet of a connection; times are capture microseconds. */
    private record Step(long micros, boolean fromClient, int flags, int seq, int ack, int length, boolean synOptions) {
    }

    /** A connection in flight: its endpoints and the packets still to write. */
    private static final class Conn {
        final boolean v6;
        final byte[] clientIp;
        final byte[] serverIp;
        final int clientPort;
        final int serverPort;
        final int clientTsBase;
        final int serverTsBase;
        final List<Step> steps = new ArrayList<>(16);
        int next;

        Conn(boolean v6, byte[] clientIp, byte[] serverIp, int clientPort, int serverPort, int cts, int sts) {
            this.v6 = v6;
            this.clientIp = clientIp;
            this.serverIp = serverIp;
            this.clientPort = clientPort;
            this.serverPort = serverPort;
            this.clientTsBase = cts;
            this.serverTsBase = sts;
        }

        long nextMicros() {
            return steps.get(next).micros();
        }
    }

    private Counts run(OutputStream out, long maxPackets, long maxConnections) throws IOException {
        writeFileHeader(out);
        Map<Ending, Long> perEnding = new EnumMap<>(Ending.class);
        for (Ending e : Ending.values()) {
            perEnding.put(e, 0L);
        }
        PriorityQueue<Conn> inFlight = new PriorityQueue<>((a, b) -> Long.compare(a.nextMicros(), b.nextMicros()));
        long baseMicros = 1_700_000_000L * 1_000_000L; // Nov 2023, a fixed epoch keeps output reproducible
        long nextArrival = baseMicros;
        long planned = 0;
        long connections = 0;
        long packets = 0;
        long bytes = 24;
        long lastWritten = Long.MIN_VALUE;
        while (true) {
            boolean launching = planned < maxPackets && connections < maxConnections;
            if (launching && (inFlight.isEmpty() || nextArrival <= inFlight.peek().nextMicros())) {
                Ending ending = pickEnding();
                Conn c = plan(ending, nextArrival);
                perEnding.merge(ending, 1L, Long::sum);
                planned += c.steps.size();
                connections++;
                inFlight.add(c);
                // Exponential inter-arrival gaps (Poisson arrivals), at least 1 us.
                nextArrival += Math.max(1, (long) (-meanGapMicros * Math.log(1 - random.nextDouble())));
                continue;
            }
            Conn c = inFlight.poll();
            if (c == null) {
                break;
            }
            Step s = c.steps.get(c.next++);
            // Strictly increasing capture times: a packet due at or before the last one is pushed 1 us later.
            long t = Math.max(s.micros(), lastWritten + 1);
            lastWritten = t;
            bytes += writePacket(out, c, s, t);
            packets++;
            if (c.next < c.steps.size()) {
                inFlight.add(c);
            }
        }
        out.flush();
        return new Counts(packets, connections, bytes, perEnding);
    }

    private Ending pickEnding() {
        int r = random.nextInt(100);
        for (Ending e : Ending.values()) {
            r -= Ending.WEIGHTS[e.ordinal()];
            if (r < 0) {
                return e;
            }
        }
        throw new AssertionError("weights must sum to 100");
    }

    // --- scripts -------------------------------------------------------------------------------------

    /** Builds the packets of one connection, tracking each side's next sequence number. */
    private final class Script {
        final Conn conn;
        final long rtt;
        long now;
        int clientNxt;
        int serverNxt;

        Script(Conn conn, long start, long rtt) {
            this.conn = conn;
            this.now = start;
            this.rtt = rtt;
            this.clientNxt = random.nextInt();
            this.serverNxt = random.nextInt();
        }

        /** Sends after {@code delay} us, acknowledging everything the peer has sent so far. */
        void send(boolean fromClient, int flags, int length, long delay) {
            int ack = (flags & ACK) != 0 ? (fromClient ? serverNxt : clientNxt) : 0;
            sendAck(fromClient, flags, length, delay, ack);
        }

        void sendAck(boolean fromClient, int flags, int length, long delay, int ack) {
            now += delay;
            int seq = fromClient ? clientNxt : serverNxt;
            conn.steps.add(new Step(now, fromClient, flags, seq, ack, length, (flags & SYN) != 0));
            int used = length + ((flags & SYN) != 0 ? 1 : 0) + ((flags & FIN) != 0 ? 1 : 0);
            if (fromClient) {
                clientNxt += used;
            } else {
                serverNxt += used;
            }
        }

        /** A short local delay (application or stack), in us. */
        long quick() {
            return 20 + random.nextInt(400);
        }

        /** One round trip plus server think time. */
        long roundTrip() {
            return rtt + random.nextInt(2000);
        }

        void handshake() {
            send(true, SYN, 0, 0);
            send(false, SYN | ACK, 0, rtt);
            send(true, ACK, 0, quick());
        }

        /** A request from the client, a response of 1..4 segments, the client's ACKs. */
        void exchange() {
            send(true, PSH | ACK, Math.min(mss, 60 + random.nextInt(500)), quick());
            int segments = 1 + random.nextInt(4);
            for (int i = 0; i < segments; i++) {
                int len = i < segments - 1 ? mss : 1 + random.nextInt(mss);
                send(false, (i == segments - 1 ? PSH : 0) | ACK, len, i == 0 ? roundTrip() : 15 + random.nextInt(100));
                if (i % 2 == 1 || i == segments - 1) {
                    send(true, ACK, 0, quick());
                }
            }
        }
    }

    private Conn plan(Ending ending, long start) {
        boolean v6 = random.nextInt(10) == 0;
        int host = random.nextInt(CLIENT_HOSTS);
        // Like Linux: each client host walks its ephemeral range, so a 4-tuple repeats only after
        // EPHEMERAL_COUNT connections from one host (hours of capture time).
        int clientPort = EPHEMERAL_LOW + nextPort[host];
        nextPort[host] = (nextPort[host] + 1) % EPHEMERAL_COUNT;
        int server = random.nextInt(16);
        int serverPort = SERVICE_PORTS[server % SERVICE_PORTS.length];
        byte[] clientIp;
        byte[] serverIp;
        if (v6) {
            clientIp = v6Address(0x0a, host);
            serverIp = v6Address(0x53, server);
        } else {
            clientIp = new byte[] {10, (byte) (host >>> 8), (byte) host, 7};
            serverIp = new byte[] {(byte) 192, 0, 2, (byte) (10 + server)};
        }
        Conn c = new Conn(v6, clientIp, serverIp, clientPort, serverPort, random.nextInt(), random.nextInt());
        // Round-trip times from a LAN (100 us) to another continent (~150 ms), log-uniform.
        long rtt = (long) Math.exp(Math.log(100) + random.nextDouble() * Math.log(1500));
        Script s = new Script(c, start, rtt);
        switch (ending) {
            case REFUSED -> {
                s.send(true, SYN, 0, 0);
                s.serverNxt = 0; // Linux refuses with RST+ACK, sequence 0, acknowledging the SYN
                s.sendAck(false, RST | ACK, 0, s.rtt, s.clientNxt);
            }
            case SYN_UNANSWERED -> {
                s.send(true, SYN, 0, 0);
                int isn = s.clientNxt - 1;
                s.clientNxt = isn; // retransmissions repeat the ISN
                s.send(true, SYN, 0, 1_000_000);
                s.clientNxt = isn;
                s.send(true, SYN, 0, 2_000_000);
            }
            default -> {
                s.handshake();
                s.exchange();
                if (random.nextInt(10) < 3) {
                    s.exchange(); // keep-alive: a second request on the same connection
                }
                close(s, ending);
            }
        }
        return c;
    }

    private void close(Script s, Ending ending) {
        boolean clientFirst = random.nextBoolean();
        switch (ending) {
            case FOUR_WAY -> {
                s.send(clientFirst, FIN | ACK, 0, s.quick() + random.nextInt(50_000));
                s.send(!clientFirst, ACK, 0, s.rtt);
                s.send(!clientFirst, FIN | ACK, 0, 100 + random.nextInt(20_000));
                s.send(clientFirst, ACK, 0, s.rtt);
            }
            case THREE_WAY -> {
                s.send(clientFirst, FIN | ACK, 0, s.quick() + random.nextInt(50_000));
                s.send(!clientFirst, FIN | ACK, 0, s.rtt);
                s.send(clientFirst, ACK, 0, s.quick());
            }
            case HALF_CLOSE_DATA -> {
                s.send(true, FIN | ACK, 0, s.quick());
                s.send(false, ACK, 0, s.rtt);
                int segments = 1 + random.nextInt(3);
                for (int i = 0; i < segments; i++) {
                    s.send(false, PSH | ACK, 1 + random.nextInt(mss), 200 + random.nextInt(5_000));
                    s.send(true, ACK, 0, s.quick()); // a half-closed client still acknowledges what it receives
                }
                s.send(false, FIN | ACK, 0, s.quick());
                s.send(true, ACK, 0, s.quick());
            }
            case RESET -> s.send(clientFirst, RST | (random.nextBoolean() ? ACK : 0), 0, s.quick() + random.nextInt(50_000));
            case SIMULTANEOUS -> {
                // Each FIN leaves before the other arrives, so neither acknowledges the other's FIN.
                int serverSeesClient = s.clientNxt;
                s.send(true, FIN | ACK, 0, s.quick());
                s.sendAck(false, FIN | ACK, 0, 1 + random.nextInt((int) Math.max(1, s.rtt / 2)), serverSeesClient);
                s.send(true, ACK, 0, s.rtt / 2 + 1);
                s.send(false, ACK, 0, 1 + random.nextInt(50));
            }
            default -> throw new AssertionError(ending);
        }
    }

    private static byte[] v6Address(int net, int host) {
        byte[] a = new byte[16];
        a[0] = 0x20;
        a[1] = 0x01;
        a[2] = 0x0d;
        a[3] = (byte) 0xb8; // 2001:db8::/32, RFC 3849 documentation prefix
        a[5] = (byte) net;
        a[14] = (byte) (host >>> 8);
        a[15] = (byte) host;
        return a;
    }

    // --- wire encoding -------------------------------------------------------------------------------

    /*
     * pcap file header (24 bytes, little-endian), then per packet a 16-byte record header:
     *   ts_sec | ts_usec | incl_len | orig_len
     */
    private static void writeFileHeader(OutputStream out) throws IOException {
        byte[] h = new byte[24];
        putLe32(h, 0, 0xa1b2c3d4);
        h[4] = 2;
        h[6] = 4;
        putLe32(h, 16, 65535);
        putLe32(h, 20, LINKTYPE_ETHERNET);
        out.write(h);
    }

    private int writePacket(OutputStream out, Conn c, Step s, long micros) throws IOException {
        byte[] b = frame;
        boolean fromClient = s.fromClient();
        byte[] src = fromClient ? c.clientIp : c.serverIp;
        byte[] dst = fromClient ? c.serverIp : c.clientIp;
        // Ethernet: dst MAC, src MAC, ethertype.
        fillMac(b, 0, !fromClient);
        fillMac(b, 6, fromClient);
        int ipLen = c.v6 ? 40 : 20;
        int optLen = s.synOptions() ? 20 : 12;
        int tcpLen = 20 + optLen + s.length();
        putBe16(b, 12, c.v6 ? 0x86dd : 0x0800);
        int ip = ETH;
        int tcp = ip + ipLen;
        if (c.v6) {
            putBe32(b, ip, 0x6000_0000);
            putBe16(b, ip + 4, tcpLen);
            b[ip + 6] = 6;
            b[ip + 7] = 64;
            System.arraycopy(src, 0, b, ip + 8, 16);
            System.arraycopy(dst, 0, b, ip + 24, 16);
        } else {
            b[ip] = 0x45;
            b[ip + 1] = 0;
            putBe16(b, ip + 2, 20 + tcpLen);
            putBe16(b, ip + 4, ipId++);
            putBe16(b, ip + 6, 0x4000); // DF
            b[ip + 8] = 64;
            b[ip + 9] = 6;
            putBe16(b, ip + 10, 0);
            System.arraycopy(src, 0, b, ip + 12, 4);
            System.arraycopy(dst, 0, b, ip + 16, 4);
            putBe16(b, ip + 10, ipv4HeaderChecksum(b, ip));
        }
        putBe16(b, tcp, fromClient ? c.clientPort : c.serverPort);
        putBe16(b, tcp + 2, fromClient ? c.serverPort : c.clientPort);
        putBe32(b, tcp + 4, s.seq());
        putBe32(b, tcp + 8, s.ack());
        b[tcp + 12] = (byte) (((20 + optLen) / 4) << 4);
        b[tcp + 13] = (byte) s.flags();
        putBe16(b, tcp + 14, (s.flags() & RST) != 0 ? 0 : 502 + (int) (micros & 0x3ff)); // scaled window
        putBe16(b, tcp + 16, 0);
        putBe16(b, tcp + 18, 0);
        int o = tcp + 20;
        int tsVal = (int) (micros / 1000) + (fromClient ? c.clientTsBase : c.serverTsBase);
        if (s.synOptions()) {
            b[o] = 2; // MSS
            b[o + 1] = 4;
            putBe16(b, o + 2, mss);
            b[o + 4] = 4; // SACK permitted
            b[o + 5] = 2;
            o += 6;
        } else {
            b[o] = 1; // NOP, NOP before the timestamps, as Linux aligns them
            b[o + 1] = 1;
            o += 2;
        }
        boolean rst = (s.flags() & RST) != 0;
        b[o] = 8; // timestamps
        b[o + 1] = 10;
        putBe32(b, o + 2, tsVal);
        putBe32(b, o + 6, (s.flags() & ACK) != 0 && !rst ? tsVal ^ 0x5a5a : 0);
        o += 10;
        if (s.synOptions()) {
            b[o] = 1; // NOP
            b[o + 1] = 3; // window scale 7
            b[o + 2] = 3;
            b[o + 3] = 7;
            o += 4;
        }
        if (s.length() > 0) {
            System.arraycopy(payloadSource, (int) ((s.seq() & 0x7fffffffL) % (payloadSource.length - mss)), b, o,
                    s.length());
        }
        int end = tcp + tcpLen;
        int pseudo = sum(src, 0, src.length, 0) + sum(dst, 0, dst.length, 0) + 6 + tcpLen;
        putBe16(b, tcp + 16, checksum(sum(b, tcp, end, pseudo)));
        int caplen = end;
        putLe32(record, 0, (int) (micros / 1_000_000));
        putLe32(record, 4, (int) (micros % 1_000_000));
        putLe32(record, 8, caplen);
        putLe32(record, 12, caplen);
        out.write(record);
        out.write(b, 0, caplen);
        return 16 + caplen;
    }

    /** Locally administered MACs: one for the client-side router, one for the server side. */
    private static void fillMac(byte[] b, int at, boolean client) {
        b[at] = 0x02;
        b[at + 1] = 0;
        b[at + 2] = 0x5e;
        b[at + 3] = 0x10;
        b[at + 4] = 0;
        b[at + 5] = (byte) (client ? 1 : 2);
    }
}
