package dev.finwait.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/** Entry point of the {@code analyze} command. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        int code = run(args, System.out, System.err, Terminal::detect);
        System.out.flush();
        System.exit(code);
    }

    /** Runs the command in-process (tests call this) with no terminal; returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, () -> Terminal.NONE);
    }

    /** {@code terminal}: what stdout and stderr are, asked only when a progress bar is at stake. */
    static int run(String[] args, PrintStream out, PrintStream err, java.util.function.Supplier<Terminal> terminal) {
        AnalyzeCommand command = new AnalyzeCommand(out, err, terminal);
        CommandLine cl = new CommandLine(command)
                .setOut(new PrintWriter(out, true, StandardCharsets.UTF_8))
                .setErr(new PrintWriter(err, true, StandardCharsets.UTF_8))
                .setCaseInsensitiveEnumValuesAllowed(true)
                .registerConverter(java.time.Duration.class, new DurationConverter())
                // --only half-close and half_close both work (the README and the issue use both)
                .registerConverter(Selection.Only.class, new EnumConverter<>(Selection.Only.class, "kind"))
                .registerConverter(AnalyzeCommand.Format.class, new EnumConverter<>(AnalyzeCommand.Format.class, "format"))
                .registerConverter(AnalyzeCommand.ReaderKind.class,
                        new EnumConverter<>(AnalyzeCommand.ReaderKind.class, "reader"))
                .registerConverter(AnalyzeCommand.ByTable.class, new EnumConverter<>(AnalyzeCommand.ByTable.class, "table"))
                .registerConverter(AnalyzeCommand.Emit.class, new EnumConverter<>(AnalyzeCommand.Emit.class, "choice"))
                .registerConverter(Integer.class, NumberConverter::parseInt)
                .registerConverter(Long.class, NumberConverter::parse);
        // One line: a bad value names the valid ones itself; an unknown option points to --help.
        cl.setParameterExceptionHandler((ex, a) -> {
            String m = ex.getMessage().replaceFirst("^Invalid value for option '([^']+)'( \\([^)]*\\))?: ", "$1: ");
            err.println("analyze: " + m + (ex instanceof CommandLine.UnmatchedArgumentException
                    ? " (see analyze --help)" : ""));
            return ExitCode.USAGE.code();
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            err.println("analyze: internal error: " + ex);
            if (command.debug) {
                ex.printStackTrace(err);
            }
            return ExitCode.INTERNAL.code();
        });
        return cl.execute(args);
    }
}
