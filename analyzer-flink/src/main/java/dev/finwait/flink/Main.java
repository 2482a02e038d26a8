package dev.finwait.flink;

import dev.finwait.capture.CaptureReaders;
import dev.finwait.capture.FrameSource;
import dev.finwait.model.AnalyzerConfig;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.apache.flink.api.common.BatchShuffleMode;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.NettyShuffleEnvironmentOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;

/**
 * {@code analyze-flink [--mode batch|streaming] [--parallelism N] [--format jsonl] PATH...}: the
 * analysis as a Flink job on an embedded MiniCluster. Each PATH is one capture point: a capture file,
 * or a directory of its rotated files (read in rotation order: names compared with their numbers as
 * numbers, so trace9 comes before trace10).
 */
public final class Main {
    static final int USAGE = 2;
    // the codes of analyze (its ExitCode)
    static final int PARTIAL_INPUT = 1;
    static final int INPUT = 3;
    static final int INTERNAL = 70;
    private static final String USAGE_LINE =
            "usage: analyze-flink [--mode batch|streaming] [--parallelism N] [--format jsonl] [--output DIR] [--cluster HOST:PORT] PATH...";

    /** The CLI's settings for file input. */
    static final AnalyzerConfig CONFIG = AnalyzerConfig.defaults().withRetainConnections(false);

    private Main() {
    }

    enum Mode { BATCH, STREAMING }

    /**
     * What the command line asked for; {@code cluster} is HOST:PORT of a running cluster's REST endpoint,
     * or null; {@code output} the directory of part files ({@link OutputFiles}), or null for stdout.
     */
    record Options(Mode mode, int parallelism, List<List<Path>> points, String cluster, Path output) {
        Options(Mode mode, int parallelism, List<List<Path>> points) {
            this(mode, parallelism, points, null, null);
        }

        Options(Mode mode, int parallelism, List<List<Path>> points, String cluster) {
            this(mode, parallelism, points, cluster, null);
        }
    }

