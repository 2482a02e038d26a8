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
        int code = run(args, System.out, System.err);
        System.out.flush();
        System.exit(code);
    }

    /** Runs the command in-process (tests call this); returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        AnalyzeCommand command = new AnalyzeCommand(out, err);
        CommandLine cl = new CommandLine(command)
                .setOut(new PrintWriter(out, true, StandardCharsets.UTF_8))
                .setErr(new PrintWriter(err, true, StandardCharsets.UTF_8))
                .setCaseInsensitiveEnumValuesAllowed(true)
                .registerConverter(java.time.Duration.class, new DurationConverter())
                // --only half-close and half_close both work (the README and the issue use both)
                .registerConverter(Selection.Only.class,
                        v -> Selection.Only.valueOf(v.trim().replace('-', '_').toUpperCase(java.util.Locale.ROOT)));
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("analyze: " + ex.getMessage());
            err.println("Try 'analyze --help' for more information.");
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
