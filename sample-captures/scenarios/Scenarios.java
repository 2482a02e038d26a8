import java.io.*;
import java.net.*;
import java.nio.file.*;
import java.util.*;
import java.util.concurrent.*;
import java.time.Instant;

/**
 * The stories of the classic "one TCP close, watched with tcpdump" write-up, as real kernel traffic
 * on loopback. Run by make-captures.sh while tcpdump captures; writes STORY.truth.json: what the
 * applications saw (every read/write/close result) and what the kernel reported (ss at each key
 * moment), and a verdict derived from those reports alone, never from the packets.
 *
 * Usage: java Scenarios.java STORY OUTDIR [HOST]     (HOST 127.0.0.1 or ::1)
 */
public class Scenarios {
    static final int PORT = 10355;
    static String host = "127.0.0.1";
    /** The client's address when it differs from the server's (namespaces). */
    static String clientHost;
    static final List<Map<String, Object>> kernel = new ArrayList<>();
    static final Map<String, List<Map<String, Object>>> apps = new LinkedHashMap<>();
    static final List<Map<String, Object>> verdicts = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        String story = args[0];
        Path out = Path.of(args[1]);
        if (args.length > 2) host = args[2];
        baselineSockets = socketKeys();
        baselineCounters = counters();
        apps.put("client", new ArrayList<>());
        apps.put("server", new ArrayList<>());
        String description = switch (story) {
            case "close-normal", "ipv6-close-normal" -> closeNormal();
            case "return-from-main" -> returnFromMain();
            case "sigkill" -> sigkill();
            case "write-after-close", "ipv6-write-after-close" -> writeAfterClose();
            case "unread-data-rst" -> unreadDataRst();
            case "linger-zero" -> lingerZero();
            case "half-close" -> halfClose();
            case "server-closes-first" -> serverClosesFirst();
            case "refused" -> refused();
            case "reuse-time-wait" -> reuseTimeWait();
            case "busy" -> busy();
            case "small-buffers" -> smallBuffers();
            case "child-client" -> childClient(args);
            case "simultaneous-close" -> simultaneousClose();
            case "fin-retransmit" -> finRetransmit();
            case "services" -> servicesSideBySide();
            case "sim-server" -> simServer(args);
            case "sim-client" -> simClient(args);
            case "challenge-ack" -> challengeAck();
            case "vanished-peer" -> vanishedPeer();
            case "syn-cookies" -> synCookies();
            case "fast-open" -> fastOpen();
            case "rfc1337-off" -> rstIntoTimeWait(false);
            case "rfc1337-on" -> rstIntoTimeWait(true);
            case "simultaneous-open" -> simultaneousOpen();
            case "out-of-order-fin" -> outOfOrderFin();
            case "fin-data-crossing" -> finDataCrossing();
            case "wire-peer" -> wirePeer(args);
            case "unread-lone-rst" -> unreadLoneRst();
            case "duplicates" -> duplicates();
            case "keepalive" -> keepalive();
            case "keepalive-dead-peer" -> keepaliveDeadPeer();
            case "zero-window" -> zeroWindow();
            case "fin-with-data" -> finWithData();
            case "vlan" -> vlan();
            case "two-points" -> twoPoints();
            case "two-points-fin" -> twoPointsFin();
            case "ooo-fin" -> oooFin();
            case "reordered-data" -> reorderedData();
            case "data-fin-crossing" -> dataFinCrossing();
            case "wire-server" -> wireServer(args[3]);
            case "wire-client" -> wireClient(args[3]);
            default -> throw new IllegalArgumentException("unknown story " + story);
        };
        if (story.equals("child-client") || story.startsWith("sim-") || story.startsWith("wire-")) return;
        Map<String, Object> truth = new LinkedHashMap<>();
        truth.put("story", story);
        truth.put("description", description);
        truth.put("server", Map.of("ip", host, "port", PORT));
        truth.put("kernel", kernel);
        truth.put("kernel_counters", counterDeltas());
        truth.put("apps", apps);
        truth.put("verdict", verdicts);
        if (!services.isEmpty()) {
            // Hundreds of connections: the truth is per service (what the applications did, ss per port).
            truth.put("services", services);
            truth.put("settings", settings);
        } else if (!settings.isEmpty()) {
            truth.put("settings", settings); // the namespace's sysctls the story relies on
        }
        if (wireSide != null) {
            truth.put("kernel_counters_by_host", countersByHost());
            truth.put("forwarder", Map.of("faults", forwarderFaults()));
        }
        if (story.startsWith("two-points")) {
            // One connection, two capture points: a truth for each, differing only in where it listened.
            for (String side : List.of("client", "server")) {
                truth.put("capture_side", side);
                Files.writeString(out.resolve(story + "-" + side + ".truth.json"), Json.write(truth) + "\n");
            }
            return;
        }
        if (wireSide != null) truth.put("capture_side", wireSide);
        Files.writeString(out.resolve(story + ".truth.json"), Json.write(truth) + "\n");
    }

    // ---------------------------------------------------------------- recording

    /** Sockets on the port left over from earlier stories (TIME_WAIT lasts 60 s): not this story's. */
    static Set<String> baselineSockets = Set.of();
    static Map<String, Long> baselineCounters = Map.of();
    static final List<String> COUNTERS = List.of("TcpActiveOpens", "TcpPassiveOpens", "TcpAttemptFails",
            "TcpEstabResets", "TcpOutRsts", "TcpExtTW", "TcpExtTCPAbortOnData", "TcpExtTCPAbortOnClose",
            "TcpExtTCPAbortOnLinger", "TcpRetransSegs", "TcpExtTCPChallengeACK",
            "TcpExtSyncookiesSent", "TcpExtSyncookiesRecv", "TcpExtSyncookiesFailed", "TcpExtTCPFastOpenActive",
            "TcpExtTCPFastOpenActiveFail", "TcpExtTCPFastOpenPassive", "TcpExtTCPFastOpenPassiveFail",
            "TcpExtTCPFastOpenCookieReqd", "TcpExtTCPOFOQueue", "TcpExtTWKilled", "TcpExtTCPSACKReorder",
            "TcpExtTCPKeepAlive", "TcpExtTCPWinProbe", "TcpExtTCPAbortOnTimeout", "TcpExtTCPSynRetrans",
            "TcpExtTCPDSACKOldSent", "TcpExtTCPLossProbes", "TcpExtTCPFastRetrans", "TcpExtTCPTimeouts");

    static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes());
        p.waitFor(5, TimeUnit.SECONDS);
        return text;
    }

    /** The kernel's own TCP counters (nstat, absolute values, history file untouched). */
    static Map<String, Long> counters() throws Exception {
        return nstatValues(inEachNamespace(nstatCommand()));
    }

    static String[] nstatCommand() {
        List<String> cmd = new ArrayList<>(List.of("nstat", "-asz"));
        cmd.addAll(COUNTERS);
        return cmd.toArray(String[]::new);
    }

    /** nstat's lines as counter values, summed over the namespaces that printed them. */
    static Map<String, Long> nstatValues(String text) {
        Map<String, Long> values = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 2 && COUNTERS.contains(f[0])) values.merge(f[0], Long.parseLong(f[1]), Long::sum);
        }
        return values;
    }

    /** How much each counter moved since the story began (the machine is otherwise quiet on TCP). */
    static Map<String, Long> counterDeltas() throws Exception {
        return since(baselineCounters);
    }

    /** The counters a story is judged by, as moved since {@code before}. */
    static Map<String, Long> since(Map<String, Long> before) throws Exception {
        return delta(counters(), before);
    }

    static Map<String, Long> delta(Map<String, Long> now, Map<String, Long> before) {
        Map<String, Long> d = new LinkedHashMap<>();
        for (String c : COUNTERS) d.put(c, now.getOrDefault(c, 0L) - before.getOrDefault(c, 0L));
        return d;
    }

    static Set<String> socketKeys() throws Exception {
        Set<String> keys = new HashSet<>();
        for (Map<String, String> s : rawSnapshot()) keys.add(s.get("local") + " " + s.get("peer"));
        return keys;
    }

    static double now() {
        Instant i = Instant.now();
        return i.getEpochSecond() + i.getNano() / 1e9;
    }

    static void app(String who, String call, String result) {
        app(who, now(), call, result);
    }

    /** One call of an application and its result, at an instant (epoch seconds) it reported itself. */
    static void app(String who, double at, String call, String result) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("at", at);
        e.put("call", call);
        e.put("result", result);
        synchronized (apps) {
            apps.get(who).add(e);
        }
    }

    /** One ss snapshot of every connection on the story's port (listeners left out). */
    static List<Map<String, String>> snapshot(String moment) throws Exception {
        List<Map<String, String>> sockets = new ArrayList<>();
        for (Map<String, String> s : rawSnapshot()) {
            if (!baselineSockets.contains(s.get("local") + " " + s.get("peer"))) sockets.add(s);
        }
        kernelRecord(moment, "sockets", sockets);
        return sockets;
    }

    /** One moment of the kernel's view in the truth: what ss showed ({@code key}), and when. */
    static Map<String, Object> kernelRecord(String moment, String key, Object view) {
        Map<String, Object> snap = new LinkedHashMap<>();
        snap.put("moment", moment);
        snap.put("at", now());
        snap.put(key, view);
        kernel.add(snap);
        return snap;
    }

    /** Network namespaces the story runs in (simultaneous-close); empty = this one. */
    static List<String> namespaces = List.of();

    static String inEachNamespace(String... cmd) throws Exception {
        if (namespaces.isEmpty()) return run(cmd);
        StringBuilder all = new StringBuilder();
        for (String ns : namespaces) {
            List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", ns));
            c.addAll(List.of(cmd));
            all.append(run(c.toArray(String[]::new))).append("\n");
        }
        return all.toString();
    }

    static List<Map<String, String>> rawSnapshot() throws Exception {
        String text = inEachNamespace("ss", "-tanoH", "state", "all", "( sport = :" + PORT + " or dport = :" + PORT + " )");
        List<Map<String, String>> sockets = new ArrayList<>();
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 5 || f[0].equals("LISTEN")) continue;
            Map<String, String> s = new LinkedHashMap<>();
            s.put("local", f[3]);
            s.put("peer", f[4]);
            s.put("state", f[0]);
            String timer = "";
            for (int i = 5; i < f.length; i++) if (f[i].startsWith("timer:")) timer = f[i].substring(7, f[i].length() - 1);
            s.put("timer", timer);
            sockets.add(s);
        }
        return sockets;
    }

    static String rfc(String ss) {
        return switch (ss) {
            case "ESTAB" -> "ESTABLISHED";
            case "SYN-SENT" -> "SYN_SENT";
            case "SYN-RECV" -> "SYN_RCVD";
            case "FIN-WAIT-1" -> "FIN_WAIT_1";
            case "FIN-WAIT-2" -> "FIN_WAIT_2";
            case "CLOSE-WAIT" -> "CLOSE_WAIT";
            case "LAST-ACK" -> "LAST_ACK";
            case "TIME-WAIT" -> "TIME_WAIT";
            case "CLOSING" -> "CLOSING";
            default -> ss;
        };
    }

    /** The kernel's state of the socket whose local end has this port, in the last snapshot (gone = CLOSED). */
    static String stateOf(List<Map<String, String>> snap, int localPort) {
        for (Map<String, String> s : snap) {
            if (s.get("local").endsWith(":" + localPort)) return rfc(s.get("state"));
        }
        return "CLOSED";
    }

    /** The server-side socket of a connection is the one whose peer is the client's port. */
    static String serverStateOf(List<Map<String, String>> snap, int clientPort) {
        for (Map<String, String> s : snap) {
            if (s.get("local").endsWith(":" + PORT) && s.get("peer").endsWith(":" + clientPort)) return rfc(s.get("state"));
        }
        return "CLOSED";
    }

    static Map<String, Object> verdict(int clientPort, String firstFin, boolean halfClose, List<Map<String, Object>> resets,
                                       List<Map<String, String>> finalSnap) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("client", Map.of("ip", clientHost != null ? clientHost : host, "port", clientPort));
        v.put("server", Map.of("ip", host, "port", PORT));
        v.put("first_fin", firstFin);
        v.put("half_close", halfClose);
        v.put("resets", resets);
        String c = stateOf(finalSnap, clientPort);
        String s = serverStateOf(finalSnap, clientPort);
        List<String> tw = new ArrayList<>();
        if (c.equals("TIME_WAIT")) tw.add("client");
        if (s.equals("TIME_WAIT")) tw.add("server");
        v.put("time_wait", tw);
        v.put("final_states", Map.of("client", c, "server", s));
        verdicts.add(v);
        return v;
    }

    static Map<String, Object> rst(String by, String senderState, String evidence) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("by", by);
        r.put("sender_state", senderState);
        r.put("evidence", evidence);
        return r;
    }

    /** The side that the kernel showed in a closing state first (FIN sent) while the other was not. */
    static String firstFinFrom(List<Map<String, String>> snap, int clientPort) {
        Set<String> sentFin = Set.of("FIN_WAIT_1", "FIN_WAIT_2", "CLOSING", "TIME_WAIT", "LAST_ACK");
        boolean c = sentFin.contains(stateOf(snap, clientPort)) && !stateOf(snap, clientPort).equals("LAST_ACK");
        boolean s = sentFin.contains(serverStateOf(snap, clientPort)) && !serverStateOf(snap, clientPort).equals("LAST_ACK");
        return c && !s ? "client" : s && !c ? "server" : null;
    }

    static void settle() throws InterruptedException {
        Thread.sleep(150);
    }

    static ServerSocket listen() throws IOException {
        return listen(PORT, 0, 50);
    }

    /** A listener on the story's host with address reuse and, when {@code receiveBuffer} > 0, that SO_RCVBUF. */
    static ServerSocket listen(int port, int receiveBuffer, int backlog) throws IOException {
        ServerSocket ss = new ServerSocket();
        ss.setReuseAddress(true);
        if (receiveBuffer > 0) ss.setReceiveBufferSize(receiveBuffer);
        ss.bind(new InetSocketAddress(host, port), backlog);
        return ss;
    }

    static Socket connect() throws IOException {
        return connectTo(PORT, 3000);
    }

    static Socket connectTo(int port, int timeoutMs) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(host, port), timeoutMs);
        return s;
    }

    /** A client socket bound to {@code port} of the story's host (0: any) with SO_REUSEADDR, not yet connected. */
    static Socket boundClient(int port) throws IOException {
        Socket c = new Socket();
        c.setReuseAddress(true);
        c.bind(new InetSocketAddress(host, port));
        return c;
    }

    /** Keepalive after 1 s idle, probes 1 s apart, 3 of them. */
    static Socket keepAlive(Socket c) throws IOException {
        c.setKeepAlive(true);
        c.setOption(jdk.net.ExtendedSocketOptions.TCP_KEEPIDLE, 1);
        c.setOption(jdk.net.ExtendedSocketOptions.TCP_KEEPINTERVAL, 1);
        c.setOption(jdk.net.ExtendedSocketOptions.TCP_KEEPCOUNT, 3);
        return c;
    }

    /**
     * One connection on the story's port: the listener, the client, the server's accepted socket and the
     * client's port. Closing it closes the listener only: each story closes the two sockets itself, as part
     * of what it plays. The side methods record what the application saw, as the write-up's programs do.
     */
    record Conn(ServerSocket listener, Socket client, Socket server, int clientPort) implements AutoCloseable {
        Socket of(String who) {
            return who.equals("client") ? client : server;
        }

        /** {@code who} writes {@code bytes}: "ok" or the exception's message. */
        String write(String who, int bytes) throws IOException {
            return tryWrite(who, of(who).getOutputStream(), bytes);
        }

        /** {@code who} reads until EOF or an error: "EOF" or the exception's message. */
        String drain(String who) throws IOException {
            return readLoop(who, of(who).getInputStream());
        }

        /** {@code who} reads {@code bytes} (fewer only at EOF). */
        void readN(String who, int bytes) throws IOException {
            app(who, "read", of(who).getInputStream().readNBytes(bytes).length + " bytes");
        }

        /** {@code who} writes {@code bytes} and the other side reads them. */
        void deliver(String who, int bytes) throws IOException {
            write(who, bytes);
            readN(who.equals("client") ? "server" : "client", bytes);
        }

        void closeBy(String who) throws IOException {
            closeBy(who, "ok");
        }

        /** {@code who} closes; {@code result} is what the truth says of it (how it closed). */
        void closeBy(String who, String result) throws IOException {
            of(who).close();
            app(who, "close", result);
        }

        @Override
        public void close() throws IOException {
            listener.close();
        }
    }

    /** Connects {@code client} (configured, not yet connected) to {@code listener} and accepts it there. */
    static Conn accept(ServerSocket listener, Socket client) throws IOException {
        try {
            client.connect(new InetSocketAddress(host, PORT), 3000);
            Socket server = listener.accept();
            return new Conn(listener, client, server, client.getLocalPort());
        } catch (IOException e) {
            listener.close();
            throw e;
        }
    }

    /** The plain connection of most stories. */
    static Conn open() throws IOException {
        return accept(listen(), new Socket());
    }

    /** SO_RCVBUF of the listener and SO_SNDBUF of the client shrunk to {@code bytes}. */
    static Conn openSmallBuffers(int bytes) throws IOException {
        ServerSocket ss = listen(PORT, bytes, 5);
        Socket c = new Socket();
        c.setSendBufferSize(bytes);
        return accept(ss, c);
    }

    /**
     * The four-way close: {@code first} closes, ss is read, the other side reads to EOF and closes, ss again.
     * The verdict's first FIN is the one ss saw after the first close().
     */
    static Map<String, Object> closeInTurn(Conn k, String first) throws Exception {
        String second = first.equals("client") ? "server" : "client";
        k.closeBy(first);
        settle();
        List<Map<String, String>> afterFirst = snapshot("after " + first + " close()");
        k.drain(second);
        k.closeBy(second);
        settle();
        return verdict(k.clientPort(), firstFinFrom(afterFirst, k.clientPort()), false, List.of(),
                snapshot("after " + second + " close()"));
    }

    @FunctionalInterface
    interface IoAction {
        void run() throws IOException;
    }

    /**
     * The client writes {@code bytes} on a thread of its own (the write blocks while the server's window is
     * shut), then does {@code then}, recorded as its call {@code call}: "ok" or the exception's message.
     */
    static Thread clientWriter(Conn k, int bytes, String call, IoAction then) {
        Thread writer = new Thread(() -> {
            tryWrite("client", uncheckedOut(k.client()), bytes);
            try {
                then.run();
                app("client", call, "ok");
            } catch (IOException e) {
                app("client", call, "exception: " + e.getMessage());
            }
        });
        writer.start();
        return writer;
    }

    /** A helper script next to this file (scenarios/). */
    static String sibling(String name) {
        return Path.of(source()).resolveSibling(name).toString();
    }

    static String source() {
        return System.getProperty("scenarios.src", "Scenarios.java");
    }

    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The write-up's server: reads 100 bytes at a time until EOF or an error, recording each result. */
    static String readLoop(String who, InputStream in) {
        byte[] buf = new byte[100];
        long total = 0;
        try {
            for (int i = 0; i < 100_000; i++) {
                int n = in.read(buf);
                if (n < 0) {
                    app(who, "read", "EOF (-1) after " + total + " bytes");
                    return "EOF";
                }
                total += n;
            }
            return "limit";
        } catch (IOException e) {
            app(who, "read", "exception: " + e.getMessage() + " after " + total + " bytes");
            return e.getMessage();
        }
    }

    static String tryWrite(String who, OutputStream out, int bytes) {
        try {
            out.write(new byte[bytes]);
            out.flush();
            app(who, "write", bytes + " bytes: ok");
            return "ok";
        } catch (IOException e) {
            app(who, "write", "exception: " + e.getMessage());
            return e.getMessage();
        }
    }

    // ---------------------------------------------------------------- stories

    static String closeNormal() throws Exception {
        try (Conn k = open()) {
            k.write("client", 300);
            closeInTurn(k, "client");
        }
        return "client writes 300 bytes and calls close(); the server reads to EOF and closes: four-way close, client in TIME_WAIT";
    }

    static String returnFromMain() throws Exception {
        try (ServerSocket ss = listen()) {
            Process child = new ProcessBuilder(javaCmd("child-client", "exit")).inheritIO().start();
            Socket s = ss.accept();
            int cp = s.getPort();
            readLoop("server", s.getInputStream());
            child.waitFor(10, TimeUnit.SECONDS);
            app("client", "exit", "returned from main without close(), exit code " + child.exitValue());
            settle();
            List<Map<String, String>> afterEof = snapshot("after server read EOF");
            s.close();
            app("server", "close", "ok");
            settle();
            verdict(cp, firstFinFrom(afterEof, cp), false, List.of(), snapshot("after server close()"));
        }
        return "client process writes and returns from main without close(): the kernel sends FIN anyway";
    }

    static String sigkill() throws Exception {
        try (ServerSocket ss = listen()) {
            Process child = new ProcessBuilder(javaCmd("child-client", "write-forever")).inheritIO().start();
            Socket s = ss.accept();
            int cp = s.getPort();
            byte[] buf = new byte[100];
            int n = s.getInputStream().read(buf);
            app("server", "read", n + " bytes");
            Thread.sleep(200);
            Process kill = new ProcessBuilder("kill", "-9", String.valueOf(child.pid())).start();
            kill.waitFor(5, TimeUnit.SECONDS);
            child.waitFor(10, TimeUnit.SECONDS);
            app("client", "SIGKILL", "process killed mid-write, exit code " + child.exitValue());
            String r = readLoop("server", s.getInputStream());
            settle();
            List<Map<String, String>> afterKill = snapshot("after client killed and server read " + r);
            s.close();
            app("server", "close", "ok");
            settle();
            verdict(cp, firstFinFrom(afterKill, cp), false, List.of(), snapshot("after server close()"));
        }
        return "client process killed with SIGKILL while writing: its kernel still closes the socket with FIN";
    }

    /**
     * RFC 5961 3.2: a RST inside the server's window but 1000 bytes past its RCV.NXT, forged from the
     * client's address by scenarios/rst_injector.py (raw socket; it reads the numbers off the wire when
     * the server sends). Linux answers with a challenge ACK (TcpExtTCPChallengeACK +1) and the connection
     * lives on: the client then writes again, the server reads it, and both close gracefully.
     */
    static String challengeAck() throws Exception {
        apps.put("injector", new ArrayList<>());
        try (Conn k = open()) {
            int cp = k.clientPort();
            k.deliver("client", 100);
            settle();
            Process inject = new ProcessBuilder("python3", sibling("rst_injector.py"), String.valueOf(cp), String.valueOf(PORT), "1000", "5")
                    .redirectErrorStream(true).start();
            Thread.sleep(500); // the injector's packet socket is open
            k.deliver("server", 10);   // the segment whose numbers the injector reads
            String injected = new String(inject.getInputStream().readAllBytes()).trim();
            inject.waitFor(10, TimeUnit.SECONDS);
            app("injector", "forged RST", injected);
            settle();
            Map<String, Long> afterRst = counterDeltas();
            List<Map<String, String>> afterInjection = snapshot("after the forged in-window RST");
            // The connection still works both ways, then closes as close-normal does.
            k.write("client", 100);
            app("server", "read", k.server().getInputStream().readNBytes(100).length + " bytes after the RST");
            Map<String, Object> v = closeInTurn(k, "client");
            List<Map<String, Object>> challenged = new ArrayList<>();
            if (afterRst.getOrDefault("TcpExtTCPChallengeACK", 0L) > 0 && stateOf(afterInjection, cp).equals("ESTABLISHED")
                    && serverStateOf(afterInjection, cp).equals("ESTABLISHED")) {
                challenged.add(rst("client", "ESTABLISHED", "forged by rst_injector.py (" + injected + "); kernel counter "
                        + "TcpExtTCPChallengeACK +" + afterRst.get("TcpExtTCPChallengeACK") + ", both sockets ESTABLISHED after it"));
            }
            v.put("challenged_resets", challenged);
            v.put("injected_rsts", 1);
        }
        return "a RST forged from the client's address lands in the server's window 1000 bytes past RCV.NXT: the kernel "
                + "answers with a challenge ACK (RFC 5961 3.2) and the connection lives on, then closes gracefully";
    }

    /**
     * A vanished peer: the server aborts (SO_LINGER 0) and its RST is lost (an nft rule in the story's
     * namespace drops RSTs from the server's port, so the capture never sees it); the rule is then
     * removed and the client, which never learned, writes again. The server's kernel has no socket left
     * and answers with RST, no ACK, seq = the write's acknowledgement number (tcp_v4_send_reset).
     */
    static String vanishedPeer() throws Exception {
        apps.put("wire", new ArrayList<>());
        try (Conn k = open()) {
            int cp = k.clientPort();
            k.deliver("client", 100);
            settle();
            k.server().setSoLinger(true, 0);
            k.closeBy("server", "ok (SO_LINGER on, timeout 0): its RST is dropped by the story's nft rule");
            settle();
            Map<String, Long> afterAbort = counterDeltas();
            List<Map<String, String>> gone = snapshot("after the server's abort, its RST lost");
            app("wire", "nft flush chain inet finwait_story output", run("nft", "flush", "chain", "inet", "finwait_story", "output").trim());
            Thread.sleep(2000); // the client stays silent a while: it does not know
            k.write("client", 100);
            settle();
            String r = k.drain("client");
            k.client().close();
            settle();
            List<Map<String, Object>> resets = new ArrayList<>();
            if (r.toLowerCase().contains("reset") && serverStateOf(gone, cp).equals("CLOSED")
                    && stateOf(gone, cp).equals("ESTABLISHED")) {
                resets.add(rst("server", "CLOSED", "no server socket in ss after its abort (client still ESTABLISHED); "
                        + "the client's next write drew a RST: " + r));
            }
            Map<String, Object> v = verdict(cp, null, false, resets, snapshot("after the client's write and close()"));
            v.put("lost_rsts", afterAbort.getOrDefault("TcpOutRsts", 0L));
        }
        return "the server aborts and its RST is lost (dropped before the capture point); the client writes again and "
                + "the server's kernel, without a socket, answers with RST (no ACK, seq = the write's ack): no_socket";
    }

    static String writeAfterClose() throws Exception {
        try (Conn k = open()) {
            int cp = k.clientPort();
            k.write("client", 100);
            k.closeBy("client");
            settle();
            List<Map<String, String>> afterClose = snapshot("after client close()");
            String clientState = stateOf(afterClose, cp);
            app("server", "read", k.server().getInputStream().read(new byte[100]) + " bytes");
            // Data sent after the peer's FIN is a half-close, deliberate or not.
            boolean halfClose = k.write("server", 100).equals("ok");
            settle();
            List<Map<String, String>> afterWrite = snapshot("after server write to a closed peer");
            String second = k.write("server", 100);
            String read = k.drain("server");
            k.server().close();
            settle();
            List<Map<String, Object>> resets = new ArrayList<>();
            boolean serverSawReset = second.toLowerCase().contains("reset") || second.toLowerCase().contains("broken pipe")
                    || read.toLowerCase().contains("reset");
            if (serverSawReset && stateOf(afterWrite, cp).equals("CLOSED")) {
                resets.add(rst("client", clientState, "server's next write/read failed: " + second + " / " + read));
            }
            verdict(cp, firstFinFrom(afterClose, cp), halfClose, resets, snapshot("after server close()"));
        }
        return "client closes; the server writes anyway: the client's kernel answers RST, the server's next write fails";
    }

    static String unreadDataRst() throws Exception {
        try (Conn k = open()) {
            int cp = k.clientPort();
            k.write("server", 500);
            Thread.sleep(100);
            snapshot("client has 500 unread bytes");
            k.closeBy("client", "ok, with 500 bytes unread");
            settle();
            String r = k.drain("server");
            k.server().close();
            settle();
            // JDK's close() shuts the output down first (FIN) unless SO_LINGER is 0, then the kernel's
            // close() finds unread data and aborts (RFC 2525 2.17): the RST leaves in FIN_WAIT_1.
            List<Map<String, Object>> resets = new ArrayList<>();
            long aborts = counterDeltas().get("TcpExtTCPAbortOnClose");
            if (aborts > 0) {
                resets.add(rst("client", "FIN_WAIT_1", "kernel counter TcpExtTCPAbortOnClose +" + aborts
                        + " (close() with unread data); server read: " + r));
            }
            verdict(cp, "client", false, resets, snapshot("after server close()"));
        }
        return "client closes with 500 unread bytes in its receive buffer: the kernel aborts with RST (RFC 2525 2.17); Java shuts the output down first, so a FIN precedes it";
    }

    /**
     * Two servers that close as C programs do (c_close_server.py: close(2) with no shutdown first), each
     * with a 4 KiB receive buffer: the first reads 100 bytes of the 64 KiB its client sends and closes with
     * the rest unread (the kernel sends RST instead of FIN: TcpExtTCPAbortOnClose); the second reads all
     * 100 bytes its client sends and closes with SO_LINGER 0 (TcpExtTCPAbortOnData). Both RSTs leave
     * ESTABLISHED with no FIN; only the receive window before them tells the two apart.
     */
    static String unreadLoneRst() throws Exception {
        cCloseServer(4096, 64 * 1024, 100, "close");
        cCloseServer(4096, 100, 100, "linger0");
        return "C-style servers with a 4 KiB receive buffer: one reads 100 of 64 KiB and close()s with the rest"
                + " unread (lone RST, TcpExtTCPAbortOnClose), one reads all 100 bytes and closes with SO_LINGER 0"
                + " (lone RST, TcpExtTCPAbortOnData)";
    }

    static void cCloseServer(int rcvbuf, int send, int read, String how) throws Exception {
        Process p = new ProcessBuilder("python3", sibling("c_close_server.py"), host, String.valueOf(PORT), String.valueOf(rcvbuf),
                String.valueOf(read), how).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream()));
            Writer in = new OutputStreamWriter(p.getOutputStream());
            String listening = out.readLine(); // the server's own waits are bounded (10 s)
            if (!"listening".equals(listening)) throw new IllegalStateException("c_close_server.py: " + listening);
            Map<String, Long> before = counters();
            Socket c = connect();
            int cp = c.getLocalPort();
            OutputStream cout = c.getOutputStream();
            Thread writer = new Thread(() -> tryWrite("client", cout, send)); // blocks once the window is shut
            writer.start();
            app("server", "read", out.readLine());
            Thread.sleep(300); // the client fills what window there is; the server's ACKs show it
            String recvQ = recvQueue(cp);
            snapshot("server read " + read + " bytes, before its close(); its Recv-Q: " + recvQ + " bytes");
            in.write("close\n");
            in.flush();
            app("server", how.equals("linger0") ? "close (SO_LINGER on, timeout 0)" : "close", out.readLine());
            settle();
            writer.join(10_000);
            String r = readLoop("client", c.getInputStream());
            c.close();
            settle();
            Map<String, Long> after = counters();
            long onClose = after.get("TcpExtTCPAbortOnClose") - before.get("TcpExtTCPAbortOnClose");
            long onData = after.get("TcpExtTCPAbortOnData") - before.get("TcpExtTCPAbortOnData");
            List<Map<String, Object>> resets = new ArrayList<>();
            resets.add(rst("server", "ESTABLISHED", "kernel counters TcpExtTCPAbortOnClose +" + onClose
                    + " (close() with unread input), TcpExtTCPAbortOnData +" + onData + " (SO_LINGER 0); the server's"
                    + " Recv-Q before close(): " + recvQ + " bytes unread; client read: " + r));
            verdict(cp, null, false, resets, snapshot("after server close()"));
        } finally {
            if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly();
        }
    }

    /** The kernel's count of bytes received and not yet read by the server socket of this client (ss Recv-Q). */
    static String recvQueue(int clientPort) throws Exception {
        for (String line : run("ss", "-tanH", "( sport = :" + PORT + " )").split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 5 && f[4].endsWith(":" + clientPort)) return f[1];
        }
        return "?";
    }

    static String lingerZero() throws Exception {
        try (Conn k = open()) {
            int cp = k.clientPort();
            k.write("client", 100);
            app("server", "read", k.server().getInputStream().read(new byte[100]) + " bytes");
            List<Map<String, String>> before = snapshot("before client close() with SO_LINGER 0");
            k.client().setSoLinger(true, 0);
            k.closeBy("client", "ok (SO_LINGER on, timeout 0)");
            settle();
            String r = k.drain("server");
            k.server().close();
            settle();
            // SO_LINGER 0: close() aborts from ESTABLISHED with no FIN (TcpExtTCPAbortOnData counts it).
            List<Map<String, Object>> resets = new ArrayList<>();
            if (r.toLowerCase().contains("reset")) {
                resets.add(rst("client", stateOf(before, cp), "server read failed: " + r));
            }
            verdict(cp, null, false, resets, snapshot("after server close()"));
        }
        return "client sets SO_LINGER with timeout 0 and closes: abortive close, RST, no TIME_WAIT";
    }

    static String halfClose() throws Exception {
        try (Conn k = open()) {
            int cp = k.clientPort();
            k.write("client", 100);
            k.client().shutdownOutput();
            app("client", "shutdownOutput", "ok");
            k.drain("server");
            settle();
            List<Map<String, String>> half = snapshot("after client shutdownOutput(), server got EOF");
            for (int i = 0; i < 5; i++) {
                k.write("server", 1000);
                Thread.sleep(20);
            }
            k.closeBy("server");
            String got = k.drain("client");
            k.client().close();
            settle();
            boolean clientReadData = got.equals("EOF");
            verdict(cp, firstFinFrom(half, cp), clientReadData, List.of(), snapshot("after both closed"));
        }
        return "client shutdownOutput() (half-close); the server keeps sending 5000 bytes, then closes";
    }

    static String serverClosesFirst() throws Exception {
        try (Conn k = open()) {
            k.write("server", 200);
            closeInTurn(k, "server");
        }
        return "the server writes and closes first: the server's side ends in TIME_WAIT";
    }

    static String refused() throws Exception {
        Socket c = new Socket();
        int cp = 0;
        try {
            c.bind(new InetSocketAddress(host, 0));
            cp = c.getLocalPort();
            c.connect(new InetSocketAddress(host, PORT), 3000);
            app("client", "connect", "ok (unexpected: something listens on " + PORT + ")");
        } catch (IOException e) {
            app("client", "connect", "exception: " + e.getMessage());
        } finally {
            c.close();
        }
        settle();
        List<Map<String, Object>> resets = List.of(rst("server", "CLOSED", "connect() failed: connection refused"));
        verdict(cp, null, false, resets, snapshot("after connect() failed"));
        return "nothing listens on the port: the SYN is answered by RST+ACK, connect() fails with ECONNREFUSED";
    }

    static String reuseTimeWait() throws Exception {
        try (Conn k = accept(listen(), boundClient(0))) {
            int cp = k.clientPort();
            k.write("client", 100);
            // nothing unread: close() sends FIN, not RST
            app("server", "read", k.server().getInputStream().read(new byte[100]) + " bytes");
            // The server closes first, so the server side holds TIME_WAIT, and the client reconnects
            // from the same port at once: Linux accepts the new SYN in TIME_WAIT when its ISN/timestamp is newer.
            k.closeBy("server");
            k.drain("client");
            k.closeBy("client");
            settle();
            List<Map<String, String>> first = snapshot("first connection closed, server side in TIME_WAIT");
            String firstFin = firstFinFrom(first, cp);
            Socket again = boundClient(cp);
            try {
                again.connect(new InetSocketAddress(host, PORT), 3000);
                app("client", "connect from port " + cp + " again", "ok");
                Socket s2 = k.listener().accept();
                tryWrite("client", again.getOutputStream(), 100);
                again.close();
                readLoop("server", s2.getInputStream());
                s2.close();
            } catch (IOException e) {
                app("client", "connect from port " + cp + " again", "exception: " + e.getMessage());
                again.close();
            }
            settle();
            List<Map<String, String>> last = snapshot("after the second connection");
            Map<String, Object> v1 = verdict(cp, firstFin, false, List.of(), first);
            v1.put("incarnation", 1);
            Map<String, Object> v2 = verdict(cp, "client", false, List.of(), last);
            v2.put("incarnation", 2);
        }
        return "server closes first (server-side TIME_WAIT); the client reconnects from the same port at once";
    }

    static String busy() throws Exception {
        int n = 60;
        try (ServerSocket ss = listen()) {
            ExecutorService pool = Executors.newFixedThreadPool(16);
            List<Future<int[]>> clients = new ArrayList<>();
            Thread acceptor = acceptor(ss, n, pool, s -> {
                try (s) {
                    s.getInputStream().readAllBytes();
                } catch (IOException e) {
                    // resets are part of the mix
                }
            });
            for (int i = 0; i < n; i++) {
                final int kind = i % 3;
                Thread.sleep(5); // 200 connections/s: tcpdump -i any keeps up (no kernel drops)
                clients.add(pool.submit(() -> {
                    Socket c = connect();
                    int cp = c.getLocalPort();
                    c.getOutputStream().write(new byte[50 + kind * 100]);
                    if (kind == 1) c.setSoLinger(true, 0);
                    if (kind == 2) {
                        c.shutdownOutput();
                        Thread.sleep(20);
                    }
                    c.close();
                    return new int[] {cp, kind};
                }));
            }
            List<int[]> done = new ArrayList<>();
            for (Future<int[]> f : clients) done.add(f.get(20, TimeUnit.SECONDS));
            acceptor.join(20_000);
            pool.shutdown();
            pool.awaitTermination(20, TimeUnit.SECONDS);
            Thread.sleep(300);
            List<Map<String, String>> last = snapshot("after all " + n + " connections");
            for (int[] d : done) {
                List<Map<String, Object>> resets = d[1] == 1
                        ? List.of(rst("client", "ESTABLISHED", "SO_LINGER 0 close()")) : List.of();
                verdict(d[0], d[1] == 1 ? null : "client", false, resets, last);
            }
            app("client", "connections", n + " (one in three with SO_LINGER 0, one in three half-closed first)");
        }
        return n + " concurrent connections: normal closes, SO_LINGER 0 aborts and half-closes mixed";
    }

    static String smallBuffers() throws Exception {
        try (Conn k = openSmallBuffers(4096)) {
            Thread writer = clientWriter(k, 64 * 1024, "close", k.client()::close);
            Thread.sleep(200);
            snapshot("client write blocked on small buffers");
            String r = k.drain("server");
            writer.join(10_000);
            settle();
            snapshot("after the server read everything (" + r + ")");
            k.server().close();
            settle();
            verdict(k.clientPort(), "client", false, List.of(), snapshot("after server close()"));
        }
        return "SO_SNDBUF / SO_RCVBUF shrunk to 4 KiB: the client's 64 KiB write blocks, data is in flight when it closes";
    }

    // ---------------------------------------------------------------- several services side by side

    /** Ports of the services story, one behaviour each (make-captures.sh: namespace fw-svc). */
    static final int SVC_CLEAN = 10401, SVC_STUCK = 10402, SVC_SERVER_FIRST = 10403, SVC_WRITE_AFTER = 10404,
            SVC_LINGER0 = 10405, SVC_UNREAD = 10406, SVC_REFUSED = 10407, SVC_FILTERED = 10408, SVC_POOL = 10409;
    /** What each service's applications did, and how many times (the test's denominator). */
    static final Map<Integer, Map<String, Object>> services = new TreeMap<>();
    /** The namespace's settings the story relies on, as the kernel reports them. */
    static final Map<String, Object> settings = new LinkedHashMap<>();

    static synchronized void served(int port, String behaviour, String key, long n) {
        Map<String, Object> s = services.computeIfAbsent(port, p -> new LinkedHashMap<>());
        s.put("behaviour", behaviour);
        s.merge(key, n, (a, b) -> (Long) a + (Long) b);
    }

    static ServerSocket listenOn(int port, int receiveBuffer) throws IOException {
        return listen(port, receiveBuffer, 512);
    }

    /** Accepts up to {@code n} connections on a thread of its own, handing each to {@code handler}. */
    static Thread acceptor(ServerSocket ss, int n, ExecutorService pool, java.util.function.Consumer<Socket> handler) {
        Thread t = new Thread(() -> {
            for (int i = 0; i < n; i++) {
                try {
                    Socket s = ss.accept();
                    pool.submit(() -> handler.accept(s));
                } catch (IOException e) {
                    return;
                }
            }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** A service's client: connects, writes 100 bytes, closes; counted as one of the service's connections. */
    static void writeAndClose(int port, String behaviour) throws IOException {
        Socket c = connectTo(port, 3000);
        c.getOutputStream().write(new byte[100]);
        c.close();
        served(port, behaviour, "connections", 1);
    }

    /**
     * A service's client whose connect() should fail: counted as one of the service's connections, and under
     * {@code key} when the failure's message says {@code expected}.
     */
    static void failedConnect(int port, int timeoutMs, String behaviour, String key, String expected) {
        try (Socket c = new Socket()) {
            c.connect(new InetSocketAddress(host, port), timeoutMs);
            app("client", "connect :" + port, "ok (unexpected)");
        } catch (IOException e) {
            served(port, behaviour, "connections", 1);
            served(port, behaviour, key, String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains(expected) ? 1 : 0);
        }
    }

    /** A service's server that reads to EOF and closes. */
    static void readAndClose(Socket s) {
        try (s) {
            readLoop("server", s.getInputStream());
        } catch (IOException e) {
            app("server", "close", "exception: " + e.getMessage());
        }
    }

    static void quietly(Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // the story records what matters
        }
    }

    /** ss -tan in this namespace, counted by state and by the service port on either end. */
    static Map<String, Object> portStates(String moment) throws Exception {
        Map<String, Map<String, Integer>> byPort = new TreeMap<>();
        for (String line : run("ss", "-tanH", "state", "all").split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 5 || f[0].equals("LISTEN")) continue;
            int local = Integer.parseInt(f[3].substring(f[3].lastIndexOf(':') + 1));
            int peer = Integer.parseInt(f[4].substring(f[4].lastIndexOf(':') + 1));
            boolean serverSide = local >= SVC_CLEAN && local <= SVC_POOL;
            int port = serverSide ? local : peer;
            if (port < SVC_CLEAN || port > SVC_POOL) continue;
            byPort.computeIfAbsent(String.valueOf(port), p -> new TreeMap<>())
                    .merge((serverSide ? "server " : "client ") + rfc(f[0]), 1, Integer::sum);
        }
        return kernelRecord(moment, "sockets_by_port", byPort);
    }

    /**
     * Nine services on one loopback, each misbehaving in one known way (one clean), played at once in a
     * network namespace of their own (make-captures.sh), so a test can check that each service gets its
     * own finding and nothing else. The clients' ephemeral range there is 40000-40499 and TIME_WAIT
     * ports are not reused (tcp_tw_reuse 0), so the pool on port 10409 runs out of ports.
     */
    static String servicesSideBySide() throws Exception {
        settings.put("net.ipv4.ip_local_port_range", run("sysctl", "-n", "net.ipv4.ip_local_port_range").trim()
                .replaceAll("\\s+", "-"));
        settings.put("net.ipv4.tcp_tw_reuse", run("sysctl", "-n", "net.ipv4.tcp_tw_reuse").trim());
        settings.put("nft", run("nft", "list", "ruleset").trim().replaceAll("\\s+", " "));
        // Server handlers on threads of their own (one per connection, a few hundred at most), so clients
        // waiting for their server never starve it of a thread.
        ExecutorService pool = Executors.newFixedThreadPool(32);
        ExecutorService handlers = Executors.newCachedThreadPool();
        List<Closeable> listeners = new ArrayList<>();
        List<Socket> stuck = Collections.synchronizedList(new ArrayList<>());

        // 10402 first: its sockets must sit in CLOSE_WAIT for seconds while the rest plays.
        ServerSocket stuckServer = listenOn(SVC_STUCK, 0);
        listeners.add(stuckServer);
        acceptor(stuckServer, 20, handlers, s -> {
            try {
                readLoop("server", s.getInputStream());
                stuck.add(s); // read EOF, and never closes: the leak
            } catch (IOException e) {
                quietly(s);
            }
        });
        for (int i = 0; i < 20; i++) {
            writeAndClose(SVC_STUCK, "server reads to EOF and never closes (until the story ends)");
        }
        long stuckSince = System.currentTimeMillis();

        // 10401 clean: the client writes and closes; the server reads to EOF and closes.
        ServerSocket clean = listenOn(SVC_CLEAN, 0);
        listeners.add(clean);
        acceptor(clean, 20, handlers, Scenarios::readAndClose);
        // 10403: the server writes and closes first, under load (50 clients at once).
        ServerSocket first = listenOn(SVC_SERVER_FIRST, 0);
        listeners.add(first);
        acceptor(first, 50, handlers, s -> {
            try (s) {
                s.getOutputStream().write(new byte[200]);
            } catch (IOException e) {
                app("server", "write", "exception: " + e.getMessage());
            }
        });
        // 10404: the client closes; the server writes anyway, twice.
        ServerSocket writeAfter = listenOn(SVC_WRITE_AFTER, 0);
        listeners.add(writeAfter);
        acceptor(writeAfter, 10, handlers, s -> {
            try (s) {
                s.getInputStream().read(new byte[100]);
                Thread.sleep(50);
                String w1 = tryWrite("server", s.getOutputStream(), 100);
                Thread.sleep(50);
                String w2 = tryWrite("server", s.getOutputStream(), 100);
                served(SVC_WRITE_AFTER, "client closes; the server writes after it, twice",
                        "second write failed", w2.equals("ok") ? 0 : 1);
            } catch (IOException | InterruptedException e) {
                app("server", "write", "exception: " + e.getMessage());
            }
        });
        // 10405: the server reads the request and closes with SO_LINGER 0.
        ServerSocket linger = listenOn(SVC_LINGER0, 0);
        listeners.add(linger);
        acceptor(linger, 20, handlers, s -> {
            try {
                s.getInputStream().read(new byte[100]);
                s.setSoLinger(true, 0);
                s.close();
            } catch (IOException e) {
                app("server", "close", "exception: " + e.getMessage());
            }
        });
        // 10406: a 4 KiB receive buffer; the client sends 64 KiB; the server reads 100 bytes and closes.
        ServerSocket unread = listenOn(SVC_UNREAD, 4096);
        listeners.add(unread);
        acceptor(unread, 10, handlers, s -> {
            try {
                s.getInputStream().read(new byte[100]);
                Thread.sleep(100);
                s.close();
            } catch (IOException | InterruptedException e) {
                app("server", "close", "exception: " + e.getMessage());
            }
        });

        List<Future<?>> clients = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Thread.sleep(5);
            clients.add(pool.submit(() -> {
                writeAndClose(SVC_CLEAN, "client writes and closes; the server reads to EOF and closes");
                return null;
            }));
        }
        for (int i = 0; i < 50; i++) {
            Thread.sleep(2); // 50 clients within 0.1 s: the server's TIME_WAIT piles up
            clients.add(pool.submit(() -> {
                try (Socket c = connectTo(SVC_SERVER_FIRST, 3000)) {
                    c.getInputStream().readAllBytes();
                }
                served(SVC_SERVER_FIRST, "the server writes 200 bytes and closes first; 50 clients at once", "connections", 1);
                return null;
            }));
        }
        for (int i = 0; i < 10; i++) {
            clients.add(pool.submit(() -> {
                writeAndClose(SVC_WRITE_AFTER, "client closes; the server writes after it, twice");
                return null;
            }));
        }
        for (int i = 0; i < 20; i++) {
            Thread.sleep(5);
            clients.add(pool.submit(() -> {
                try (Socket c = connectTo(SVC_LINGER0, 3000)) {
                    c.getOutputStream().write(new byte[100]);
                    String r = readLoop("client", c.getInputStream());
                    served(SVC_LINGER0, "the server reads the request and closes with SO_LINGER 0", "connections", 1);
                    served(SVC_LINGER0, "the server reads the request and closes with SO_LINGER 0",
                            "client read reset", r.toLowerCase(Locale.ROOT).contains("reset") ? 1 : 0);
                }
                return null;
            }));
        }
        for (int i = 0; i < 10; i++) {
            Thread.sleep(5);
            clients.add(pool.submit(() -> {
                try (Socket c = new Socket()) {
                    c.setSendBufferSize(4096);
                    c.connect(new InetSocketAddress(host, SVC_UNREAD), 3000);
                    String w = tryWrite("client", c.getOutputStream(), 64 * 1024);
                    served(SVC_UNREAD, "4 KiB receive buffer; the client sends 64 KiB, the server reads 100 bytes and closes",
                            "connections", 1);
                    served(SVC_UNREAD, "4 KiB receive buffer; the client sends 64 KiB, the server reads 100 bytes and closes",
                            "client write failed", w.equals("ok") ? 0 : 1);
                }
                return null;
            }));
        }
        // 10407: nothing listens.
        for (int i = 0; i < 10; i++) {
            clients.add(pool.submit(() -> failedConnect(SVC_REFUSED, 3000, "nothing listens", "connect refused", "refused")));
        }
        // 10408: an nft rule drops every SYN; connect() gives up after 3.5 s (SYNs at 0, 1 and 3 s).
        ServerSocket filtered = listenOn(SVC_FILTERED, 0);
        listeners.add(filtered);
        for (int i = 0; i < 5; i++) {
            clients.add(pool.submit(() -> failedConnect(SVC_FILTERED, 3500, "an nft rule drops the SYNs (filtered port)",
                    "connect timed out", "timed out")));
        }
        for (Future<?> f : clients) {
            try {
                f.get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                app("client", "story", "exception: " + e.getCause());
            }
        }

        // 10409: a pool of clients opening and closing (client first: TIME_WAIT on the client) until
        // connect() runs out of ephemeral ports.
        ServerSocket poolServer = listenOn(SVC_POOL, 0);
        listeners.add(poolServer);
        acceptor(poolServer, 1000, handlers, Scenarios::readAndClose);
        long opened = 0;
        String failure = null;
        for (int i = 0; i < 700 && failure == null; i++) {
            Thread.sleep(3); // about 250 connections/s: tcpdump keeps up (no kernel drops)
            try {
                Socket c = connectTo(SVC_POOL, 3000);
                c.getOutputStream().write(new byte[10]);
                c.close();
                opened++;
            } catch (IOException e) {
                failure = e.getMessage();
            }
        }
        served(SVC_POOL, "a pool of clients opens and closes connections (client first) until the 500 ports of"
                + " 40000-40499 are all in TIME_WAIT", "connections", opened);
        services.get(SVC_POOL).put("first connect failure", failure);
        app("client", "pool on :" + SVC_POOL, opened + " connections, then connect() failed: " + failure);

        Thread.sleep(Math.max(0, stuckSince + 8000 - System.currentTimeMillis()));
        portStates("the stuck server's sockets after 8 s, the pool's ports exhausted");
        synchronized (stuck) {
            for (Socket s : stuck) quietly(s);
            app("server", "close :" + SVC_STUCK, stuck.size() + " sockets closed at the end of the story");
        }
        for (Closeable l : listeners) quietly(l);
        pool.shutdown();
        handlers.shutdown();
        pool.awaitTermination(20, TimeUnit.SECONDS);
        handlers.awaitTermination(20, TimeUnit.SECONDS);
        settle();
        portStates("after the story");
        return "nine services side by side on 127.0.0.1:10401-10409 in one namespace, each with one behaviour: clean,"
                + " CLOSE_WAIT leak, server closes first, write after close, SO_LINGER 0, close with unread input,"
                + " refused, filtered; a client pool exhausting the ephemeral range 40000-40499";
    }

    // ---------------------------------------------------------------- simultaneous close

    /**
     * Client in namespace fw-a (10.9.0.1), server in fw-b (10.9.0.2), joined through a forwarder that
     * delays each direction by 300 ms (make-captures.sh builds it). Both call shutdownOutput() at the
     * same instant, so both FINs are on the wire before either arrives: FIN_WAIT_1 -> CLOSING ->
     * TIME_WAIT on both sides (RFC 9293 3.6, simultaneous close).
     */
    static String simultaneousClose() throws Exception {
        overTheWire("both-close", 100, 450);
        return "client and server (two network namespaces, 300 ms each way) call shutdownOutput() at the same instant:"
                + " the FINs cross, both sides go through CLOSING to TIME_WAIT";
    }

    /**
     * The same wire, 50 ms each way, but the forwarder drops the client's first FIN: the client's
     * kernel retransmits it after its RTO; the server closes after it reads EOF.
     */
    static String finRetransmit() throws Exception {
        overTheWire("close-after-eof", 20, 200);
        return "client closes; the wire (two namespaces, 50 ms each way) loses its first FIN, the kernel retransmits it,"
                + " the server reads EOF and closes: four-way close with one FIN retransmission";
    }

    /** Plays a story between namespaces fw-a (client) and fw-b (server); snapshots at two moments after closeAt. */
    static void overTheWire(String serverMode, int firstSnapshotMs, int secondSnapshotMs) throws Exception {
        joinNamespaces("fw-a", "fw-b");
        // The client connects and writes 100 bytes; both close at the instant t0.
        Wired w = startPeers(nsJava("fw-b", "sim-server", serverMode), nsJava("fw-a", "sim-client"));
        sleepUntil(w.t0() + firstSnapshotMs);
        List<Map<String, String>> early = snapshot(firstSnapshotMs + " ms after the close");
        sleepUntil(w.t0() + secondSnapshotMs);
        snapshot(secondSnapshotMs + " ms after the close");
        w.await(20);
        settle();
        verdict(w.clientPort(), firstFinFrom(early, w.clientPort()), false, List.of(), snapshot("after both closed"));
    }

    /** The story's client and server are in these namespaces: ss and nstat read both; baselines from now. */
    static void joinNamespaces(String clientNs, String serverNs) throws Exception {
        namespaces = List.of(clientNs, serverNs);
        clientHost = "10.9.0.1";
        baselineSockets = socketKeys();
        baselineCounters = counters();
    }

    /** The children's start instant (epoch ms) and the client's port, once both are connected. */
    record Wired(int clientPort, long t0, Process server, Process client, Thread[] relays) {
        /** Waits (bounded) for both children to finish and for their last lines. */
        void await(int seconds) throws InterruptedException {
            for (Thread t : relays) t.join(seconds * 1000L);
            client.waitFor(seconds, TimeUnit.SECONDS);
            server.waitFor(seconds, TimeUnit.SECONDS);
        }
    }

    /**
     * Starts the server child (it prints READY once listening), then the client child (it prints PORT and its
     * port once connected), and gives both the same instant t0, a second from now, to act at (one machine:
     * one clock). Their APP lines go to the truth as they come.
     */
    static Wired startPeers(List<String> serverCmd, List<String> clientCmd) throws Exception {
        Process server = new ProcessBuilder(serverCmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader fromServer = new BufferedReader(new InputStreamReader(server.getInputStream()));
        String ready = fromServer.readLine();
        if (!"READY".equals(ready)) throw new IllegalStateException("server did not start: " + ready);
        Process client = new ProcessBuilder(clientCmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader fromClient = new BufferedReader(new InputStreamReader(client.getInputStream()));
        String port = fromClient.readLine();
        if (port == null || !port.startsWith("PORT\t")) throw new IllegalStateException("client did not connect: " + port);
        int clientPort = Integer.parseInt(port.substring(5).trim());
        long t0 = System.currentTimeMillis() + 1000;
        for (Process p : List.of(server, client)) {
            p.getOutputStream().write((t0 + "\n").getBytes());
            p.getOutputStream().flush();
        }
        Thread c = new Thread(() -> relay("client", fromClient));
        Thread sv = new Thread(() -> relay("server", fromServer));
        c.start();
        sv.start();
        return new Wired(clientPort, t0, server, client, new Thread[] {c, sv});
    }

    /** Lines from a child: "APP<TAB>at<TAB>call<TAB>result" (others are ignored). */
    static void relay(String who, BufferedReader in) {
        try {
            for (String line; (line = in.readLine()) != null; ) {
                String[] f = line.split("\t", 4);
                if (f[0].equals("APP") && f.length == 4) app(who, Double.parseDouble(f[1]), f[2], f[3]);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void sleepUntil(long epochMillis) throws InterruptedException {
        long wait = epochMillis - System.currentTimeMillis();
        if (wait > 0) Thread.sleep(wait);
    }

    static void childApp(String call, String result) {
        System.out.println("APP\t" + String.format(Locale.ROOT, "%.6f", now()) + "\t" + call + "\t" + result);
        System.out.flush();
    }

    /** A child's listener on the server's address: says READY once bound; accept() gives up after the timeout. */
    static ServerSocket peerListener(int acceptTimeoutMs) throws IOException {
        ServerSocket ss = new ServerSocket();
        ss.setReuseAddress(true);
        ss.bind(new InetSocketAddress("10.9.0.2", PORT), 5);
        System.out.println("READY");
        System.out.flush();
        ss.setSoTimeout(acceptTimeoutMs);
        return ss;
    }

    static String simServer(String[] args) throws Exception {
        boolean afterEof = args[args.length - 1].equals("close-after-eof");
        try (ServerSocket ss = peerListener(15_000)) {
            try (Socket s = ss.accept()) {
                byte[] buf = new byte[100];
                childApp("read", s.getInputStream().read(buf) + " bytes");
                long closeAt = readT0();
                if (afterEof) {
                    childApp("read", s.getInputStream().read(buf) == -1 ? "EOF (-1)" : "data");
                } else {
                    sleepUntil(closeAt);
                }
                s.shutdownOutput();
                childApp("shutdownOutput", "ok");
                if (!afterEof) {
                    childApp("read", s.getInputStream().read(buf) == -1 ? "EOF (-1)" : "data");
                }
            }
            childApp("close", "ok");
        }
        return "";
    }

    /**
     * A client child's start: connects {@code c} to the server child, writes 100 bytes, reports its port, and
     * returns at the instant t0 it is then given.
     */
    static long startPeerClient(Socket c) throws IOException, InterruptedException {
        c.connect(new InetSocketAddress("10.9.0.2", PORT), 5000);
        c.getOutputStream().write(new byte[100]);
        System.out.println("PORT\t" + c.getLocalPort());
        childApp("write", "100 bytes: ok");
        long t0 = readT0();
        sleepUntil(t0);
        return t0;
    }

    static String simClient(String[] args) throws Exception {
        try (Socket c = new Socket()) {
            startPeerClient(c); // both close at t0
            c.shutdownOutput();
            childApp("shutdownOutput", "ok");
            childApp("read", c.getInputStream().read() == -1 ? "EOF (-1)" : "data");
        }
        childApp("close", "ok");
        return "";
    }

    static List<String> nsJava(String ns, String mode, String... extra) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns, javaBinary(), "-Djava.net.preferIPv4Stack=true",
                "-Dscenarios.src=" + source(), source(), mode, ".", "10.9.0.2"));
        cmd.addAll(List.of(extra));
        return cmd;
    }

    static OutputStream uncheckedOut(Socket s) {
        try {
            return s.getOutputStream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A client in its own process (return-from-main, SIGKILL stories). */
    static String childClient(String[] args) throws Exception {
        String mode = args.length > 3 ? args[3] : args[2];
        Socket c = connect();
        OutputStream out = c.getOutputStream();
        if (mode.equals("exit")) {
            out.write(new byte[300]);
            out.flush();
            return "exit"; // no close(): the JVM exits and the kernel closes the socket
        }
        for (int i = 0; i < 200; i++) { // bounded: killed long before the end
            out.write(new byte[100]);
            out.flush();
            Thread.sleep(20);
        }
        return "done";
    }

    static List<String> javaCmd(String story, String mode) {
        return List.of(javaBinary(), "-Dscenarios.src=" + source(), source(), story, ".", host, mode);
    }

    // ---------------------------------------------------------------- issue 17: handshake variants, TIME_WAIT, reordering

    /**
     * In namespace fw-ch with net.ipv4.tcp_syncookies = 2 (make-captures.sh): the listener answers every
     * SYN with a cookie, keeping no state until the ACK brings it back. Seen from outside, a normal
     * handshake; the kernel's counters tell (TcpExtSyncookiesSent, TcpExtSyncookiesRecv).
     */
    static String synCookies() throws Exception {
        settings.put("net.ipv4.tcp_syncookies", run("sysctl", "-n", "net.ipv4.tcp_syncookies").trim());
        try (Conn k = open()) {
            Map<String, Long> afterHandshake = counterDeltas();
            k.write("client", 300);
            Map<String, Object> v = closeInTurn(k, "client");
            if (afterHandshake.get("TcpExtSyncookiesSent") > 0 && afterHandshake.get("TcpExtSyncookiesRecv") > 0) {
                v.put("handshake", "complete");
                v.put("handshake_evidence", "TcpExtSyncookiesSent +" + afterHandshake.get("TcpExtSyncookiesSent")
                        + ", TcpExtSyncookiesRecv +" + afterHandshake.get("TcpExtSyncookiesRecv") + " by the end of the handshake");
            }
        }
        return "net.ipv4.tcp_syncookies = 2: the listener answers the SYN with a SYN cookie and keeps no state until the ACK;"
                + " from outside a normal handshake, then close-normal";
    }

    /**
     * In namespace fw-ch with net.ipv4.tcp_fastopen = 3: scenarios/fast_open.py (the JDK has no
     * TCP_FASTOPEN) connects twice with sendto(MSG_FASTOPEN). The first SYN asks for a cookie, the second
     * carries it and 100 bytes; TcpExtTCPFastOpenPassive counts the server taking data from a SYN.
     */
    static String fastOpen() throws Exception {
        settings.put("net.ipv4.tcp_fastopen", run("sysctl", "-n", "net.ipv4.tcp_fastopen").trim());
        Process p = new ProcessBuilder("python3", sibling("fast_open.py"), host, String.valueOf(PORT)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream()));
        Writer toChild = new OutputStreamWriter(p.getOutputStream());
        List<Integer> ports = new ArrayList<>();
        List<Map<String, Long>> perConnection = new ArrayList<>();
        List<List<Map<String, String>>> closed = new ArrayList<>();
        Map<String, Long> before = counters();
        for (String line; (line = in.readLine()) != null; ) {
            String[] f = line.split("\t", 5);
            switch (f[0]) {
                case "PORT" -> ports.add(Integer.parseInt(f[1]));
                case "APP" -> app(f[2], Double.parseDouble(f[1]), f[3], f[4]);
                case "WAIT" -> {
                    List<Map<String, String>> snap = snapshot(f[1]);
                    if (f[1].endsWith("closed")) {
                        closed.add(snap);
                        perConnection.add(since(before));
                        before = counters();
                    }
                    toChild.write("go\n");
                    toChild.flush();
                }
                default -> app("client", "fast_open.py", line);
            }
        }
        p.waitFor(20, TimeUnit.SECONDS);
        List<Map<String, String>> last = snapshot("after both connections");
        for (int i = 0; i < ports.size(); i++) {
            Map<String, Object> v = verdict(ports.get(i), firstFinFrom(closed.get(i), ports.get(i)), false, List.of(), last);
            Map<String, Long> d = perConnection.get(i);
            v.put("counters", d);
            if (d.get("TcpExtTCPFastOpenPassive") == 1 && d.get("TcpExtTCPFastOpenActive") == 1) {
                v.put("handshake", "fast_open");
            } else if (d.get("TcpExtTCPFastOpenPassive") == 0 && d.get("TcpExtTCPFastOpenCookieReqd") == 1) {
                v.put("handshake", "complete"); // a cookie request: the data followed the handshake
            }
        }
        return "TCP Fast Open (net.ipv4.tcp_fastopen = 3): a first connection fetches a cookie (SYN with an empty"
                + " Fast Open option, data after the handshake), the second sends its 100 bytes in the SYN with the cookie;"
                + " the client closes first each time";
    }

    /**
     * RFC 1337's TIME_WAIT assassination, for real, in namespace fw-ch with net.ipv4.tcp_rfc1337 = 0 or 1.
     * The client closes first (client TIME_WAIT, the server's socket gone). scenarios/segment_replayer.py
     * then sends the server's first data segment again, as it was (an old duplicate): the TIME_WAIT socket
     * answers with an ACK, the server's kernel (no socket) answers that with RST at the TIME_WAIT side's
     * RCV.NXT. With 0 the RST kills the TIME_WAIT socket, with 1 it survives; a second replay a second later
     * shows which (an ACK from the TIME_WAIT socket, or a RST from a port with no socket).
     */
    static String rstIntoTimeWait(boolean rfc1337) throws Exception {
        settings.put("net.ipv4.tcp_rfc1337", run("sysctl", "-n", "net.ipv4.tcp_rfc1337").trim());
        apps.put("replayer", new ArrayList<>());
        int cp;
        Process replayer;
        BufferedReader fromReplayer;
        Writer toReplayer;
        List<Map<String, String>> inTimeWait;
        try (Conn k = open()) {
            cp = k.clientPort();
            replayer = new ProcessBuilder("python3", sibling("segment_replayer.py"), String.valueOf(cp), String.valueOf(PORT), "20")
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            fromReplayer = new BufferedReader(new InputStreamReader(replayer.getInputStream()));
            toReplayer = new OutputStreamWriter(replayer.getOutputStream());
            String ready = fromReplayer.readLine();
            if (!"ready".equals(ready)) throw new IllegalStateException("segment_replayer.py did not start: " + ready);
            Thread.sleep(200); // its packet socket is open
            k.deliver("server", 100);   // the segment it keeps
            k.closeBy("client");
            k.drain("server");
            k.closeBy("server");
        }
        settle();
        inTimeWait = snapshot("after both closed: client TIME_WAIT, no server socket");
        List<String> replays = new ArrayList<>();
        List<List<Map<String, String>>> after = new ArrayList<>();
        for (int i = 1; i <= 2; i++) {
            toReplayer.write("replay\n");
            toReplayer.flush();
            String report = fromReplayer.readLine();
            app("replayer", "replay #" + i + " of the server's first data segment", report);
            replays.add(report);
            settle();
            after.add(snapshot("after replay #" + i));
            Thread.sleep(1000); // past the TIME_WAIT socket's rate limit on out-of-window ACKs (500 ms)
        }
        toReplayer.write("quit\n");
        toReplayer.flush();
        replayer.waitFor(10, TimeUnit.SECONDS);
        Map<String, Object> v = verdict(cp, "client", false, List.of(), snapshot("at the end"));
        // TIME_WAIT sides: who entered it (ss after the close), whatever became of the socket later.
        List<String> tw = new ArrayList<>();
        if (stateOf(inTimeWait, cp).equals("TIME_WAIT")) tw.add("client");
        v.put("time_wait", tw);
        String afterFirst = stateOf(after.get(0), cp);
        // The first replay's RST is the server kernel's answer to the TIME_WAIT socket's ACK.
        boolean rstSeen = replays.get(0).contains("\"from\": \"client\", ") && replays.get(0).contains("\"flags\": \"R\"");
        List<Map<String, Object>> resets = new ArrayList<>();
        if (rstSeen) {
            resets.add(rst("server", "CLOSED", "no server socket in ss; it answered the TIME_WAIT socket's ACK"));
        }
        if (afterFirst.equals("CLOSED")) {
            resets.add(rst("client", "CLOSED", "the TIME_WAIT socket was gone after the first RST (ss); the second replay drew a RST"));
        }
        v.put("resets", resets);
        v.put("time_wait_ended_by", Map.of("client", afterFirst.equals("TIME_WAIT") ? "capture_end" : "rst"));
        v.put("injected_segments", 2);
        return "client closes first (TIME_WAIT); an old duplicate of the server's data segment is replayed twice: the"
                + " TIME_WAIT socket ACKs it, the server's kernel (no socket) answers with RST; net.ipv4.tcp_rfc1337 = "
                + (rfc1337 ? "1: the TIME_WAIT socket ignores the RST and answers the second replay too" : "0: the RST kills the"
                + " TIME_WAIT socket (TIME_WAIT assassination) and the second replay is answered with RST");
    }

    /**
     * Plays a two-namespace story: the server peer (fw-b) and the client peer (fw-a) get one instant on
     * stdin, act at it, and report. Snapshots at the given offsets after the instant.
     */
    static List<List<Map<String, String>>> playOverTheWire(String serverRole, String clientRole, int[] clientPort,
                                                         long... snapshotOffsetsMs) throws Exception {
        joinNamespaces("fw-a", "fw-b");
        Wired w = startPeers(nsJava("fw-b", "wire-peer", serverRole), nsJava("fw-a", "wire-peer", clientRole));
        clientPort[0] = w.clientPort();
        List<List<Map<String, String>>> snaps = new ArrayList<>();
        for (long ms : snapshotOffsetsMs) {
            sleepUntil(w.t0() + ms);
            serverReadings.add(serverReading(clientPort[0], ms + " ms after the instant"));
            snaps.add(snapshot(ms + " ms after the instant"));
        }
        w.await(20);
        Thread.sleep(1000); // the last ACK crosses the slow wire (300 ms) before the final look
        snaps.add(snapshot("after both finished"));
        return snaps;
    }

    /**
     * Simultaneous open (RFC 9293 3.5): nobody listens. The peer in fw-a binds port 40100, the one in fw-b
     * port 10355, and both connect() to each other at the same instant over the 300 ms wire: the SYNs
     * cross, each side goes SYN_SENT -> SYN_RCVD -> ESTABLISHED. Then 100 bytes each way; fw-a closes first.
     */
    static String simultaneousOpen() throws Exception {
        int[] cp = new int[1];
        List<List<Map<String, String>>> snaps = playOverTheWire("open-b", "open-a", cp, 150, 1500);
        Map<String, Long> d = counterDeltas();
        List<Map<String, String>> last = snaps.get(snaps.size() - 1);
        Map<String, Object> v = verdict(cp[0], firstFinFrom(snaps.get(1), cp[0]), false, List.of(), last);
        boolean bothConnected = apps.get("client").stream().anyMatch(e -> e.get("call").equals("connect") && e.get("result").equals("ok"))
                && apps.get("server").stream().anyMatch(e -> e.get("call").equals("connect") && e.get("result").equals("ok"));
        if (bothConnected && d.get("TcpPassiveOpens") == 0 && d.get("TcpActiveOpens") == 2) {
            v.put("handshake", "simultaneous");
            v.put("handshake_evidence", "both connect() calls succeeded with no listening socket; TcpActiveOpens +2, TcpPassiveOpens 0");
        }
        return "simultaneous open: no listener; peers on 10.9.0.1:40100 and 10.9.0.2:10355 connect() to each other at the"
                + " same instant over a 300 ms wire, the SYNs cross; 100 bytes each way, then 10.9.0.1 closes first";
    }

    /**
     * An out-of-order FIN: the client writes 100 bytes, 100 ms later 100 more and shutdownOutput() at once;
     * scenarios/reorder_forwarder.py (20 ms each way) holds that second data segment 150 ms, so the FIN
     * reaches the server first and waits in its out-of-order queue (TcpExtTCPOFOQueue) until the data comes:
     * ss shows the server ESTABLISHED meanwhile, CLOSE_WAIT after. Captured on the server's side of the wire.
     * The client offers no SACK and sends no tail loss probe (its namespace), so the held segment is not resent.
     */
    static String outOfOrderFin() throws Exception {
        int[] cp = new int[1];
        List<List<Map<String, String>>> snaps = playOverTheWire("ooo-server", "ooo-client", cp, 45, 250);
        Map<String, Long> d = counterDeltas();
        List<Map<String, String>> last = snaps.get(snaps.size() - 1);
        Map<String, Object> v = verdict(cp[0], "client", false, List.of(), last);
        v.put("states_at", serverReadings);
        v.put("counters", d);
        return "out-of-order FIN: the client's last data segment is held 150 ms on the wire and its FIN overtakes it; the"
                + " server holds the FIN in its out-of-order queue (ESTABLISHED) until the data arrives, then CLOSE_WAIT";
    }

    /**
     * The server's state read with ss in fw-b alone, between {@code from} and {@code to} (the reading
     * happened somewhere in between; a namespace's ss takes tens of milliseconds to start).
     */
    static Map<String, Object> serverReading(int clientPort, String moment) throws Exception {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("side", "server");
        e.put("moment", moment);
        e.put("from", now());
        String text = run("ip", "netns", "exec", "fw-b", "ss", "-tanH", "state", "all", "( sport = :" + PORT + " )");
        e.put("to", now());
        String state = "CLOSED";
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 5 && !f[0].equals("LISTEN") && f[4].endsWith(":" + clientPort)) state = rfc(f[0]);
        }
        e.put("state", state);
        return e;
    }

    /**
     * Data and FIN crossing: the client calls shutdownOutput() and the server writes 100 bytes at the same
     * instant, 300 ms apart: the server's data was sent before it knew of the FIN (its ACK does not cover it),
     * so it is not half-close data; the server reads EOF 300 ms later and closes.
     */
    static String finDataCrossing() throws Exception {
        int[] cp = new int[1];
        List<List<Map<String, String>>> snaps = playOverTheWire("cross-server", "cross-client", cp, 100, 800);
        List<Map<String, String>> last = snaps.get(snaps.size() - 1);
        // half-close: did the server write after it read EOF (knowing the client had closed)?
        double eofAt = Double.MAX_VALUE;
        double lastWrite = 0;
        for (Map<String, Object> e : apps.get("server")) {
            if (e.get("call").equals("read") && String.valueOf(e.get("result")).startsWith("EOF")) eofAt = Math.min(eofAt, (Double) e.get("at"));
            if (e.get("call").equals("write")) lastWrite = Math.max(lastWrite, (Double) e.get("at"));
        }
        verdict(cp[0], firstFinFrom(snaps.get(0), cp[0]), lastWrite > eofAt, List.of(), last);
        return "data and FIN crossing: the client's shutdownOutput() and the server's 100-byte write at the same instant,"
                + " 300 ms apart: the server wrote before it knew; it reads EOF later and closes";
    }

    /** The server's state at each of playOverTheWire's moments (ss in fw-b alone, timed). */
    static final List<Map<String, Object>> serverReadings = new ArrayList<>();

    /** A peer of the two-namespace stories (run inside fw-a or fw-b by playOverTheWire). */
    static String wirePeer(String[] args) throws Exception {
        String role = args[3];
        switch (role) {
            case "open-a", "open-b" -> {
                boolean a = role.equals("open-a");
                Socket s = new Socket();
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress(a ? "10.9.0.1" : "10.9.0.2", a ? 40100 : PORT));
                if (a) System.out.println("PORT\t40100"); else System.out.println("READY");
                System.out.flush();
                long at = readT0();
                sleepUntil(at);
                try {
                    s.connect(new InetSocketAddress(a ? "10.9.0.2" : "10.9.0.1", a ? PORT : 40100), 5000);
                    childApp("connect", "ok");
                } catch (IOException e) {
                    childApp("connect", "exception: " + e.getMessage());
                    s.close();
                    return "";
                }
                s.getOutputStream().write(new byte[100]);
                childApp("write", "100 bytes: ok");
                childApp("read", s.getInputStream().readNBytes(new byte[100], 0, 100) + " bytes");
                if (a) {
                    sleepUntil(at + 1000);
                    s.close();
                    childApp("close", "ok");
                } else {
                    childApp("read", s.getInputStream().read() == -1 ? "EOF (-1)" : "data");
                    s.close();
                    childApp("close", "ok");
                }
            }
            case "ooo-server", "cross-server" -> {
                try (ServerSocket ss = peerListener(15_000)) {
                    try (Socket s = ss.accept()) {
                        long at = readT0();
                        InputStream in = s.getInputStream();
                        if (role.equals("cross-server")) {
                            childApp("read", in.readNBytes(new byte[100], 0, 100) + " bytes");
                            sleepUntil(at);
                            s.getOutputStream().write(new byte[100]);
                            childApp("write", "100 bytes: ok");
                            childApp("read", in.read() == -1 ? "EOF (-1)" : "data");
                            sleepUntil(at + 500);
                        } else {
                            int total = in.readNBytes(new byte[200], 0, 200);
                            childApp("read", total + " bytes");
                            childApp("read", in.read() == -1 ? "EOF (-1)" : "data");
                            sleepUntil(at + 500);
                        }
                    }
                    childApp("close", "ok");
                }
            }
            case "ooo-client", "cross-client" -> {
                try (Socket c = new Socket()) {
                    c.setTcpNoDelay(true);
                    c.connect(new InetSocketAddress("10.9.0.2", PORT), 5000);
                    System.out.println("PORT\t" + c.getLocalPort());
                    System.out.flush();
                    long at = readT0();
                    OutputStream out = c.getOutputStream();
                    if (role.equals("cross-client")) {
                        out.write(new byte[100]);
                        childApp("write", "100 bytes: ok");
                        sleepUntil(at);
                        c.shutdownOutput();
                        childApp("shutdownOutput", "ok");
                        childApp("read", c.getInputStream().readNBytes(new byte[100], 0, 100) + " bytes");
                    } else {
                        sleepUntil(at - 100);
                        out.write(new byte[100]);
                        childApp("write", "100 bytes: ok");
                        sleepUntil(at);
                        out.write(new byte[100]);
                        c.shutdownOutput();
                        childApp("write, shutdownOutput", "100 bytes: ok, then FIN");
                    }
                    childApp("read", c.getInputStream().read() == -1 ? "EOF (-1)" : "data");
                }
                childApp("close", "ok");
            }
            default -> throw new IllegalArgumentException("unknown wire peer role " + role);
        }
        return "";
    }

    // ---------------------------------------------------------------- issue 17: faults on a wire

    /**
     * Where tcpdump listens in a wire story (make-captures.sh): "client" = between the client and the
     * forwarder (it sees what the client sent before the wire touched it), "server" = between the forwarder
     * and the server (what arrived there). Null outside the wire stories of issue 17.
     */
    static final String wireSide = System.getProperty("wire.side");
    static final String wireNs = System.getProperty("wire.ns", "fws");
    static Map<String, Map<String, Long>> hostBaseline = new LinkedHashMap<>();

    /** The kernel's counters of one namespace (one host of the wire). */
    static Map<String, Long> countersIn(String ns) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        cmd.addAll(List.of(nstatCommand()));
        return nstatValues(run(cmd.toArray(String[]::new)));
    }

    /** Each host's counter deltas apart: a capture point next to one host sees that host's segments whole. */
    static Map<String, Object> countersByHost() throws Exception {
        Map<String, Object> byHost = new LinkedHashMap<>();
        for (String host : List.of("client", "server")) {
            String ns = wireNs + (host.equals("client") ? "-a" : "-b");
            byHost.put(host, delta(countersIn(ns), hostBaseline.getOrDefault(host, Map.of())));
        }
        return byHost;
    }

    /** What the forwarder did to chosen frames (its JSON-lines log): the faults the story asked for. */
    static List<Map<String, Object>> forwarderFaults() throws IOException {
        List<Map<String, Object>> faults = new ArrayList<>();
        String log = System.getProperty("forwarder.log");
        if (log == null || !Files.exists(Path.of(log))) return faults;
        java.util.regex.Pattern field = java.util.regex.Pattern.compile("\"(\\w+)\": (\"[^\"]*\"|-?[0-9.]+|null)");
        for (String line : Files.readAllLines(Path.of(log))) {
            Map<String, Object> e = new LinkedHashMap<>();
            java.util.regex.Matcher m = field.matcher(line);
            while (m.find()) {
                String v = m.group(2);
                e.put(m.group(1), v.startsWith("\"") ? v.substring(1, v.length() - 1) : v.equals("null") ? null
                        : v.contains(".") ? (Object) Double.parseDouble(v) : (Object) Long.parseLong(v));
            }
            Object event = e.get("event");
            if (List.of("drop", "dup", "delay", "hold").contains(event)) {
                e.put("from", "a2b".equals(e.get("dir")) ? "client" : "server");
                faults.add(e);
            }
            if (List.of("cut", "joined").contains(event)) faults.add(Map.of("event", event, "t", e.get("t")));
        }
        return faults;
    }

    /**
     * Client in namespace WIRE-a (10.9.0.1), server in WIRE-b (10.9.0.2), joined by delay_forwarder.py with
     * the story's rules (make-captures.sh). Each side plays its half of the story (wireServer, wireClient)
     * from the same instant t0, one second after the connection is up.
     */
    static Wired wireStart(String story) throws Exception {
        joinNamespaces(wireNs + "-a", wireNs + "-b");
        hostBaseline.put("client", countersIn(wireNs + "-a"));
        hostBaseline.put("server", countersIn(wireNs + "-b"));
        return startPeers(nsJava(wireNs + "-b", "wire-server", story), nsJava(wireNs + "-a", "wire-client", story));
    }

    /** A wire story judged by its end alone: the client shut its output down first. */
    static void clientClosesOverTheWire(String story) throws Exception {
        Wired w = wireStart(story);
        verdict(w.clientPort(), "client", false, List.of(), wireEnd(w));
    }

    static List<Map<String, String>> wireEnd(Wired w) throws Exception {
        w.await(30);
        settle();
        // The last ACK may still be on the slow wire: wait (bounded) until no socket waits for one.
        Set<String> waiting = Set.of("LAST-ACK", "FIN-WAIT-1", "CLOSING", "SYN-SENT", "SYN-RECV");
        for (int i = 0; i < 30 && rawSnapshot().stream().anyMatch(s -> waiting.contains(s.get("state"))); i++) {
            Thread.sleep(100);
        }
        return snapshot("after both closed");
    }

    static String readToEof(InputStream in) {
        byte[] buf = new byte[100];
        long total = 0;
        try {
            for (int i = 0; i < 100_000; i++) {
                int n = in.read(buf);
                if (n < 0) return "EOF (-1) after " + total + " bytes";
                total += n;
            }
            return "limit after " + total + " bytes";
        } catch (IOException e) {
            return "exception: " + e.getMessage() + " after " + total + " bytes";
        }
    }

    static void childWrite(Socket s, int bytes) throws IOException {
        s.getOutputStream().write(new byte[bytes]);
        s.getOutputStream().flush();
        childApp("write", bytes + " bytes: ok");
    }

    static long readT0() throws IOException {
        return Long.parseLong(new BufferedReader(new InputStreamReader(System.in)).readLine().trim());
    }

    /** The server's half of a wire story: reads the client's first 100 bytes, then as the story says. */
    static String wireServer(String story) throws Exception {
        // 90 s: the client's JVM compiles this file first, slow on a loaded machine
        try (ServerSocket ss = peerListener(90_000)) {
            Socket s = ss.accept();
            childApp("read", s.getInputStream().readNBytes(100).length + " bytes");
            long t0 = readT0();
            switch (story) {
                case "data-fin-crossing" -> {
                    sleepUntil(t0); // the client's FIN is on the wire at this instant, not yet here
                    childWrite(s, 100);
                }
                case "keepalive-dead-peer" -> {
                    sleepUntil(t0 + 200); // the wire is cut at t0
                    s.setSoLinger(true, 0);
                    s.close();
                    childApp("close", "ok (SO_LINGER on, timeout 0) while the wire is cut: its RST is lost");
                    return "";
                }
                case "two-points" -> {
                    sleepUntil(t0 + 1500);
                    childWrite(s, 100); // the wire loses this segment once: the server's kernel resends it
                }
                default -> { }
            }
            childApp("read", readToEof(s.getInputStream()));
            s.close();
            childApp("close", "ok");
        }
        return "";
    }

    /** The client's half of a wire story: writes 100 bytes at once, then as the story says from t0. */
    static String wireClient(String story) throws Exception {
        Socket c = new Socket();
        c.setTcpNoDelay(story.equals("reordered-data")); // each write its own segment
        if (story.equals("keepalive-dead-peer")) keepAlive(c);
        startPeerClient(c);
        switch (story) {
            case "ooo-fin" -> {
                childWrite(c, 100); // the wire holds this segment back 200 ms: the FIN after it arrives first
                c.shutdownOutput();
                childApp("shutdownOutput", "ok");
            }
            case "reordered-data" -> {
                for (int i = 0; i < 3; i++) {
                    childWrite(c, 100); // the wire holds the first of these until the second has passed it
                }
                c.shutdownOutput();
                childApp("shutdownOutput", "ok");
            }
            case "fin-with-data" -> {
                OutputStream out = c.getOutputStream();
                out.write(new byte[100]); // sent at once
                out.write(new byte[50]);  // Nagle holds it: 100 bytes are unacknowledged
                childApp("write", "100 bytes and 50 bytes: ok");
                c.shutdownOutput();       // the FIN joins the queued 50 bytes
                childApp("shutdownOutput", "ok");
            }
            case "two-points" -> {
                childWrite(c, 100); // the wire loses this segment once: the client's kernel resends it
                childApp("read", c.getInputStream().readNBytes(100).length + " bytes");
                c.shutdownOutput();
                childApp("shutdownOutput", "ok");
            }
            case "keepalive-dead-peer" -> { }
            default -> {
                c.shutdownOutput();
                childApp("shutdownOutput", "ok");
            }
        }
        childApp("read", readToEof(c.getInputStream()));
        c.close();
        childApp("close", "ok");
        return "";
    }

    static String oooFin() throws Exception {
        Wired w = wireStart("ooo-fin");
        // t0: data then FIN leave the client; the FIN arrives at t0+500, the data held back at t0+700.
        sleepUntil(w.t0() + 620);
        List<Map<String, String>> held = snapshot("FIN arrived at the server, the data before it still on the wire");
        Map<String, Long> heldCounters = counterDeltas();
        List<Map<String, String>> last = wireEnd(w);
        Map<String, Object> v = verdict(w.clientPort(), "client", false, List.of(), last);
        v.put("while_fin_out_of_order", Map.of("at", held.isEmpty() ? 0.0 : kernel.get(kernel.size() - 2).get("at"),
                "server", serverStateOf(held, w.clientPort()), "client", stateOf(held, w.clientPort()),
                "TcpExtTCPOFOQueue", heldCounters.getOrDefault("TcpExtTCPOFOQueue", 0L)));
        return "client writes 100 bytes and shuts down its output at once; the wire (500 ms each way) holds the data 200 ms"
                + " longer, so the FIN reaches the server first: it waits in the out-of-order queue (server still ESTABLISHED)"
                + " until the data fills the hole; captured on the server's side of the wire";
    }

    static String reorderedData() throws Exception {
        clientClosesOverTheWire("reordered-data");
        return "client (TCP_NODELAY) writes 100 bytes three times; the wire (20 ms each way) holds the first until the"
                + " second has passed it: the server queues the second out of order and SACKs it, the first fills the hole"
                + " a moment later and nothing is resent; captured on the server's side";
    }

    static String dataFinCrossing() throws Exception {
        Wired w = wireStart("data-fin-crossing");
        sleepUntil(w.t0() + 120);
        List<Map<String, String>> crossing = snapshot("120 ms after the client's shutdownOutput() and the server's write");
        List<Map<String, String>> last = wireEnd(w);
        verdict(w.clientPort(), firstFinFrom(crossing, w.clientPort()), false, List.of(), last);
        return "client shuts down its output while the server writes 100 bytes at the same instant (300 ms each way):"
                + " data and FIN cross; the server wrote before it saw the FIN, so its data is no half-close data;"
                + " captured on the client's side";
    }

    static String duplicates() throws Exception {
        Wired w = wireStart("duplicates");
        List<Map<String, String>> last = wireEnd(w);
        Map<String, Object> v = verdict(w.clientPort(), "client", false, List.of(), last);
        // The server's kernel resent its SYN-ACK for the second SYN; the client, already ESTABLISHED, answered
        // that SYN with a challenge ACK (RFC 5961 4.2): no RST was challenged.
        Map<String, Object> byHost = countersByHost();
        @SuppressWarnings("unchecked") long synRetrans = ((Map<String, Long>) byHost.get("server")).getOrDefault("TcpExtTCPSynRetrans", 0L);
        @SuppressWarnings("unchecked") long challengeAcks = ((Map<String, Long>) byHost.get("client")).getOrDefault("TcpExtTCPChallengeACK", 0L);
        v.put("challenge_acks_for_syn", synRetrans > 0 ? challengeAcks : 0L);
        return "the wire sends the client's SYN, first data segment and FIN twice, byte for byte (a duplicating network);"
                + " the server's kernel answers the second SYN with its SYN-ACK again; captured on the server's side";
    }

    static String finWithData() throws Exception {
        clientClosesOverTheWire("fin-with-data");
        return "client writes 100 bytes, then 50 that Nagle holds, then shuts down its output: the FIN rides on the 50"
                + " bytes' segment (50 ms each way); captured on the client's side";
    }

    static String vlan() throws Exception {
        clientClosesOverTheWire("vlan");
        return "close-normal over a wire whose client side is VLAN 100 (802.1Q tags on every frame there); captured there";
    }

    static String twoPoints() throws Exception {
        clientClosesOverTheWire("two-points");
        return "one connection captured on both sides of the wire (50 ms each way), which loses the client's second data"
                + " segment and the server's first once each: both kernels resend (TcpRetransSegs); the capture next to"
                + " each host sees its resend as one, the far side's dropped original never";
    }

    static String twoPointsFin() throws Exception {
        clientClosesOverTheWire("two-points-fin");
        return "one connection captured on both sides of the wire (50 ms each way), which loses each side's first FIN:"
                + " both kernels resend their FIN (TcpRetransSegs); next to each host its FIN is seen twice, the far"
                + " side's once";
    }

    static String keepaliveDeadPeer() throws Exception {
        apps.put("wire", new ArrayList<>());
        Wired w = wireStart("keepalive-dead-peer");
        sleepUntil(w.t0());
        Path cut = Path.of(System.getProperty("wire.cut"));
        Files.writeString(cut, "cut\n");
        app("wire", "cut", "every frame lost from now on, both ways");
        sleepUntil(w.t0() + 600);
        Map<String, Long> afterAbort = counterDeltas();
        List<Map<String, String>> gone = snapshot("the server aborted while the wire is cut");
        List<Map<String, String>> last = wireEnd(w);
        List<Map<String, Object>> resets = new ArrayList<>();
        String clientRead = apps.get("client").stream().map(e -> String.valueOf(e.get("result")))
                .filter(r -> r.contains("timed out")).findFirst().orElse("");
        Map<String, Long> d = counterDeltas();
        if (!clientRead.isEmpty() && d.getOrDefault("TcpExtTCPAbortOnTimeout", 0L) > 0) {
            resets.add(rst("client", "ESTABLISHED", "keepalive gave up (TcpExtTCPKeepAlive +" + d.get("TcpExtTCPKeepAlive")
                    + ", TcpExtTCPAbortOnTimeout +" + d.get("TcpExtTCPAbortOnTimeout") + "): the kernel resets; client read: "
                    + clientRead));
        }
        Map<String, Object> v = verdict(w.clientPort(), null, false, resets, last);
        v.put("lost_rsts", afterAbort.getOrDefault("TcpOutRsts", 0L)); // the server's, lost on the cut wire
        v.put("server_after_abort", serverStateOf(gone, w.clientPort()));
        Files.deleteIfExists(cut);
        return "client with keepalive (idle 1 s, interval 1 s, 3 probes); the wire is cut and the server aborts (its RST"
                + " lost): the client's probes go unanswered and its kernel gives up with a RST; captured on the client's side";
    }

    /** Keepalive answered: idle 1 s, interval 1 s; the connection is quiet 3.5 s, then closes normally. */
    static String keepalive() throws Exception {
        try (Conn k = accept(listen(), keepAlive(new Socket()))) {
            k.deliver("client", 100);
            Thread.sleep(2500);
            snapshot("quiet 2.5 s, keepalive on");
            Thread.sleep(1000);
            Map<String, Long> quiet = counterDeltas();
            app("client", "idle", "3.5 s; TcpExtTCPKeepAlive +" + quiet.getOrDefault("TcpExtTCPKeepAlive", 0L));
            k.write("client", 100);
            closeInTurn(k, "client");
        }
        return "client with keepalive (idle 1 s, interval 1 s) is quiet 3.5 s: its kernel probes (seq = SND.NXT-1, no data)"
                + " and the server's kernel answers each; then 100 bytes more and close-normal";
    }

    /** Zero window: a 4 KiB receive buffer the server does not read for 3 s; the client's kernel probes it. */
    static String zeroWindow() throws Exception {
        try (Conn k = openSmallBuffers(4096)) {
            Thread writer = clientWriter(k, 64 * 1024, "shutdownOutput", k.client()::shutdownOutput);
            Thread.sleep(3000);
            Map<String, Long> stalled = counterDeltas();
            snapshot("the server has not read for 3 s");
            app("server", "idle", "3 s without reading; TcpExtTCPWinProbe +" + stalled.getOrDefault("TcpExtTCPWinProbe", 0L));
            k.drain("server");
            writer.join(20_000);
            k.closeBy("server");
            settle();
            app("client", "read", k.client().getInputStream().read() == -1 ? "EOF (-1)" : "data");
            k.closeBy("client");
            settle();
            verdict(k.clientPort(), "client", false, List.of(), snapshot("after both closed"));
        }
        return "4 KiB receive buffer the server leaves unread for 3 s while the client writes 64 KiB: the window closes,"
                + " the client's kernel sends zero-window probes (TcpExtTCPWinProbe), the server reads, the transfer ends"
                + " and both close (client first)";
    }

    // ---------------------------------------------------------------- minimal JSON writer

    static final class Json {
        static String write(Object o) {
            StringBuilder sb = new StringBuilder();
            write(o, sb, 0);
            return sb.toString();
        }

        static void write(Object o, StringBuilder sb, int indent) {
            if (o == null) {
                sb.append("null");
            } else if (o instanceof String s) {
                sb.append('"');
                for (char ch : s.toCharArray()) {
                    if (ch == '"' || ch == '\\') sb.append('\\').append(ch);
                    else if (ch < 0x20) sb.append(String.format("\\u%04x", (int) ch));
                    else sb.append(ch);
                }
                sb.append('"');
            } else if (o instanceof Double d) {
                sb.append(String.format(Locale.ROOT, "%.6f", d));
            } else if (o instanceof Number || o instanceof Boolean) {
                sb.append(o);
            } else if (o instanceof Map<?, ?> m) {
                sb.append("{");
                boolean first = true;
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    sb.append(first ? "\n" : ",\n").append("  ".repeat(indent + 1));
                    first = false;
                    write(String.valueOf(e.getKey()), sb, indent + 1);
                    sb.append(": ");
                    write(e.getValue(), sb, indent + 1);
                }
                sb.append(first ? "}" : "\n" + "  ".repeat(indent) + "}");
            } else if (o instanceof Collection<?> c) {
                sb.append("[");
                boolean first = true;
                for (Object v : c) {
                    sb.append(first ? "\n" : ",\n").append("  ".repeat(indent + 1));
                    first = false;
                    write(v, sb, indent + 1);
                }
                sb.append(first ? "]" : "\n" + "  ".repeat(indent) + "]");
            } else {
                write(String.valueOf(o), sb, indent);
            }
        }
    }
}
