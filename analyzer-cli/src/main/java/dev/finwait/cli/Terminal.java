package dev.finwait.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Which of standard output and standard error are terminals, whether they are the same one, and how
 * wide it is. The progress bar is drawn only when stderr is a terminal (System.console() tests stdin
 * and stdout instead), and it is erased before each report line when stdout shows on the same one.
 *
 * <p>Hand-written rather than JLine: on Linux the answer is two symbolic links in /proc/self/fd
 * (about 1.5 ms in a fresh JVM), where JLine 3.26.3's terminal providers cost, per run on JDK 17,
 * 60-210 ms (jni: it extracts its native library each time), 86-130 ms (exec: it runs stty) or
 * 175-400 ms (jna), measured with a one-class probe calling TerminalProvider.load(name) and
 * isSystemStream(Error) under {@code script -qc}, 3 runs each. Elsewhere than Linux no terminal is
 * reported, so there is no progress bar and nothing can land in a redirected log.
 *
 * <p>The width: the JVM property {@code finwait.columns} (the launcher passes the terminal's, since
 * bash does not export COLUMNS), else the environment's {@code COLUMNS}, else 100.
 */
record Terminal(boolean stdout, boolean stderr, boolean same) {
    static final int DEFAULT_COLUMNS = 100;

    /** No terminal at all (tests running the command in-process). */
    static final Terminal NONE = new Terminal(false, false, false);

    /** The width to draw for (no detection: the launcher passes it). */
    static int columns() {
        return columnsFrom(System.getProperty("finwait.columns"), System.getenv("COLUMNS"));
    }

    /** Asked only when a progress bar is at stake (a big file): the rest of the runs skip even this. */
    static Terminal detect() {
        String out = link(1);
        String err = link(2);
        boolean dumb = "dumb".equals(System.getenv("TERM"));
        boolean outTty = !dumb && isTerminalDevice(out);
        boolean errTty = !dumb && isTerminalDevice(err);
        return new Terminal(outTty, errTty, outTty && errTty && out.equals(err));
    }

    /** What file descriptor {@code fd} of this process is open on (Linux), or null. */
    private static String link(int fd) {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return null;
        }
    }

    /** Pseudo-terminals, virtual consoles, serial lines: the device files a terminal is. */
    static boolean isTerminalDevice(String target) {
        return target != null && (target.startsWith("/dev/pts/") || target.startsWith("/dev/tty")
                || target.equals("/dev/console"));
    }

    /** The first positive whole number of the two, else 100. */
    static int columnsFrom(String property, String environment) {
        for (String v : new String[] {property, environment}) {
            if (v != null) {
                try {
                    int n = Integer.parseInt(v.trim());
                    if (n > 0) {
                        return n;
                    }
                } catch (NumberFormatException e) {
                    // not a width: try the next source
                }
            }
        }
        return DEFAULT_COLUMNS;
    }
}
