package dev.finwait.report.format;

import dev.finwait.model.CaptureSummary;
import dev.finwait.model.ConnectionReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * A Zeek {@code conn.log} in Zeek's TSV layout (header lines as Zeek writes them), so Zeek tooling
 * (zeek-cut, ...) reads it. orig = our client. Columns we do not measure (service, local flags,
 * tunnels) carry Zeek's unset mark {@code -}. A uid is a hash of the connection's 5-tuple and first
 * timestamp: the same connection gets the same uid in every run, and logs of different captures merge
 * without collisions.
 */
public final class ZeekLogWriter implements ReportWriter {
    /** The {@code #fields} of Zeek's conn.log that are written, in Zeek's order. */
    public static final List<String> FIELDS = List.of("ts", "uid", "id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p",
            "proto", "service", "duration", "orig_bytes", "resp_bytes", "conn_state", "local_orig", "local_resp",
            "missed_bytes", "history", "orig_pkts", "orig_ip_bytes", "resp_pkts", "resp_ip_bytes", "tunnel_parents");
    static final List<String> TYPES = List.of("time", "string", "addr", "port", "addr", "port", "enum", "string",
            "interval", "count", "count", "string", "bool", "bool", "count", "string", "count", "count", "count",
            "count", "set[string]");
    private static final DateTimeFormatter OPEN = DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm-ss").withZone(ZoneOffset.UTC);
    private final Writer out;
    private boolean headerWritten;
    private long lastNanos;

    /** Writes to {@code out}; the header comes with the first connection (its {@code #open} time is the capture's). */
    public ZeekLogWriter(Writer out) {
        this.out = out;
    }

    private void header(long nanos) {
        headerWritten = true;
        write("#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tconn\n#open\t"
                + OPEN.format(Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L))) + "\n#fields\t"
                + String.join("\t", FIELDS) + "\n#types\t" + String.join("\t", TYPES) + "\n");
    }

    @Override
    public void connection(ConnectionReport r) {
        if (!headerWritten) {
            header(r.firstNanos());
        }
        long duration = r.lastNanos() - r.firstNanos();
        lastNanos = Math.max(lastNanos, r.lastNanos());
        List<String> row = List.of(Times.epochSeconds(r.firstNanos()).setScale(6, java.math.RoundingMode.DOWN).toPlainString(),
                uid(r), r.client().ip().toString(), String.valueOf(r.client().port()),
                r.server().ip().toString(), String.valueOf(r.server().port()), "tcp", "-",
                r.clientSide().counts().packets() + r.serverSide().counts().packets() > 1
                        ? Times.epochSeconds(duration).setScale(6, java.math.RoundingMode.DOWN).toPlainString() : "-",
                String.valueOf(r.clientSide().counts().payloadBytes()), String.valueOf(r.serverSide().counts().payloadBytes()),
                r.zeek().connState(), "-", "-", "0", r.zeek().history().isEmpty() ? "-" : r.zeek().history(),
                String.valueOf(r.clientSide().counts().packets()), String.valueOf(r.clientSide().counts().ipBytes()),
                String.valueOf(r.serverSide().counts().packets()), String.valueOf(r.serverSide().counts().ipBytes()),
                "-");
        write(String.join("\t", row) + "\n");
    }

    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /**
     * Zeek's form, {@code C} and 17 base62 digits (e.g. {@code CHhAvVGS1DHFjwGM9a}), drawn from a 128-bit
     * hash of the 5-tuple (orig first) and the first timestamp. Zeek draws its uids at random; a hash keeps
     * a run reproducible and still differs between connections and captures.
     */
    static String uid(ConnectionReport r) {
        long a = 0x243F6A8885A308D3L; // two lanes with different seeds (digits of pi)
        long b = 0x13198A2E03707344L;
        long[] parts = {r.client().ip().hi(), r.client().ip().lo(), r.server().ip().hi(), r.server().ip().lo(),
                (long) r.client().port() << 16 | r.server().port() | 6L << 32, r.firstNanos()};
        for (long p : parts) {
            a = mix(a ^ p);
            b = mix(b + p);
        }
        StringBuilder sb = new StringBuilder(18).append('C');
        digits(sb, a, 10); // 62^10 < 2^64: every digit is drawn from bits still unused
        digits(sb, b, 7);
        return sb.toString();
    }

    /** A 64-bit finalizer (xor-shift-multiply rounds): every input bit moves about half the output bits. */
    private static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xFF51AFD7ED558CCDL;
        z = (z ^ (z >>> 33)) * 0xC4CEB9FE1A85EC53L;
        return z ^ (z >>> 33);
    }

    /** The {@code n} lowest base62 digits of {@code v} (unsigned). */
    private static void digits(StringBuilder sb, long v, int n) {
        for (int i = 0; i < n; i++) {
            sb.append(BASE62.charAt((int) Long.remainderUnsigned(v, 62)));
            v = Long.divideUnsigned(v, 62);
        }
    }

    @Override
    public void end(CaptureSummary summary) {
        if (!headerWritten) {
            header(0);
        }
        write("#close\t" + OPEN.format(Instant.ofEpochSecond(Math.floorDiv(lastNanos, 1_000_000_000L))) + "\n");
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void write(String s) {
        try {
            out.write(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