    /** STREAMING with --output: how often the part files are committed (and the last ones after the end). */
    static final java.time.Duration COMMIT_EVERY = java.time.Duration.ofSeconds(1);

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream stdout, PrintStream stderr) {
        Options o;
        try {
            o = parse(args);
        } catch (UsageException e) {
            stderr.println("analyze-flink: " + e.getMessage());
            return e.code;
        }
        if (o == null) {
            stdout.println(USAGE_LINE);
            stdout.println("  --mode batch|streaming  Flink's execution mode (default batch)");
            stdout.println("  --parallelism N         parallel analysis tasks, 1-256 (default: the number of cores)");
            stdout.println("  --format jsonl          the only format: the JSONL of analyze --format jsonl");
            stdout.println("                          (STREAMING: each connection as it finishes, named by a Zeek-style uid)");
            stdout.println("  --output DIR            write part files into DIR (new or empty), committed with Flink's checkpoints:");
            stdout.println("                          a failure and restart neither loses nor repeats a line");
            stdout.println("  --cluster HOST:PORT     submit to a running Flink 2.3 cluster (its REST address) instead of the embedded one;");
            stdout.println("                          every PATH must be readable by its TaskManagers at the same path");
            stdout.println("  PATH                    a capture file, or a directory of one capture point's rotated files");
            return 0;
        }
        try {
            Writer w = new Utf8Writer(new BufferedOutputStream(stdout, 1 << 16));
            boolean partial = run(o, w);
            w.flush();
            return partial ? PARTIAL_INPUT : 0;
        } catch (Exception e) {
            stderr.println("analyze-flink: the job failed: " + rootCause(e));
            return INTERNAL;
        }
    }

    private static String rootCause(Throwable e) {
        Throwable t = e;
        for (int i = 0; i < 20 && t.getCause() != null; i++) {
            t = t.getCause();
        }
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }

    /**
     * Runs the job and writes its lines (to {@code out}, or as part files with --output); whether an
     * input error ended a capture early.
     */
    static boolean run(Options o, Writer out) throws Exception {
        return run(o, environment(o), out);
    }

    /** {@link #run(Options, Writer)} in {@code env}. */
    static boolean run(Options o, StreamExecutionEnvironment env, Writer out) throws Exception {
        Job.Outputs outputs = Job.outputs(env, o.points(), CONFIG, o.mode(), s -> s);
        if (o.output() != null) {
            outputs.all().sinkTo(OutputFiles.sink(o.output())).name("part files").uid("part-files");
            env.execute("finwait");
            return partial(OutputFiles.lines(o.output()));
        }
        // STREAMING's connections come as they finish, from several tasks: what the final stage writes
        // at the end (diagnosis, summary) is held back so that the summary stays the last line
        List<String> tail = new ArrayList<>();
        if (sameProcess(env)) {
            try (LocalLines.Target target = LocalLines.open(out)) {
                outputs.sinkTo(target.sink());
                env.execute("finwait");
                tail.addAll(target.tail());
            }
            return writeTail(tail, out);
        }
        try (CloseableIterator<String> lines = outputs.all().executeAndCollect("finwait")) {
            while (lines.hasNext()) {
                String line = lines.next();
                if (line.startsWith("{\"type\":\"connection\"")) {
                    out.write(line);
                    out.write('\n');
                } else {
                    tail.add(line);
                }
            }
        }
        return writeTail(tail, out);
    }

    /** The final task's lines after the connection lines, the summary last; whether the input was partial. */
    private static boolean writeTail(List<String> tail, Writer out) throws IOException {
        tail.sort(Comparator.comparing(l -> l.startsWith("{\"type\":\"summary\"")));
        for (String line : tail) {
            out.write(line);
            out.write('\n');
        }
        return partial(tail);
    }

    /**
     * Whether the job's tasks run in this JVM (the embedded MiniCluster, or a test's), so that they can
     * write the lines themselves ({@link LocalLines}); on a cluster (--cluster, flink run) they come
     * back through Flink's collect sink.
     */
    static boolean sameProcess(StreamExecutionEnvironment env) {
        String target = env.getConfiguration().get(DeploymentOptions.TARGET);
        return "local".equals(target) || "minicluster".equals(target);
    }

    private static boolean partial(List<String> lines) {
        for (String l : lines) {
            if (l.startsWith("{\"type\":\"summary\"")) {
                return !l.endsWith("\"input_error\":null}");
            }
        }
        return true;
    }

    /**
     * The embedded MiniCluster, or a running cluster: then the job's classes go with it as the jars this
     * command runs from (analyzer-flink's and analyzer-core's), and the cluster needs only Flink's own.
     */
    static StreamExecutionEnvironment environment(Options o) throws Exception {
        if (o.cluster() == null) {
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(configuration(o));
            // not in a context of its own (flink run, a test's cluster): the embedded MiniCluster
            return env instanceof LocalStreamEnvironment ? embedded(o) : env;
        }
        int colon = o.cluster().lastIndexOf(':');
        String host = o.cluster().substring(0, colon);
        int port = Integer.parseInt(o.cluster().substring(colon + 1));
        String[] jars = {jarOf(Main.class), jarOf(dev.finwait.flow.Flow.class)};
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createRemoteEnvironment(host, port, configuration(o), jars);
        env.setParallelism(o.parallelism()); // the remote environment does not take it from the configuration
        return env;
    }

    /** The jar {@code c} was loaded from; classes from a folder (a build's, a test's) are packed into one first. */
    private static String jarOf(Class<?> c) throws Exception {
        Path from = Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (!Files.isDirectory(from)) {
            return from.toString();
        }
        Path jar = Files.createTempFile("finwait-job-", ".jar");
        jar.toFile().deleteOnExit();
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar)); Stream<Path> files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                out.putNextEntry(new JarEntry(from.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, out);
                out.closeEntry();
            }
        }
        return jar.toString();
    }

    /**
     * The embedded MiniCluster, started for this job alone. BATCH runs there with pipelined exchanges:
     * the analysis reads the packets while the source decodes them, and the final task takes the
     * reports as they come, where blocking exchanges ran the three stages one after another, with a
     * pause to schedule each (1 M packets, p2: 8.3-12.4 s against 10.3-13.3 s wall, interleaved). That
     * needs every task running at once, which the embedded cluster (a slot per parallel task, shared
     * by the stages) allows, and Flink's default scheduler (its adaptive batch scheduler takes only
     * blocking or hybrid exchanges). The order of records in each channel, all this job relies on, is
     * the same; timers still fire at the end of the input only.
     */
    static StreamExecutionEnvironment embedded(Options o) {
        Configuration c = configuration(o);
        if (o.mode() == Mode.BATCH) {
            c.set(ExecutionOptions.BATCH_SHUFFLE_MODE, BatchShuffleMode.ALL_EXCHANGES_PIPELINED);
            c.set(JobManagerOptions.SCHEDULER, JobManagerOptions.SchedulerType.Default);
        }
        return StreamExecutionEnvironment.createLocalEnvironment(c);
    }

    static Configuration configuration(Options o) {
        Configuration c = new Configuration();
        c.set(ExecutionOptions.RUNTIME_MODE, o.mode() == Mode.BATCH ? RuntimeExecutionMode.BATCH
                : RuntimeExecutionMode.STREAMING);
        c.set(CoreOptions.DEFAULT_PARALLELISM, o.parallelism());
        if (o.mode() == Mode.STREAMING && o.output() != null) {
            c.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, COMMIT_EVERY);
        }
        // every record has its own serializer; a type that would need Kryo is an error, not a slow path
        c.set(PipelineOptions.GENERIC_TYPES, false);
        // BATCH would sort each key's packets by time, and not stably: packets of one connection with
        // equal or backward timestamps would be analysed out of capture order. Every reader sends its
        // capture point's packets in order, and Flink keeps the order between two tasks: no sort needed.
        c.set(ExecutionOptions.SORT_INPUTS, false);
        c.set(ExecutionOptions.USE_BATCH_STATE_BACKEND, false); // it needs sorted inputs
        // BATCH's exchanges are written whole before they are read; LZ4 over them (Flink's default) was a
        // fifth of each analysis task's time, for data that never leaves this machine's memory or disk
        c.set(NettyShuffleEnvironmentOptions.SHUFFLE_COMPRESSION_CODEC, NettyShuffleEnvironmentOptions.CompressionCodec.NONE);
        return c;
    }

    static final class UsageException extends Exception {
        final int code;

        UsageException(String message, int code) {
            super(message);
            this.code = code;
        }
    }

    /** The options, or null for --help. */
    static Options parse(String[] args) throws UsageException {
        Mode mode = Mode.BATCH;
        String cluster = null;
        Path output = null;
        int parallelism = Runtime.getRuntime().availableProcessors();
        List<List<Path>> points = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "-h", "--help" -> {
                    return null;
                }
                case "--mode", "--parallelism", "--format", "--cluster", "--output" -> {
                    if (i + 1 >= args.length) {
                        throw new UsageException(a + " needs a value\n" + USAGE_LINE, USAGE);
                    }
                    String v = args[++i];
                    switch (a) {
                        case "--mode" -> mode = switch (v) {
                            case "batch" -> Mode.BATCH;
                            case "streaming" -> Mode.STREAMING;
                            default -> throw new UsageException("--mode: '" + v + "' is not one of batch, streaming", USAGE);
                        };
                        case "--parallelism" -> parallelism = parallelism(v);
                        case "--output" -> output = output(v);
                        case "--cluster" -> {
                            if (!v.matches("[A-Za-z0-9.\\-\\[\\]:]+:[0-9]{1,5}")) {
                                throw new UsageException("--cluster: '" + v + "' is not HOST:PORT (the cluster's REST address, e.g. localhost:8081)", USAGE);
                            }
                            cluster = v;
                        }
                        default -> {
                            if (!v.equals("jsonl")) {
                                throw new UsageException("--format: '" + v + "' is not one of jsonl", USAGE);
                            }
                        }
                    }
                }
                default -> {
                    if (a.startsWith("-") && !a.equals("-")) {
                        throw new UsageException("unknown option " + a + "\n" + USAGE_LINE, USAGE);
                    }
                    points.add(files(a));
                }
            }
        }
        if (points.isEmpty()) {
            throw new UsageException("no capture given\n" + USAGE_LINE, USAGE);
        }
        return new Options(mode, parallelism, points, cluster, output);
    }

    /** A new directory, or an empty one: part files of another run would mix with this one's. */
    private static Path output(String v) throws UsageException {
        Path p = Path.of(v).toAbsolutePath();
        try {
            if (Files.exists(p)) {
                if (!Files.isDirectory(p)) {
                    throw new UsageException("--output: '" + v + "' is not a directory", USAGE);
                }
                try (Stream<Path> s = Files.list(p)) {
                    if (s.findAny().isPresent()) {
                        throw new UsageException("--output: '" + v + "' is not empty (give a new or empty directory)", USAGE);
                    }
                }
            } else {
                Files.createDirectories(p);
            }
        } catch (IOException e) {
            throw new UsageException("--output: cannot make the directory '" + v + "': " + e.getMessage(), USAGE);
        }
        return p;
    }

    private static void check(Path file) throws UsageException {
        try (FrameSource f = CaptureReaders.open(file)) {
            // the header was read
        } catch (IOException | RuntimeException e) {
            // CaptureFormatException (not a capture, a bad header) among them
            throw new UsageException(file + ": " + e.getMessage(), INPUT);
        }
    }

    private static int parallelism(String v) throws UsageException {
        try {
            int n = Integer.parseInt(v);
            if (n >= 1 && n <= 256) {
                return n;
            }
        } catch (NumberFormatException e) {
            // the message below
        }
        throw new UsageException("--parallelism: '" + v + "' is not a whole number from 1 to 256", USAGE);
    }

    /**
     * A file as it is; a directory's regular files in rotation order. Each file's header is read here,
     * so that a file that is no capture is one line now, not a failed job later.
     */
    static List<Path> files(String arg) throws UsageException {
        Path p = Path.of(arg);
        if (Files.isRegularFile(p)) {
            if (!Files.isReadable(p)) {
                throw new UsageException(arg + ": permission denied", INPUT);
            }
            check(p);
            return List.of(p.toAbsolutePath());
        }
        if (!Files.isDirectory(p)) {
            throw new UsageException(arg + ": no such file or directory", INPUT);
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(p)) {
            files = new ArrayList<>(s.filter(Files::isRegularFile).map(Path::toAbsolutePath).toList());
        } catch (IOException e) {
            throw new UsageException(arg + ": cannot list the directory: " + e.getMessage(), INPUT);
        }
        if (files.isEmpty()) {
            throw new UsageException(arg + ": an empty directory (no capture files in it)", INPUT);
        }
        files.sort((a, b) -> RotationOrder.compare(a.getFileName().toString(), b.getFileName().toString()));
        for (Path f : files) {
            check(f);
        }
        return files;
    }
}
