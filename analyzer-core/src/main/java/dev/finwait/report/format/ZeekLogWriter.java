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
 * (zeek-cut, ...) reads it. orig = our client. Columns we do not measure (service, IP bytes, local
 * flags, tunnels) carry Zeek's unset mark {@code -}. uids are derived from the connection id, so a
 * run is reproducible.
 */
public final class ZeekLogWriter implements ReportWriter {
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
                uid(r.id()), r.client().ip().toString(), String.valueOf(r.client().port()),
                r.server().ip().toString(), String.valueOf(r.server().port()), "tcp", "-",
                r.clientSide().counts().packets() + r.serverSide().counts().packets() > 1
                        ? Times.epochSeconds(duration).setScale(6, java.math.RoundingMode.DOWN).toPlainString() : "-",
                String.valueOf(r.clientSide().counts().payloadBytes()), String.valueOf(r.serverSide().counts().payloadBytes()),
                r.zeek().connState(), "-", "-", "0", r.zeek().history().isEmpty() ? "-" : r.zeek().history(),
                String.valueOf(r.clientSide().counts().packets()), "-", String.valueOf(r.serverSide().counts().packets()),
                "-", "-");
        write(String.join("\t", row) + "\n");
    }

    /** Zeek uids look like {@code CHhAvVGS1DHFjwGM9}: 'C' and base62 digits. */
    static String uid(long id) {
        String digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        long v = id * 0x9E3779B97F4A7C15L;
        StringBuilder sb = new StringBuilder("C");
        for (int i = 0; i < 16; i++) {
            sb.append(digits.charAt((int) Long.remainderUnsigned(v, 62)));
            v = Long.divideUnsigned(v, 62) ^ (id << (i % 8));
        }
        return sb.toString();
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
