package dev.finwait.flink;

import dev.finwait.model.ConnectionReport;
import dev.finwait.model.Reuse;
import dev.finwait.report.format.JsonlWriter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongUnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The job's JSONL lines, written by the core's {@link JsonlWriter} as the CLI writes them. */
final class Lines {
    private static final String ID = "{\"type\":\"connection\",\"id\":";
    private static final String PREVIOUS = "\"reuse\":{\"previous_id\":";
    private static final Pattern EXAMPLES = Pattern.compile("\"examples\":\\[([0-9,]*)\\]");

    private Lines() {
    }

    /** {@code r} under the id {@code id}, the connection it reused the 4-tuple of renamed by {@code previous}. */
    static ConnectionReport withIds(ConnectionReport r, long id, LongUnaryOperator previous) {
        Reuse u = r.reuse().orElse(null);
        Reuse reuse = u == null ? null
                : new Reuse(previous.applyAsLong(u.previousId()), u.inTimeWaitOf(), u.legal(), u.reason());
        return new ConnectionReport(id, r.client(), r.server(), r.opener(), r.firstNanos(), r.lastNanos(),
                r.handshake(), r.close(), r.firstFin(), r.halfClose(), r.resets(), r.timeWait(), r.clientSide(),
                r.serverSide(), java.util.Optional.ofNullable(reuse), r.zeek(), r.completeness(), r.anomalies(),
                r.firstFrame(), r.finishedNanos());
    }

    /** The CLI's line for {@code r}, without its newline. */
    static String connection(ConnectionReport r) {
        LineCatcher c = CATCHER.get();
        c.writer.connection(r);
        return c.line;
    }

    /**
     * One writer per thread, kept: the line goes from the writer's bytes straight into a string (a new
     * writer, a byte stream, its copy and a cut-off newline per line were 40 % of the final task's
     * time in BATCH, where it writes every line).
     */
    private static final ThreadLocal<LineCatcher> CATCHER = ThreadLocal.withInitial(LineCatcher::new);

    private static final class LineCatcher extends java.io.OutputStream {
        final JsonlWriter writer = new JsonlWriter(this);
        String line;

        @Override
        public void write(byte[] b, int off, int len) {
            int n = len > 0 && b[off + len - 1] == '\n' ? len - 1 : len;
            line = new String(b, off, n, StandardCharsets.UTF_8);
        }

        @Override
        public void write(int b) {
            throw new UnsupportedOperationException("the writer writes whole lines");
        }
    }

    /**
     * STREAMING's line for {@code r} (under its provisional id): the CLI's line with {@code "uid"} in
     * place of {@code "id"}, and {@code "previous_uid"} in place of {@code "previous_id"}.
     */
    static String withUids(ConnectionReport r) {
        return withUids(connection(r), r);
    }

    /** {@link #withUids(ConnectionReport)} of {@code line}, the CLI's line for {@code r}. */
    static String withUids(String line, ConnectionReport r) {
        int from = ID.length();
        int to = line.indexOf(',', from);
        StringBuilder b = new StringBuilder(line.length() + 16);
        b.append("{\"type\":\"connection\",\"uid\":\"").append(Uids.of(r.id())).append('"');
        int p = line.indexOf(PREVIOUS, to);
        if (p < 0) {
            return b.append(line, to, line.length()).toString();
        }
        int n = line.indexOf(',', p + PREVIOUS.length());
        long previous = Long.parseLong(line.substring(p + PREVIOUS.length(), n));
        return b.append(line, to, p).append("\"reuse\":{\"previous_uid\":\"").append(Uids.of(previous)).append('"')
                .append(line, n, line.length()).toString();
    }

    /**
     * BATCH: {@code line}, the CLI's line for {@code r} under its provisional id, with the final id
     * ({@code ids} of the provisional one) in its place and in {@code "previous_id"}: the same line
     * as {@link #connection} of {@link #withIds}, made by copying instead of writing it again.
     */
    static String renumbered(String line, ConnectionReport r, LongUnaryOperator ids) {
        int to = line.indexOf(',', ID.length());
        StringBuilder b = new StringBuilder(line.length() + 8).append(ID).append(ids.applyAsLong(r.id()));
        if (r.reuse().isEmpty()) {
            return b.append(line, to, line.length()).toString();
        }
        int p = line.indexOf(PREVIOUS, to) + PREVIOUS.length();
        int n = line.indexOf(',', p);
        return b.append(line, to, p).append(ids.applyAsLong(r.reuse().get().previousId())).append(line, n, line.length())
                .toString();
    }

    /** The diagnosis lines with the example ids (provisional) as uids. */
    static String examplesAsUids(String line) {
        return examples(line, id -> '"' + Uids.of(id) + '"');
    }

    /** A diagnosis line with each example id (provisional) written as {@code as} gives it. */
    static String examples(String line, java.util.function.LongFunction<String> as) {
        Matcher m = EXAMPLES.matcher(line);
        StringBuilder b = new StringBuilder(line.length() + 64);
        while (m.find()) {
            List<String> ids = new ArrayList<>();
            for (String id : m.group(1).split(",")) {
                if (!id.isEmpty()) {
                    ids.add(as.apply(Long.parseLong(id)));
                }
            }
            m.appendReplacement(b, Matcher.quoteReplacement("\"examples\":[" + String.join(",", ids) + "]"));
        }
        m.appendTail(b);
        return b.toString();
    }

    /** Text written by {@link JsonlWriter} as lines without their newlines. */
    static List<String> split(ByteArrayOutputStream written) {
        List<String> out = new ArrayList<>();
        for (String l : written.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!l.isEmpty()) {
                out.add(l);
            }
        }
        return out;
    }
}
