package dev.finwait.report.format;

import dev.finwait.model.CaptureSummary;
import dev.finwait.model.ConnectionReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.List;
import java.util.stream.Collectors;

/** One row per connection with a header row (RFC 4180 quoting), for spreadsheets and pandas. */
public final class CsvWriter implements ReportWriter {
    /** The header row's column names, in order; a stable contract, new columns go at the end. */
    public static final List<String> COLUMNS = List.of("id", "client_ip", "client_port", "server_ip", "server_port",
            "opener", "first_ts", "last_ts", "duration", "handshake", "close", "first_fin", "half_close_by",
            "half_close_bytes", "resets", "time_wait", "client_final_state", "server_final_state", "client_packets",
            "server_packets", "client_bytes", "server_bytes", "reuse_of", "zeek_conn_state", "zeek_history",
            "completeness");
    private final Writer out;

    /** Writes the header row to {@code out} at once, so even an empty capture gives a valid file. */
    public CsvWriter(Writer out) {
        this.out = out;
        write(String.join(",", COLUMNS) + "\n");
    }

    @Override
    public void connection(ConnectionReport r) {
        String resets = r.resets().stream().map(x -> x.by().jsonName() + ":" + x.senderState() + ":" + x.cause().jsonName())
                .collect(Collectors.joining(" "));
        String tw = r.timeWait().stream().map(w -> w.side().jsonName() + ":" + w.endedBy().jsonName())
                .collect(Collectors.joining(" "));
        List<Object> row = List.of(r.id(), r.client().ip(), r.client().port(), r.server().ip(), r.server().port(),
                r.opener().jsonName(), Times.epochSeconds(r.firstNanos()).toPlainString(),
                Times.epochSeconds(r.lastNanos()).toPlainString(),
                Times.epochSeconds(r.lastNanos() - r.firstNanos()).toPlainString(), r.handshake().jsonName(),
                r.close().jsonName(), r.firstFin().map(s -> s.jsonName()).orElse(""),
                r.halfClose().map(h -> h.by().jsonName()).orElse(""),
                r.halfClose().map(h -> String.valueOf(h.bytesAfter())).orElse(""), resets, tw,
                r.clientSide().finalState(), r.serverSide().finalState(), r.clientSide().counts().packets(),
                r.serverSide().counts().packets(), r.clientSide().counts().payloadBytes(),
                r.serverSide().counts().payloadBytes(), r.reuse().map(u -> String.valueOf(u.previousId())).orElse(""),
                r.zeek().connState(), r.zeek().history(), r.completeness());
        write(row.stream().map(v -> quote(String.valueOf(v))).collect(Collectors.joining(",")) + "\n");
    }

    static String quote(String v) {
        if (v.indexOf(',') < 0 && v.indexOf('"') < 0 && v.indexOf('\n') < 0) {
            return v;
        }
        return '"' + v.replace("\"", "\"\"") + '"';
    }

    @Override
    public void end(CaptureSummary summary) {
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
