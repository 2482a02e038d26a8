package dev.finwait.cli;

import dev.finwait.AnalysisResult;
import dev.finwait.Analyzer;
import dev.finwait.model.AnalyzerConfig;
import dev.finwait.capture.CaptureFormatException;
import dev.finwait.capture.CaptureReaders;
import dev.finwait.capture.Frame;
import dev.finwait.capture.FrameSource;
import dev.finwait.capture.PcapWriter;
import dev.finwait.capture.SelectedFrames;
import dev.finwait.capture.live.BpfFilter;
import dev.finwait.capture.live.LibpcapFileSource;
import dev.finwait.capture.live.LiveCapture;
import dev.finwait.capture.live.LiveCaptureException;
import dev.finwait.capture.live.LiveOptions;
import dev.finwait.capture.live.LiveSink;
import dev.finwait.capture.live.LiveStats;
import dev.finwait.capture.live.QueuedSink;
import dev.finwait.capture.ReadProgress;
import dev.finwait.diagnosis.Diagnosis;
import dev.finwait.diagnosis.DiagnosisConfig;
import dev.finwait.event.AnalysisListener;
import dev.finwait.model.DecodeProblem;
import dev.finwait.model.DecodeReason;
import dev.finwait.model.InputError;
import dev.finwait.event.ConnectionEvent;
import dev.finwait.model.ConnectionReport;
import dev.finwait.report.format.CsvWriter;
import dev.finwait.report.format.HtmlWriter;
import dev.finwait.report.format.SvgLadderWriter;
import dev.finwait.report.format.JsonlWriter;
import dev.finwait.report.format.LadderWriter;
import dev.finwait.report.format.ReportWriter;
import dev.finwait.report.format.TextWriter;
import dev.finwait.report.format.ZeekLogWriter;
import dev.finwait.tcp.IpAddress;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "analyze", versionProvider = AnalyzeCommand.Version.class,
        sortOptions = false,
        description = {"Explains how each TCP connection in a capture was opened and closed: per-side RFC 9293 "
                + "states, half-closes, resets (who, in which state, why) and TIME_WAIT windows.",
                "Reads pcap/pcapng files (gzip too; '-' for standard input; several files are merged by time) "
                        + "or a live interface (-i, needs root or CAP_NET_RAW). Options as in tcpdump and tshark: "
                        + "-r FILE, -i IF, -f FILTER, -c N, -w FILE, -s N, -D, -T FORMAT."},
        footerHeading = "%nExit codes:%n", footer = {"  0 ok (also a live capture stopped by --duration, --count, Ctrl-C or SIGTERM, report printed),",
                "  1 partial input (analysis of what was readable was printed), 2 usage, 3 input unreadable,",
                "  4 no permission to capture, 5 no such interface, 6 libpcap missing, 7 live capture failed, 70 internal error,",
                "  130/143 a second Ctrl-C/SIGTERM cut the report short, 141 output closed early (e.g. piped into head)"})
final class AnalyzeCommand implements Callable<Integer> {

    enum Format { TEXT, LADDER, JSONL, CSV, ZEEK, HTML, SVG }

    enum ReaderKind { JAVA, LIBPCAP }

    enum ByTable { SERVICE, HOST }

    @Parameters(arity = "0..*", paramLabel = "FILE", description = "capture files (pcap, pcapng, .gz); '-' = stdin")
    List<String> files = new ArrayList<>();

    @Option(names = {"-r", "--read"}, paramLabel = "FILE", description = "a capture file to read, as tcpdump -r (the same as FILE; repeatable)")
    List<String> readFiles = new ArrayList<>();

