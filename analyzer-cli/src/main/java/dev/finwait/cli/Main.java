package dev.finwait.cli;

import java.io.PrintStream;

/** Entry point of the {@code analyze} command. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command in-process (tests call this); returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        err.println("analyze: not built yet");
        return 2;
    }
}
