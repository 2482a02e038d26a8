package dev.finwait.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A bench's command line: {@code FILE}, then optional positional values, and the {@code --flags} its usage
 * line names, anywhere. Without FILE, or with a flag the usage line does not name, it prints the usage
 * line and exits 2.
 */
public final class BenchArgs {
    private final List<String> positional = new ArrayList<>();
    private final List<String> flags = new ArrayList<>();

    private BenchArgs() {
    }

    /** {@code usage}: the bench's name and arguments, for example {@code "ReadBench FILE [TIMES] [--verify]"}. */
    public static BenchArgs parse(String[] args, String usage) {
        BenchArgs a = new BenchArgs();
        for (String arg : args) {
            if (arg.startsWith("--") && usage.contains("[" + arg + "]")) {
                a.flags.add(arg);
            } else if (arg.startsWith("--")) {
                exitWithUsage(usage);
            } else {
                a.positional.add(arg);
            }
        }
        if (a.positional.isEmpty()) {
            exitWithUsage(usage);
        }
        return a;
    }

    private static void exitWithUsage(String usage) {
        System.err.println("usage: " + usage);
        System.exit(2);
    }

    public Path file() {
        return Path.of(positional.get(0));
    }

    /** The positional value at {@code index} (FILE is 0), or {@code fallback} when it is not given. */
    public int intAt(int index, int fallback) {
        return positional.size() > index ? Integer.parseInt(positional.get(index)) : fallback;
    }

    public double doubleAt(int index, double fallback) {
        return positional.size() > index ? Double.parseDouble(positional.get(index)) : fallback;
    }

    public boolean flag(String name) {
        return flags.contains(name);
    }
}
