package dev.finwait.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Short TCP connections on loopback, three kinds in turn: graceful (request, answer, both close),
 * abort (the client closes with SO_LINGER 0: RST) and half-close (the client shuts its output down,
 * the server answers after the client's FIN, then closes). Bounded in connections and in time, so a
 * test or a soak can never leave it running.
 *
 * <p>{@code java -cp analyzer-cli/target/test-classes dev.finwait.cli.ChurnGenerator PORT CONNECTIONS
 * SECONDS [PER_SECOND]}: serves on 127.0.0.1:PORT and makes connections until either bound (PER_SECOND 0
 * or absent: as fast as {@link #CLIENTS} clients go).
 */
final class ChurnGenerator implements AutoCloseable {
    enum Kind { GRACEFUL, ABORT, HALF_CLOSE }

    static final int CLIENTS = 4;
    private static final byte[] REQUEST = new byte[100];
    private static final byte[] ANSWER = new byte[300];

    private final ServerSocket server;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "churn");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong started = new AtomicLong();
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile boolean stopping;

    /** Listens on an ephemeral loopback port (see {@link #port()}), or on {@code port} when it is not 0. */
    ChurnGenerator(int port) throws IOException {
        server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 512);
        pool.execute(this::serve);
    }

    int port() {
        return server.getLocalPort();
    }

    long connectionsDone() {
        return done.get();
    }

    long connectionsFailed() {
        return failed.get();
    }

    /**
     * Makes connections on {@link #CLIENTS} threads until {@code max} have started, {@code maxMillis}
     * have passed or {@link #stop()}; {@code perSecond} > 0 paces them. Returns at once.
     */
    void start(long max, long maxMillis, int perSecond) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxMillis);
        long spacing = perSecond > 0 ? TimeUnit.SECONDS.toNanos(1) * CLIENTS / perSecond : 0;
        for (int c = 0; c < CLIENTS; c++) {
            pool.execute(() -> {
                long next = System.nanoTime();
                while (!stopping && System.nanoTime() < deadline) {
                    long n = started.getAndIncrement();
                    if (n >= max) {
                        return;
                    }
                    if (spacing > 0) {
                        next += spacing;
                        long wait = next - System.nanoTime();
                        if (wait > 0) {
                            sleepNanos(wait);
                        }
                    }
                    try {
                        connect(Kind.values()[(int) (n % 3)]);
                        done.incrementAndGet();
                    } catch (IOException e) {
                        failed.incrementAndGet();
                    }
                }
            });
        }
    }

    private static void sleepNanos(long nanos) {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void connect(Kind kind) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port())) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            out.write(kind.ordinal());
            out.write(REQUEST);
            switch (kind) {
                case GRACEFUL -> readFully(in, ANSWER.length);
                case ABORT -> {
                    readFully(in, ANSWER.length);
                    s.setSoLinger(true, 0); // close() sends RST
                }
                case HALF_CLOSE -> {
                    s.shutdownOutput();
                    in.readAllBytes(); // the answer comes after our FIN; then the server's FIN
                }
            }
        }
    }

    private static void readFully(InputStream in, int n) throws IOException {
        byte[] b = new byte[n];
        int got = 0;
        while (got < n) {
            int r = in.read(b, got, n - got);
            if (r < 0) {
                throw new IOException("early end after " + got + " bytes");
            }
            got += r;
        }
    }

    private void serve() {
        while (!server.isClosed()) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            pool.execute(() -> answer(s));
        }
    }

    private static void answer(Socket s) {
        try (s) {
            s.setSoTimeout(5000);
            InputStream in = s.getInputStream();
            int kind = in.read();
            readFully(in, REQUEST.length);
            if (kind == Kind.HALF_CLOSE.ordinal()) {
                in.readAllBytes(); // until the client's FIN
            }
            s.getOutputStream().write(ANSWER);
            if (kind == Kind.GRACEFUL.ordinal()) {
                in.readAllBytes(); // the client closes first
            } else if (kind == Kind.ABORT.ordinal()) {
                try {
                    in.read(); // its RST
                } catch (SocketException reset) {
                    // expected
                }
            }
        } catch (IOException e) {
            // a reset or a timeout: the server side does not count
        }
    }

    void stop() {
        stopping = true;
    }

    /** Stops making connections, waits (bounded) for those under way, closes the server. */
    @Override
    public void close() throws IOException {
        stopping = true;
        pool.shutdown();
        server.close();
        try {
            pool.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pool.shutdownNow();
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: ChurnGenerator PORT CONNECTIONS SECONDS [PER_SECOND]");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        long max = Long.parseLong(args[1]);
        long seconds = Long.parseLong(args[2]);
        int rate = args.length > 3 ? Integer.parseInt(args[3]) : 0;
        try (ChurnGenerator g = new ChurnGenerator(port)) {
            long t0 = System.nanoTime();
            g.start(max, TimeUnit.SECONDS.toMillis(seconds), rate);
            while (g.done.get() + g.failed.get() < max && System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(seconds)) {
                Thread.sleep(100);
            }
            System.err.printf("churn: %d connections, %d failed, %.1f s%n", g.done.get(), g.failed.get(),
                    (System.nanoTime() - t0) / 1e9);
        }
    }
}
