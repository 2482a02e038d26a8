package dev.finwait.cli;

/** The exit codes of {@code analyze}, documented in --help and the README. */
public enum ExitCode {
    OK(0, "analysis complete"),
    PARTIAL_INPUT(1, "input ended early or was corrupt after some frames; everything before was analyzed"),
    USAGE(2, "bad command line: unknown option, bad value (a filter libpcap cannot compile too), an option that cannot apply"),
    INPUT_UNREADABLE(3, "no capture could be read (missing file, not a capture, ...)"),
    PERMISSION(4, "no permission to capture on the interface (root or CAP_NET_RAW needed)"),
    NO_SUCH_INTERFACE(5, "no such interface"),
    LIBPCAP_MISSING(6, "libpcap is not installed"),
    CAPTURE_FAILED(7, "live capture failed (interface down, ...)"),
    INTERNAL(70, "internal error (a bug: please report it with --debug output)"),
    OUTPUT_CLOSED(141, "the output was closed early (e.g. piped into head): reading stopped, as for a tool killed by SIGPIPE");

    final int code;
    final String meaning;

    ExitCode(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    public int code() {
        return code;
    }

    static String table() {
        StringBuilder sb = new StringBuilder();
        for (ExitCode c : values()) {
            sb.append(String.format("  %3d  %s%n", c.code, c.meaning));
        }
        return sb.toString();
    }
}