    @Option(names = {"-T", "--format"}, paramLabel = "FMT", description = "text (default), ladder, jsonl, csv, zeek, html (one self-contained page), "
            + "svg (one connection's ladder: needs --connection ID)")
    Format format = Format.TEXT;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "write the report to FILE instead of standard output")
    Path output;

    @Option(names = {"-f", "--filter"}, paramLabel = "FILTER",
            description = "capture filter in tcpdump's syntax, e.g. 'tcp port 80', for files and interfaces alike: "
                    + "the frames tcpdump -r FILE 'FILTER' would show (compiled by libpcap)")
    String filter;

    @Option(names = "--only", split = ",", paramLabel = "KIND",
            description = "only connections that are: reset, half-close, time-wait, refused, open, reuse (any of them)")
    Set<Selection.Only> only;

    @Option(names = "--port", description = "only connections with this port on either side")
    Integer port;

    @Option(names = "--host", description = "only connections with this address on either side (10.0.0.1, ::1 or [::1])")
    String host;

    @Option(names = "--connection", paramLabel = "ID", description = "only the connection with this id")
    Long connection;

    @Option(names = "--time-wait", paramLabel = "DURATION", description = "2*MSL, the TIME_WAIT length (default 60s, as Linux)")
    Duration timeWait;

    @Option(names = "--rfc", description = "TIME_WAIT of 2*MSL = 240s, as RFC 9293 says")
    boolean rfc;

    @Option(names = "--idle-timeout", paramLabel = "DURATION", description = "finish connections idle this long (default 1h)")
    Duration idleTimeout;

    @Option(names = "--by", paramLabel = "TABLE", split = ",",
            description = "text format: also print the table of each service (ip:port) or host: service, host")
    Set<ByTable> by;

    @Option(names = "--close-wait-threshold", paramLabel = "DURATION",
            description = "a side silent in CLOSE_WAIT this long is close_wait_stuck (default 5s)")
    Duration closeWaitThreshold;

    @Option(names = "--ephemeral-range", paramLabel = "LOW-HIGH",
            description = "the clients' ephemeral port range for ephemeral_port_pressure (default 32768-60999, Linux's)")
    String ephemeralRange;

    @Option(names = "--series-step", paramLabel = "DURATION",
            description = "first step of the time series (default: chosen for about 200 points; doubled when a series outgrows 256)")
    Duration seriesStep;

    @Option(names = "--zeek-checksums", description = "like Zeek without -C: segments with a bad TCP checksum do not move the state machine")
    boolean zeekChecksums;

    @Option(names = "--reader", paramLabel = "READER", description = "java (default) or libpcap (through pcap4j; one file)")
    ReaderKind reader;

    @Option(names = "--threads", paramLabel = "N",
            description = "threads for files: 1 does everything on one; 2 reads and decodes on a second; "
                    + "3 also judges finished connections and writes the report on a third, except for the "
                    + "ladder, which follows every event (default: 3 when the machine has 2 or more cores)")
    Integer threads;

    @Option(names = "--shards", paramLabel = "N",
            description = "files: analyze the flows on N threads, sharded by 4-tuple (1 to 64), besides reading "
                    + "and merging the reports; the same report for every N; not with --threads. The ladder and html "
                    + "formats, which follow every event, and --emit close stay on one")
    Integer shards;

    @Option(names = {"-c", "--count"}, paramLabel = "N", description = "stop after N frames (that passed the filter), as tcpdump -c")
    Long count;

    @Option(names = {"-w", "--write"}, paramLabel = "FILE",
            description = "also save the frames (that passed the filter) to this pcap file, from an interface or from files")
    Path write;

    @Option(names = {"-i", "--interface"}, paramLabel = "IF", description = "capture live on this interface")
    String iface;

    /** When a connection's record is written: as soon as its outcome is known, or once it is finished. */
    enum Emit { CLOSE, FINISH }

    @Option(names = "--emit", paramLabel = "WHEN",
            description = "when each connection is written: close (as soon as both sides closed or reset, later "
                    + "changes as update records; the default live) or finish (after its TIME_WAIT or at the end; "
                    + "the default for files). text, jsonl, csv and zeek")
    Emit emit;

    @Option(names = "--duration", paramLabel = "DURATION", description = "stop a live capture after this long")
    Duration duration;

    @Option(names = "--summary-every", paramLabel = "DURATION",
            description = "live, text and jsonl: also print the findings so far (and the --by tables) every DURATION "
                    + "of capture time, e.g. 10s; at least 1s")
    Duration summaryEvery;

    @Option(names = {"-s", "--snaplen"}, paramLabel = "N",
            description = "live capture snapshot length in bytes; 0 = the maximum, " + LiveOptions.DEFAULT_SNAPLEN + " (default)")
    Integer snaplen;

    @Option(names = "--buffer-size", paramLabel = "SIZE", converter = ByteSizeConverter.class,
            description = "libpcap's capture buffer for --interface, e.g. 64m (default), 512m; a bigger one "
                    + "rides out longer bursts before the kernel drops packets")
    Integer bufferSize;

    @Option(names = "--promiscuous", description = "put the interface in promiscuous mode")
    boolean promiscuous;

    @Option(names = {"-D", "--list-interfaces"}, description = "list the interfaces live capture can use")
    boolean listInterfaces;

    @Option(names = "--width", description = "ladder width in columns (default: the terminal's, else $COLUMNS, else 100)")
    Integer width;

    @Option(names = {"-q", "--quiet"}, description = "no progress bar")
    boolean quiet;

    @Option(names = "--debug", description = "stack traces for internal errors")
    boolean debug;

    // Written out rather than mixinStandardHelpOptions: picocli builds that mixin by reflection on every
    // start (about 30 ms of every run); help and version behave the same.
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Option(names = {"-V", "--version"}, versionHelp = true, description = "Print version information and exit.")
    boolean version;

    private final PrintStream out;
    private final PrintStream err;
    /** Asked once, and only when a big file could show a progress bar. */
    private final Supplier<Terminal> terminal;
    /** Where the report goes: standard output, or the --output file. */
    private PrintStream reportOut;
    /** The progress bar of this run, or null. */
    private Progress progress;

    AnalyzeCommand(PrintStream out, PrintStream err, Supplier<Terminal> terminal) {
        this.out = out;
        this.err = err;
        this.terminal = terminal;
        this.reportOut = out;
    }

    /** For picocli's generators (man page, shell completion), which make the command by reflection. */
    AnalyzeCommand() {
        this(System.out, System.err, () -> Terminal.NONE);
    }

    /**
     * The version and the commit the jar was built from, as its manifest says (the build writes
     * {@code Implementation-Version} and {@code Finwait-Commit}); "unknown" for what it does not say,
     * e.g. when run from compiled classes rather than the jar, or built without git.
     */
    static final class Version implements picocli.CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            java.util.jar.Attributes a = ownManifest();
            String version = a == null ? null : a.getValue("Implementation-Version");
            String commit = a == null ? null : a.getValue("Finwait-Commit");
            return new String[] {"analyze (finwait) " + (version == null ? "unknown" : version)
                    + " (commit " + (commit == null || commit.isBlank() ? "unknown" : commit) + ")"};
        }

        /** The main attributes of the jar holding this class (not the first manifest on the class path). */
        private static java.util.jar.Attributes ownManifest() {
            try {
                java.security.CodeSource source = AnalyzeCommand.class.getProtectionDomain().getCodeSource();
                if (source == null) {
                    return null;
                }
                java.nio.file.Path where = java.nio.file.Path.of(source.getLocation().toURI());
                if (!java.nio.file.Files.isRegularFile(where)) {
                    return null;
                }
                try (java.util.jar.JarFile jar = new java.util.jar.JarFile(where.toFile())) {
                    java.util.jar.Manifest m = jar.getManifest();
                    return m == null ? null : m.getMainAttributes();
                }
            } catch (java.io.IOException | java.net.URISyntaxException | RuntimeException e) {
                return null;
            }
        }
    }

    @Override
    public Integer call() {
        files.addAll(0, readFiles);
        if (listInterfaces) {
            if (!files.isEmpty() || iface != null) {
                return usage("--list-interfaces takes no capture file or interface");
            }
            return listInterfaces();
        }
        if (iface == null && files.isEmpty()) {
            err.println("analyze: no capture file given (or --interface for live capture)");
            err.println("Try 'analyze --help' for more information.");
            return ExitCode.USAGE.code();
        }
        String problem = usageProblem();
        if (problem != null) {
            return usage(problem);
        }
        try {
            diagnosisSettings = diagnosisConfig();
        } catch (IllegalArgumentException e) {
            err.println("analyze: " + e.getMessage());
            return ExitCode.USAGE.code();
        }
        if (by != null && format != Format.TEXT) {
            err.println("analyze: --by prints tables in the text format only (the jsonl format always has service and host records)");
            return ExitCode.USAGE.code();
        }
        Selection selection;
        try {
            selection = new Selection(only, port, host == null ? null : IpAddress.parse(unbracketed(host)), connection);
        } catch (IllegalArgumentException e) {
            return usage("--host: '" + host + "' is not an IP address (e.g. 10.0.0.1, 2001:db8::1 or [2001:db8::1])");
        }
        if (format == Format.SVG && connection == null) {
            err.println("analyze: --format svg draws one connection: add --connection ID (ids are in any other format)");
            return ExitCode.USAGE.code();
        }
        if (output != null) {
            try {
                reportOut = new PrintStream(Files.newOutputStream(output), false, StandardCharsets.UTF_8);
            } catch (IOException | RuntimeException e) {
                err.println("analyze: --output " + output + ": cannot write: " + reason(e));
                return ExitCode.USAGE.code();
            }
        }
        try {
            return analyze(selection);
        } finally {
            if (output != null) {
                reportOut.close();
            }
        }
    }

    private int analyze(Selection selection) {
        OutputStream sink = reportOut;
        if (iface == null) {
            Terminal t = progressWanted() ? terminal.get() : Terminal.NONE;
            if (t.stderr()) {
                progress = new Progress(err, sizeOf(files.get(0)), Terminal.columns());
                if (t.same() && output == null) {
                    sink = new LineGate(reportOut, progress); // report lines and the bar share the screen
                }
            }
        }
        Writer writer = new BufferedWriter(new OutputStreamWriter(sink, StandardCharsets.UTF_8), 1 << 16);
        ReportWriter report = writerFor(writer);
        flushable = writer;
        if (format == Format.JSONL) {
            // JSONL is built as UTF-8 bytes: it skips the writer's char-to-byte step (nothing else writes
            // here), and its lines gather in its own buffer, so no stream in between copies them again.
            JsonlWriter jsonl = JsonlWriter.gathering(sink, 1 << 16);
            report = jsonl;
            flushable = jsonl;
        }
        AnalyzerConfig config = config();
        int code;
        // The text, jsonl and html formats carry the per-service and per-host diagnosis.
        if (format == Format.TEXT || format == Format.JSONL || format == Format.HTML) {
            diagnosis = new Diagnosis(diagnosisSettings.withIdleTimeout(config.idleTimeout()));
        }
        try {
            code = iface != null ? live(config, report, selection, writer) : files(config, report, selection);
        } catch (UncheckedIOException e) {
            err.println("analyze: cannot write output: " + e.getCause().getMessage());
            return ExitCode.INTERNAL.code();
        } catch (OutputClosed e) {
            return ExitCode.OUTPUT_CLOSED.code(); // quietly, like a tool that SIGPIPE ended
        }
        if (report instanceof SvgLadderWriter svg && !svg.drawn() && code == ExitCode.OK.code()) {
            err.println("analyze: --connection " + connection + ": no such connection (the ids are 1 to "
                    + svg.connectionsSeen() + ")");
            return ExitCode.USAGE.code();
        }
        return code;
    }

    private static String reason(Exception e) {
        if (e instanceof NoSuchFileException) return "no such directory";
        if (e instanceof AccessDeniedException) return "permission denied";
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) return f.getReason();
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private int usage(String problem) {
        err.println("analyze: " + problem);
        return ExitCode.USAGE.code();
    }

    /** {@code [2001:db8::1]}, as the text output writes an IPv6 endpoint, is taken too. */
    private static String unbracketed(String address) {
        String a = address.trim();
        return a.length() > 2 && a.startsWith("[") && a.endsWith("]") ? a.substring(1, a.length() - 1) : a;
    }

    /**
     * What is wrong with the command line as a whole, or null: options that cannot apply to the input
     * chosen (never silently ignored) and values out of range. One line, the valid choices named.
     */
    /** Formats that can write a connection at its outcome (the drawings need the finished connection). */
    private boolean closeFormat() {
        return format == Format.TEXT || format == Format.JSONL || format == Format.CSV || format == Format.ZEEK;
    }

    /** Live capture writes each connection when it closes; files when it is finished, unless --emit says. */
    private boolean emitAtClose() {
        return emit != null ? emit == Emit.CLOSE : iface != null && closeFormat();
    }

    private String usageProblem() {
        boolean live = iface != null;
        if (live && !files.isEmpty()) {
            return "give capture files or --interface, not both";
        }
        String liveOnly = duration != null ? "--duration" : snaplen != null ? "--snaplen" : bufferSize != null
                ? "--buffer-size" : promiscuous ? "--promiscuous" : null;
        if (!live && liveOnly != null) {
            return liveOnly + " applies to live capture (--interface) only; with files, use --count to stop early";
        }
        if (!live && summaryEvery != null) {
            return "--summary-every applies to live capture (--interface) only; a file's findings come at its end";
        }
        if (summaryEvery != null && format != Format.TEXT && format != Format.JSONL) {
            return "--summary-every prints the findings in the text and jsonl formats only, not "
                    + format.name().toLowerCase(java.util.Locale.ROOT);
        }
        if (summaryEvery != null && summaryEvery.compareTo(Duration.ofSeconds(1)) < 0) {
            return "--summary-every must be at least 1s (e.g. 10s, 1m, 1h), not " + summaryEvery.toMillis() + "ms";
        }
        String filesOnly = reader != null ? "--reader" : threads != null ? "--threads"
                : shards != null ? "--shards" : null;
        if (live && filesOnly != null) {
            return filesOnly + " applies to capture files only, not to --interface";
        }
        if (reader == ReaderKind.LIBPCAP && files.size() != 1) {
            return "--reader libpcap reads exactly one file";
        }
        if (emit == Emit.CLOSE && !closeFormat()) {
            return "--emit close applies to the text, jsonl, csv and zeek formats (the " + format.name().toLowerCase(java.util.Locale.ROOT)
                    + " format draws finished connections)";
        }
        if (idleTimeout != null && idleTimeout.isZero()) {
            // AnalyzerConfig rejects it with an IllegalArgumentException, which would be exit 70
            return "--idle-timeout must be longer than 0";
        }
        if (port != null && (port < 0 || port > 65535)) {
            return "--port must be between 0 and 65535, not " + port;
        }
        if (connection != null && connection < 1) {
            return "--connection must be a connection id, 1 or more, not " + connection;
        }
        if (threads != null && (threads < 1 || threads > 3)) {
            return "--threads must be 1, 2 or 3, not " + threads;
        }
        if (shards != null && (shards < 1 || shards > Analyzer.MAX_SHARDS)) {
            return "--shards must be between 1 and " + Analyzer.MAX_SHARDS + ", not " + shards;
        }
        if (shards != null && threads != null) {
            // --shards sets the threads itself (reading, N shards, merging); a --threads beside it was ignored.
            return "--threads and --shards do not go together: --shards N reads and merges on threads of its own;"
                    + " give one of them";
        }
        if (count != null && count < 1) {
            return "--count must be 1 or more, not " + count;
        }
        if (snaplen != null && (snaplen < 0 || snaplen > LiveOptions.DEFAULT_SNAPLEN)) {
            return "--snaplen must be between 1 and " + LiveOptions.DEFAULT_SNAPLEN + ", or 0 for the maximum, not " + snaplen;
        }
        if (width != null && width < 60) {
            return "--width must be at least 60 columns (the ladder needs room for two columns of states)";
        }
        if (filter != null && filter.isBlank()) {
            return "--filter is empty (give a tcpdump expression such as 'tcp port 80', or leave the option out)";
        }
        if (write != null) {
            if (write.toString().equals("-")) {
                return "--write -: the report goes to standard output; give a file name";
            }
            for (String f : files) {
                if (!f.equals("-") && Files.exists(write) && sameFile(write, Path.of(f))) {
                    return "--write " + write + " would overwrite the input " + f;
                }
            }
        }
        return null;
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    /** Thrown by the listener once the output is gone (e.g. `| head` has exited): the reading stops. */
    private static final class OutputClosed extends RuntimeException {
        OutputClosed() {
            super("output closed", null, false, false);
        }
    }

    /** Aggregates the reports written, for the service and host records; null for other formats. */
    private Diagnosis diagnosis;
    private DiagnosisConfig diagnosisSettings;

    /** The --close-wait-threshold, --ephemeral-range and --series-step options; IllegalArgumentException names the bad one. */
    private DiagnosisConfig diagnosisConfig() {
        DiagnosisConfig c = DiagnosisConfig.defaults();
        if (closeWaitThreshold != null) {
            if (closeWaitThreshold.isZero()) {
                throw new IllegalArgumentException("--close-wait-threshold must be longer than 0");
            }
            c = c.withCloseWaitThreshold(closeWaitThreshold);
        }
        if (seriesStep != null) {
            if (seriesStep.isZero()) {
                throw new IllegalArgumentException("--series-step must be longer than 0");
            }
            c = c.withSeriesStep(seriesStep);
        }
        if (ephemeralRange != null) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,5})-(\\d{1,5})").matcher(ephemeralRange.trim());
            int low = m.matches() ? Integer.parseInt(m.group(1)) : -1;
            int high = m.matches() ? Integer.parseInt(m.group(2)) : -1;
            if (low < 1 || high > 65535 || low > high) {
                throw new IllegalArgumentException("--ephemeral-range must be LOW-HIGH with 1 <= LOW <= HIGH <= 65535"
                        + " (e.g. 32768-60999), not '" + ephemeralRange + "'");
            }
            c = c.withEphemeralRange(low, high);
        }
        return c;
    }

    /** The diagnosis (service, host and series records; findings) goes before the summary, which stays last. */
    private void endReport(ReportWriter report, AnalysisResult result) {
        if (diagnosis != null) {
            report.diagnosis(diagnosis.finish());
        }
        report.end(result.summary());
    }

    /** Live: the latest capture time seen (packets and quiet-wire ticks); the next summary so far is due at. */
    private long latestNanos = Long.MIN_VALUE;
    private long nextSummaryNanos = Long.MIN_VALUE;

    /**
     * Live, {@code --summary-every}: once a period of capture time has passed since the first packet or
     * tick (or the last summary), the findings so far go out, over the connections finished and those
     * still tracked (provisional reports, selected as the others). On the analysis thread.
     */
    private void summaryDue(ReportWriter report, Selection selection, Analyzer analyzer) {
        if (summaryEvery == null || diagnosis == null || latestNanos == Long.MIN_VALUE) {
            return;
        }
        long period = summaryEvery.toNanos();
        if (nextSummaryNanos == Long.MIN_VALUE) {
            nextSummaryNanos = latestNanos + period;
            return;
        }
        if (latestNanos < nextSummaryNanos) {
            return;
        }
        List<ConnectionReport> tracked = new ArrayList<>();
        for (ConnectionReport r : analyzer.trackedSoFar()) {
            if (selection.matches(r)) {
                tracked.add(r);
            }
        }
        report.interim(diagnosis.soFar(tracked, latestNanos));
        unflushed = true;
        nextSummaryNanos = latestNanos + period;
    }

    /** The report's buffer: live capture flushes it after each batch that wrote something. */
    private java.io.Flushable flushable;
    private boolean unflushed;

    /** Live: what the last batch wrote goes out now (so `analyze -i lo -T jsonl | jq` streams). */
    private void flushWritten() {
        if (unflushed) {
            unflushed = false;
            try {
                flushable.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Written at their outcome (--emit close): id -> the report as written, until its final report comes. */
    private final java.util.Map<Long, ConnectionReport> writtenAtClose = new java.util.HashMap<>();

    /**
     * Whether a packet after the outcome changed the connection: a later segment of its own (a FIN
     * retransmitted into TIME_WAIT, a RST, late data), or a reuse of its 4-tuple inside TIME_WAIT. A
     * window ending on its schedule, or at the end of the capture, is no change.
     */
    static boolean changedLater(ConnectionReport atClose, ConnectionReport last) {
        return last.lastNanos() != atClose.lastNanos() || last.timeWait().stream().anyMatch(
                w -> w.endedBy() == dev.finwait.model.TimeWaitEnd.REUSE || w.endedBy() == dev.finwait.model.TimeWaitEnd.RST);
    }

    /** Reports handed to the writer; the output is checked every 16 of them. */
    private int reportsWritten;

    /** Throws {@link OutputClosed} once the output is gone: called every 16 reports and at the end. */
    private void checkOutput() {
        // PrintStream keeps write errors to itself; checkError() flushes and reports them.
        if (reportOut.checkError()) {
            throw new OutputClosed();
        }
    }

    private AnalyzerConfig config() {
        AnalyzerConfig c = AnalyzerConfig.defaults().withRetainConnections(false)
                .withEmitSegments(format == Format.LADDER || format == Format.HTML || format == Format.SVG);
        if (rfc) c = c.withRfcTimeWait();
        if (timeWait != null) c = c.withTimeWait(timeWait);
        if (idleTimeout != null) c = c.withIdleTimeout(idleTimeout);
        if (zeekChecksums) c = c.withVerifyChecksums(true).withSkipBadChecksums(true);
        return c;
    }

    private ReportWriter writerFor(Writer w) {
        return switch (format) {
            case TEXT -> new TextWriter(w).withTables(by != null && by.contains(ByTable.SERVICE),
                    by != null && by.contains(ByTable.HOST));
            case JSONL -> new JsonlWriter(w);
            case CSV -> new CsvWriter(w);
            case ZEEK -> new ZeekLogWriter(w);
            case LADDER -> new LadderWriter(w, width != null ? width : Terminal.columns());
            case HTML -> new HtmlWriter(w, iface != null ? List.of("interface " + iface) : files);
            case SVG -> new SvgLadderWriter(w, connection);
        };
    }

    /**
     * Streams every finished connection that the selection keeps to the report writer; registered for
     * events only when something prints them (live text) or the format draws them (the ladder).
     */
    private Analyzer analyzerFor(AnalyzerConfig config, ReportWriter report, Selection selection, EventPrinter events) {
        AnalysisListener listener = new AnalysisListener() {
            @Override
            public void onEvent(ConnectionEvent e) {
                if (events != null) {
                    events.print(e);
                }
                report.event(e);
            }

            @Override
            public void onOutcome(ConnectionReport r) {
                if (selection.matches(r)) {
                    report.connection(r);
                    writtenAtClose.put(r.id(), r);
                    unflushed = true;
                    if ((++reportsWritten & 0xF) == 0) {
                        checkOutput();
                    }
                }
            }

            @Override
            public void onConnection(ConnectionReport r) {
                ConnectionReport atClose = writtenAtClose.isEmpty() ? null : writtenAtClose.remove(r.id());
                if (atClose == null) {
                    finished(report, selection, r); // not written at its outcome: open at the end, idle, ...
                } else {
                    if (diagnosis != null) {
                        diagnosis.add(r);
                    }
                    if (changedLater(atClose, r)) {
                        report.update(r);
                    }
                }
                unflushed = true;
                if (events != null) {
                    events.finished(r.id());
                }
            }
        };
        Analyzer.Builder builder = Analyzer.builder(config);
        if (emitAtClose()) {
            builder.outcomes();
        }
        return (events != null || report.wantsEvents() ? builder.eventListener(listener) : builder.listener(listener))
                .build();
    }

    private void finished(ReportWriter report, Selection selection, ConnectionReport r) {
        if (selection.matches(r)) {
            report.connection(r);
            if (diagnosis != null) {
                diagnosis.add(r);
            }
            if ((++reportsWritten & 0xF) == 0) {
                checkOutput();
            }
        } else {
            report.discard(r.id());
        }
    }

    private int files(AnalyzerConfig config, ReportWriter report, Selection selection) {
        List<Path> paths = new ArrayList<>();
        for (String f : files) {
            Path p = Path.of(f);
            if (!f.equals("-")) {
                String problem = !Files.exists(p) ? "no such file" : Files.isDirectory(p) ? "is a directory"
                        : !Files.isReadable(p) ? "permission denied" : null;
                if (problem != null) {
                    err.println("analyze: " + f + ": " + problem);
                    return ExitCode.INPUT_UNREADABLE.code();
                }
            }
            paths.add(p);
        }
        // The filter first: a typo fails before anything is read.
        BpfFilter bpf = null;
        if (filter != null) {
            try {
                bpf = BpfFilter.compile(filter, LINKTYPE_ETHERNET);
            } catch (LiveCaptureException e) {
                err.println("analyze: " + e.getMessage());
                return exitFor(e);
            }
        }
        FrameSource opened;
        try {
            opened = reader == ReaderKind.LIBPCAP ? LibpcapFileSource.open(paths.get(0))
                    : paths.size() == 1 ? CaptureReaders.open(paths.get(0)) : CaptureReaders.openAll(paths);
        } catch (CaptureFormatException e) {
            err.println("analyze: " + inputMessage(paths, e));
            return ExitCode.INPUT_UNREADABLE.code();
        } catch (NoSuchFileException e) {
            err.println("analyze: " + e.getFile() + ": no such file");
            return ExitCode.INPUT_UNREADABLE.code();
        } catch (AccessDeniedException e) {
            err.println("analyze: " + e.getFile() + ": permission denied");
            return ExitCode.INPUT_UNREADABLE.code();
        } catch (IOException e) {
            err.println("analyze: " + inputMessage(paths, e));
            return ExitCode.INPUT_UNREADABLE.code();
        }
        PcapWriter copy = null;
        if (write != null) {
            try {
                copy = PcapWriter.create(write);
            } catch (IOException e) {
                closeQuietly(opened);
                return usage("--write: cannot create " + write + ": " + reason(e));
            }
        }
        FrameSource source = bpf == null && count == null && copy == null ? opened
                : new SelectedFrames(opened, bpf, count == null ? 0 : count, copy);
        // With three threads the listener (selection and report writer) runs on the report thread.
        int n = threads != null ? threads : Runtime.getRuntime().availableProcessors() > 1 ? 3 : 1;
        Analyzer analyzer = analyzerFor(config, report, selection, null);
        ReadProgress read = progress == null ? ReadProgress.NONE : progress::update;
        String inputError = null;
        String writeError = null;
        LiveCaptureException filterError = null;
        try (source) {
            analyzer.readAll(source, n, shards == null ? 0 : shards, read);
        } catch (PcapWriter.WriteException e) {
            writeError = e.getMessage();
            analyzer.inputError(new InputError("--write: " + writeError, -1));
        } catch (CaptureFormatException e) {
            inputError = inputMessage(paths, e);
            analyzer.inputError(new InputError(e.getMessage(), e.offset()));
        } catch (IOException e) {
            inputError = inputMessage(paths, e);
            analyzer.inputError(new InputError(e.getMessage() == null ? e.toString() : e.getMessage(), -1));
        } catch (LiveCaptureException e) {
            // The filter does not compile for the input's link type (checked for Ethernet before):
            // a usage error, without totals that would look like an analysis of the input.
            filterError = e;
        }
        if (progress != null) {
            progress.done();
        }
        AnalysisResult result = analyzer.finish();
        if (filterError != null) {
            err.println("analyze: " + filterError.getMessage());
            return exitFor(filterError);
        }
        endReport(report, result);
        checkOutput();
        if (writeError != null) {
            err.println("analyze: --write: " + writeError);
            return ExitCode.PARTIAL_INPUT.code();
        }
        if (inputError != null) {
            err.println("analyze: " + inputError);
            return analyzer.frames() > 0 ? ExitCode.PARTIAL_INPUT.code() : ExitCode.INPUT_UNREADABLE.code();
        }
        return unsupportedLinkTypes(nameOf(paths), result.summary().problems(), result.summary().tcpSegments());
    }

    /** libpcap's LINKTYPE_ETHERNET: the filter is checked for it before the input's link type is known. */
    private static final int LINKTYPE_ETHERNET = 1;

    private static void closeQuietly(FrameSource s) {
        try {
            s.close();
        } catch (IOException e) {
            // nothing was read from it; the usage error is what matters
        }
    }

    /**
     * An input problem, named after its file once: with several files the merged reader's format errors
     * already start with the file's name.
     */
    private static String inputMessage(List<Path> paths, Exception e) {
        String m = e.getMessage() == null ? "read error" : e.getMessage();
        if (paths.size() > 1 && e instanceof CaptureFormatException) {
            return m;
        }
        return nameOf(paths) + ": " + m;
    }

    /**
     * Frames of a link type we cannot decode are counted in the summary; the user also gets one line,
     * and exit 3 when nothing at all could be decoded (the file is readable, its contents are not).
     */
    private int unsupportedLinkTypes(String name, java.util.Map<DecodeProblem, Long> problems, long tcpSegments) {
        List<String> unsupported = problems.entrySet().stream()
                .filter(e -> e.getKey().reason() == DecodeReason.LINK_TYPE)
                .map(e -> e.getKey().text() + " (" + e.getValue() + " frames skipped)")
                .sorted().toList();
        if (unsupported.isEmpty()) {
            return ExitCode.OK.code();
        }
        err.println("analyze: " + name + ": " + String.join(", ", unsupported));
        return tcpSegments == 0 ? ExitCode.INPUT_UNREADABLE.code() : ExitCode.OK.code();
    }

    /** A progress bar only for one big file (not standard input), unless --quiet. */
    private boolean progressWanted() {
        return !quiet && files.size() == 1 && !files.get(0).equals("-") && sizeOf(files.get(0)) > Progress.THRESHOLD_BYTES;
    }

    private static long sizeOf(String file) {
        try {
            return Files.size(Path.of(file));
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static String nameOf(List<Path> paths) {
        return paths.size() == 1 ? paths.get(0).toString() : String.join(" ", paths.stream().map(Path::toString).toList());
    }

    private int listInterfaces() {
        try {
            for (String name : LiveCapture.interfaceNames()) {
                out.println(name);
            }
            return ExitCode.OK.code();
        } catch (LiveCaptureException e) {
            err.println("analyze: " + e.getMessage());
            return exitFor(e);
        }
    }

    /**
     * What a tcpdump user looks for on stderr when a capture starts ("listening on lo, link-type EN10MB
     * (Ethernet), snapshot length 262144 bytes"), with the buffer and the filter too.
     */
    static String startLine(LiveOptions o, String linkType) {
        int mib = o.bufferSize() >> 20;
        String buffer = mib > 0 && (o.bufferSize() & ((1 << 20) - 1)) == 0 ? mib + " MiB" : o.bufferSize() + " bytes";
        return "listening on " + o.interfaceName() + ", link-type " + linkType + ", snapshot length " + o.snaplen()
                + " bytes, buffer " + buffer + (o.filter() == null ? ", no filter" : ", filter '" + o.filter() + "'")
                + (o.promiscuous() ? ", promiscuous" : "");
    }

    private static int exitFor(LiveCaptureException e) {
        return switch (e.kind()) {
            case PERMISSION -> ExitCode.PERMISSION.code();
            case NO_SUCH_INTERFACE -> ExitCode.NO_SUCH_INTERFACE.code();
            case LIBPCAP_MISSING -> ExitCode.LIBPCAP_MISSING.code();
            case BAD_FILTER -> ExitCode.USAGE.code(); // a bad value of --filter, for files and interfaces alike
            default -> ExitCode.CAPTURE_FAILED.code();
        };
    }

    /**
     * Live: events printed as they happen (text format), connections as they finish, totals at the end.
     * Every way to stop ends the same way: SIGINT, SIGTERM, --duration, --count or a vanished interface
     * stop the taking of packets; every packet already taken from libpcap is analyzed, the connections
     * still open are finished as at the end of a capture (at the last packet's time), and the whole
     * report and libpcap's counters are printed. A requested stop exits 0 (as tcpdump and tshark do); a
     * second signal aborts at once (StopSignals).
     */
    private int live(AnalyzerConfig config, ReportWriter report, Selection selection, Writer writer) {
        LiveOptions options = LiveOptions.of(iface).withFilter(filter)
                .withSnaplen(snaplen == null || snaplen == 0 ? LiveOptions.DEFAULT_SNAPLEN : snaplen)
                .withPromiscuous(promiscuous).withWriteTo(write)
                .withBufferSize(bufferSize == null ? LiveOptions.DEFAULT_BUFFER_SIZE : bufferSize);
        LiveCapture capture;
        try {
            capture = LiveCapture.open(options);
        } catch (LiveCaptureException e) {
            err.println("analyze: " + e.getMessage());
            return exitFor(e);
        }
        // Signals are ours before the start line: a stop requested as soon as the capture is announced
        // (a script, a test, a quick Ctrl-C) must already end with the whole report and exit 0.
        StopSignals signals = new StopSignals(capture::stop, err);
        err.println(startLine(options, capture.linkTypeName()));
        EventPrinter events = format == Format.TEXT ? new EventPrinter(writer) : null;
        Analyzer analyzer = analyzerFor(config, report, selection, events);
        // Other ways out of the JVM (SIGHUP, ...) still run shutdown hooks: this one stops the capture and
        // gives the report up to 10 s.
        CountDownLatch reported = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            capture.stop();
            try {
                reported.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "analyze-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        int code = ExitCode.OK.code();
        // The capture thread only takes packets out of libpcap; decoding, analysis and output run on a
        // second thread, so that a slow stretch of them does not stop the reading (a collector pause
        // still stops both: the kernel's ring holds the packets meanwhile).
        QueuedSink sink = new QueuedSink(new LiveSink() {
            @Override
            public void onFrame(Frame frame) {
                analyzer.acceptFrame(frame);
                latestNanos = Math.max(latestNanos, frame.timeNanos());
            }

            @Override
            public void onIdle(long nowNanos) {
                analyzer.advanceTo(nowNanos);
                latestNanos = Math.max(latestNanos, nowNanos);
                summaryDue(report, selection, analyzer);
                flushWritten();
            }

            @Override
            public void onReadEnd() {
                summaryDue(report, selection, analyzer);
                flushWritten();
            }
        }, "finwait-analyze", capture::stop);
        try (signals) {
            try {
                capture.run(sink, count == null ? 0 : count, duration);
            } catch (LiveCaptureException e) {
                err.println("analyze: " + e.getMessage());
                code = exitFor(e);
            }
            RuntimeException analysisFailure = null;
            try {
                sink.close(); // returns once the analysis has seen every frame taken from libpcap
            } catch (RuntimeException e) {
                analysisFailure = e; // thrown below, after the capture is closed and the shutdown hook released
            }
            LiveStats stats = capture.stats();
            capture.close();
            if (analysisFailure != null) {
                reported.countDown();
                throw analysisFailure;
            }
            AnalysisResult result = analyzer.finish();
            endReport(report, result);
            if (reportOut.checkError()) {
                code = ExitCode.OUTPUT_CLOSED.code();
            }
            err.println("analyze: " + stats.received() + " packets received by filter, " + stats.dropped()
                    + " dropped by libpcap, " + stats.interfaceDropped() + " dropped by the interface");
            err.flush();
        } finally {
            reported.countDown();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running: it is waiting for `reported`, which is now counted down
        }
        return code;
    }
}
