package dev.finwait.flink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * The job's lines written by the tasks themselves into the command's output, when the job runs in the
 * command's own JVM (the embedded MiniCluster). Flink's collect sink ({@code executeAndCollect}) sent
 * every line through the JobManager to the client in serialized batches: in a profile of the 1 M
 * capture that was half of the final task's time and most of the main thread's. Here the sink runs
 * chained to the operator that makes the lines (no exchange), and each line goes to the command's
 * writer under a lock. Connection lines go out at once; the rest (the diagnosis and the summary, which
 * the CLI writes last) are kept for the command to write when the job has finished.
 *
 * <p>The sink names its target by a key into a table of this JVM; on another JVM (a cluster's
 * TaskManager) there is no such target, and the writer fails instead of writing elsewhere.
 */
final class LocalLines implements Sink<String> {
    private static final long serialVersionUID = 1L;
    private static final Map<String, Target> TARGETS = new ConcurrentHashMap<>();
    private static final String CONNECTION = "{\"type\":\"connection\"";

    /** Where one run's lines go: {@code out} for connection lines, {@link #tail()} for the rest. */
    static final class Target implements AutoCloseable {
        private final String key = UUID.randomUUID().toString();
        private final Writer out;
        private final List<String> tail = new ArrayList<>();

        private Target(Writer out) {
            this.out = out;
        }

        synchronized void line(String line) throws IOException {
            if (line.startsWith(CONNECTION)) {
                out.write(line);
                out.write('\n');
            } else {
                tail.add(line);
            }
        }

        /** The lines that are not connection lines, in the order they came. */
        synchronized List<String> tail() {
            return new ArrayList<>(tail);
        }

        /** A sink that writes into this target. */
        LocalLines sink() {
            return new LocalLines(key);
        }

        @Override
        public void close() {
            TARGETS.remove(key);
        }
    }

    private final String key;

    private LocalLines(String key) {
        this.key = key;
    }

    /** A new target for the lines of one job run in this JVM; close it when the job has ended. */
    static Target open(Writer out) {
        Target t = new Target(out);
        TARGETS.put(t.key, t);
        return t;
    }

    @Override
    public SinkWriter<String> createWriter(WriterInitContext context) {
        Target t = TARGETS.get(key);
        if (t == null) {
            throw new IllegalStateException("the job's output is in another process (run without --cluster)");
        }
        return new SinkWriter<>() {
            @Override
            public void write(String line, Context context) {
                try {
                    t.line(line);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public void flush(boolean endOfInput) {
                // the command flushes its writer when the job has ended
            }

            @Override
            public void close() {
                // nothing of its own
            }
        };
    }
}
