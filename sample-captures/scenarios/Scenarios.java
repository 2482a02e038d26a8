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
            case "sim-server" -> simServer(args);
            case "sim-client" -> simClient(args);
            default -> throw new IllegalArgumentException("unknown story " + story);
        };
        if (story.equals("child-client") || story.startsWith("sim-")) return;
        Map<String, Object> truth = new LinkedHashMap<>();
        truth.put("story", story);
        truth.put("description", description);
        truth.put("server", Map.of("ip", host, "port", PORT));
        truth.put("kernel", kernel);
        truth.put("kernel_counters", counterDeltas());
        truth.put("apps", apps);
        truth.put("verdict", verdicts);
        Files.writeString(out.resolve(story + ".truth.json"), Json.write(truth) + "\n");
    }

    // ---------------------------------------------------------------- recording

    /** Sockets on the port left over from earlier stories (TIME_WAIT lasts 60 s): not this story's. */
    static Set<String> baselineSockets = Set.of();
    static Map<String, Long> baselineCounters = Map.of();
    static final List<String> COUNTERS = List.of("TcpActiveOpens", "TcpPassiveOpens", "TcpAttemptFails",
            "TcpEstabResets", "TcpOutRsts", "TcpExtTW", "TcpExtTCPAbortOnData", "TcpExtTCPAbortOnClose",
            "TcpExtTCPAbortOnLinger", "TcpRetransSegs");

    static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes());
        p.waitFor(5, TimeUnit.SECONDS);
        return text;
    }

    /** The kernel's own TCP counters (nstat, absolute values, history file untouched). */
    static Map<String, Long> counters() throws Exception {
        List<String> cmd = new ArrayList<>(List.of("nstat", "-asz"));
        cmd.addAll(COUNTERS);
        Map<String, Long> values = new LinkedHashMap<>();
        for (String line : inEachNamespace(cmd.toArray(String[]::new)).split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 2 && COUNTERS.contains(f[0])) values.merge(f[0], Long.parseLong(f[1]), Long::sum);
        }
        return values;
    }

    /** How much each counter moved since the story began (the machine is otherwise quiet on TCP). */
    static Map<String, Long> counterDeltas() throws Exception {
        Map<String, Long> now = counters();
        Map<String, Long> d = new LinkedHashMap<>();
        for (String c : COUNTERS) d.put(c, now.getOrDefault(c, 0L) - baselineCounters.getOrDefault(c, 0L));
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
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("at", now());
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
        Map<String, Object> snap = new LinkedHashMap<>();
        snap.put("moment", moment);
        snap.put("at", now());
        snap.put("sockets", sockets);
        kernel.add(snap);
        return sockets;
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
        ServerSocket ss = new ServerSocket();
        ss.setReuseAddress(true);
        ss.bind(new InetSocketAddress(host, PORT), 50);
        return ss;
    }

    static Socket connect() throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(host, PORT), 3000);
        return s;
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
        try (ServerSocket ss = listen()) {
            Socket c = connect();
            Socket s = ss.accept();
            int cp = c.getLocalPort();
            tryWrite("client", c.getOutputStream(), 300);
            c.close();
            app("client", "close", "ok");
            settle();
            List<Map<String, String>> afterClientClose = snapshot("after client close()");
            readLoop("server", s.getInputStream());
            s.close();
            app("server", "close", "ok");
            settle();
            List<Map<String, String>> last = snapshot("after server close()");
            verdict(cp, firstFinFrom(afterClientClose, cp), false, List.of(), last);
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

    static String writeAfterClose() throws Exception {
        try (ServerSocket ss = listen()) {
            Socket c = connect();
            Socket s = ss.accept();
            int cp = c.getLocalPort();
            tryWrite("client", c.getOutputStream(), 100);
            c.close();
            app("client", "close", "ok");
            settle();
            List<Map<String, String>> afterClose = snapshot("after client close()");
            String clientState = stateOf(afterClose, cp);
            byte[] buf = new byte[100];
            int n = s.getInputStream().read(buf);
            app("server", "read", n + " bytes");
            // Data sent after the peer's FIN is a half-close, deliberate or not.
            boolean halfClose = tryWrite("server", s.getOutputStream(), 100).equals("ok");
            settle();
            List<Map<String, String>> afterWrite = snapshot("after server write to a closed peer");
            String second = tryWrite("server", s.getOutputStream(), 100);
            String read = readLoop("server", s.getInputStream());
            s.close();
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
        try (ServerSocket ss = listen()) {
            Socket c = connect();
            Socket s = ss.accept();
            int cp = c.getLocalPort();
            tryWrite("server", s.getOutputStream(), 500);
            Thread.sleep(100);
            List<Map<String, String>> before = snapshot("client has 500 unread bytes");
            c.close();
            app("client", "close", "ok, with 500 bytes unread");
            settle();
            String r = readLoop("server", s.getInputStream());
            s.close();
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

    static String lingerZero() throws Exception {
        try (ServerSocket ss = listen()) {
            Socket c = connect();
            Socket s = ss.accept();
            int cp = c.getLocalPort();
            tryWrite("client", c.getOutputStream(), 100);
            byte[] buf = new byte[100];
            app("server", "read", s.getInputStream().read(buf) + " bytes");
            List<Map<String, String>> before = snapshot("before client close() with SO_LINGER 0");
            c.setSoLinger(true, 0);
            c.close();
            app("client", "close", "ok (SO_LINGER on, timeout 0)");
            settle();
            String r = readLoop("server", s.getInputStream());
            s.close();
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
        try (ServerSocket ss = listen()) {
            Socket c = connect();
            Socket s = ss.accept();
            int cp = c.getLocalPort();
            tryWrite("client", c.getOutputStream(), 100);
            c.shutdownOutput();
            app("client", "shutdownOutput", "ok");
            readLoop("server", s.getInputStream());
            settle();
            List<Map<String, String>> half = snapshot("after client shutdownOutput(), server got EOF");
            for (int i = 0; i < 5; i++) {
                tryWrite("server", s.getOutputStream(), 1000);
                Thread.sleep(20);
            }
            s.close();
            app("server", "close", "ok");
            String got = readLoop("client", c.getInputStream());
            long received = apps.get("client").stream().filter(e -> e.get("call").equals("read")).count();
            c.close();
            settle();
            boolean clientReadData = got.equals("EOF");
            verdict(cp, firstFinFrom(half, cp), clientReadData, List.of(), snapshot("after both closed"));
        }
        return "client shutdownOutput() (half-close); the server keeps sending 5000 bytes, then closes";
    }

    static String serverClosesFirst() throws Exception {
        try (ServerSocket ss = listen()) {
            Socket c = connect();
            Socket s = ss.accept();
            int cp = c.getLocalPort();
            tryWrite("server", s.getOutputStream(), 200);
            s.close();
            app("server", "close", "ok");
            settle();
            List<Map<String, String>> afterServerClose = snapshot("after server close()");
            readLoop("client", c.getInputStream());
            c.close();
            app("client", "close", "ok");
            settle();
            verdict(cp, firstFinFrom(afterServerClose, cp), false, List.of(), snapshot("after client close()"));
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
        try (ServerSocket ss = listen()) {
            int cp;
            Socket c = new Socket();
            c.setReuseAddress(true);
            c.bind(new InetSocketAddress(host, 0));
            cp = c.getLocalPort();
            c.connect(new InetSocketAddress(host, PORT), 3000);
            Socket s = ss.accept();
            tryWrite("client", c.getOutputStream(), 100);
            byte[] buf = new byte[100];
            app("server", "read", s.getInputStream().read(buf) + " bytes"); // nothing unread: close() sends FIN, not RST
            // The server closes first, so the server side holds TIME_WAIT, and the client reconnects
            // from the same port at once: Linux accepts the new SYN in TIME_WAIT when its ISN/timestamp is newer.
            s.close();
            app("server", "close", "ok");
            readLoop("client", c.getInputStream());
            c.close();
            app("client", "close", "ok");
            settle();
            List<Map<String, String>> first = snapshot("first connection closed, server side in TIME_WAIT");
            String firstFin = firstFinFrom(first, cp);
            Socket again = new Socket();
            again.setReuseAddress(true);
            again.bind(new InetSocketAddress(host, cp));
            try {
                again.connect(new InetSocketAddress(host, PORT), 3000);
                app("client", "connect from port " + cp + " again", "ok");
                Socket s2 = ss.accept();
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
            Thread acceptor = new Thread(() -> {
                for (int i = 0; i < n; i++) {
                    try {
                        Socket s = ss.accept();
                        pool.submit(() -> {
                            try (s) {
                                s.getInputStream().readAllBytes();
                            } catch (IOException e) {
                                // resets are part of the mix
                            }
                            return null;
                        });
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            acceptor.start();
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
        try (ServerSocket ss = new ServerSocket()) {
            ss.setReuseAddress(true);
            ss.setReceiveBufferSize(4096);
            ss.bind(new InetSocketAddress(host, PORT), 5);
            Socket c = new Socket();
            c.setSendBufferSize(4096);
            c.connect(new InetSocketAddress(host, PORT), 3000);
            Socket s = ss.accept();
            int cp = c.getLocalPort();
            Thread writer = new Thread(() -> {
                tryWrite("client", uncheckedOut(c), 64 * 1024);
                try {
                    c.close();
                    app("client", "close", "ok");
                } catch (IOException e) {
                    app("client", "close", "exception: " + e.getMessage());
                }
            });
            writer.start();
            Thread.sleep(200);
            snapshot("client write blocked on small buffers");
            String r = readLoop("server", s.getInputStream());
            writer.join(10_000);
            settle();
            List<Map<String, String>> afterEof = snapshot("after the server read everything (" + r + ")");
            s.close();
            settle();
            verdict(cp, "client", false, List.of(), snapshot("after server close()"));
        }
        return "SO_SNDBUF / SO_RCVBUF shrunk to 4 KiB: the client's 64 KiB write blocks, data is in flight when it closes";
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
        namespaces = List.of("fw-a", "fw-b");
        clientHost = "10.9.0.1";
        baselineSockets = socketKeys();
        baselineCounters = counters();
        Process server = new ProcessBuilder(nsJava("fw-b", "sim-server", serverMode)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader fromServer = new BufferedReader(new InputStreamReader(server.getInputStream()));
        String ready = fromServer.readLine();
        if (!"READY".equals(ready)) throw new IllegalStateException("server did not start: " + ready);
        Process client = new ProcessBuilder(nsJava("fw-a", "sim-client"))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader fromClient = new BufferedReader(new InputStreamReader(client.getInputStream()));
        int[] clientPort = {0};
        String port = fromClient.readLine(); // connected and 100 bytes written
        if (port == null || !port.startsWith("PORT\t")) throw new IllegalStateException("client did not connect: " + port);
        clientPort[0] = Integer.parseInt(port.substring(5).trim());
        long closeAt = System.currentTimeMillis() + 1000; // both close at this instant (same clock: same machine)
        for (Process p : List.of(server, client)) {
            p.getOutputStream().write((closeAt + "\n").getBytes());
            p.getOutputStream().flush();
        }
        Thread c = new Thread(() -> relay("client", fromClient, clientPort));
        Thread sv = new Thread(() -> relay("server", fromServer, new int[1]));
        c.start();
        sv.start();
        sleepUntil(closeAt + firstSnapshotMs);
        List<Map<String, String>> early = snapshot(firstSnapshotMs + " ms after the close");
        sleepUntil(closeAt + secondSnapshotMs);
        snapshot(secondSnapshotMs + " ms after the close");
        c.join(20_000);
        sv.join(20_000);
        client.waitFor(20, TimeUnit.SECONDS);
        server.waitFor(20, TimeUnit.SECONDS);
        settle();
        verdict(clientPort[0], firstFinFrom(early, clientPort[0]), false, List.of(), snapshot("after both closed"));
    }

    /** Lines from a child: "APP<TAB>at<TAB>call<TAB>result" or "PORT<TAB>n". */
    static void relay(String who, BufferedReader in, int[] port) {
        try {
            for (String line; (line = in.readLine()) != null; ) {
                String[] f = line.split("\t", 4);
                if (f[0].equals("PORT")) port[0] = Integer.parseInt(f[1]);
                if (f[0].equals("APP") && f.length == 4) {
                    Map<String, Object> e = new LinkedHashMap<>();
                    e.put("at", Double.parseDouble(f[1]));
                    e.put("call", f[2]);
                    e.put("result", f[3]);
                    synchronized (apps) {
                        apps.get(who).add(e);
                    }
                }
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

    static String simServer(String[] args) throws Exception {
        boolean afterEof = args[args.length - 1].equals("close-after-eof");
        try (ServerSocket ss = new ServerSocket()) {
            ss.setReuseAddress(true);
            ss.bind(new InetSocketAddress("10.9.0.2", PORT), 5);
            System.out.println("READY");
            System.out.flush();
            ss.setSoTimeout(15_000);
            try (Socket s = ss.accept()) {
                byte[] buf = new byte[100];
                childApp("read", s.getInputStream().read(buf) + " bytes");
                long closeAt = Long.parseLong(new BufferedReader(new InputStreamReader(System.in)).readLine().trim());
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

    static String simClient(String[] args) throws Exception {
        try (Socket c = new Socket()) {
            c.connect(new InetSocketAddress("10.9.0.2", PORT), 5000);
            c.getOutputStream().write(new byte[100]);
            System.out.println("PORT\t" + c.getLocalPort());
            childApp("write", "100 bytes: ok");
            long closeAt = Long.parseLong(new BufferedReader(new InputStreamReader(System.in)).readLine().trim());
            sleepUntil(closeAt);
            c.shutdownOutput();
            childApp("shutdownOutput", "ok");
            childApp("read", c.getInputStream().read() == -1 ? "EOF (-1)" : "data");
        }
        childApp("close", "ok");
        return "";
    }

    static List<String> nsJava(String ns, String mode, String... extra) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String src = System.getProperty("scenarios.src", "Scenarios.java");
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns, java, "-Djava.net.preferIPv4Stack=true",
                "-Dscenarios.src=" + src, src, mode, ".", "10.9.0.2"));
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
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String src = System.getProperty("scenarios.src", "Scenarios.java");
        return List.of(java, "-Dscenarios.src=" + src, src, story, ".", host, mode);
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
