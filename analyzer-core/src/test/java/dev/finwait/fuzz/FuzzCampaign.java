package dev.finwait.fuzz;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A longer whole-pipeline fuzzing campaign than {@link PipelineFuzzTest}, seeded by every sample capture
 * and every corpus capture. Inputs that throw anything but a CaptureFormatException, or hang, are saved.
 *
 * <pre>
 * mvn -B -o -q -pl analyzer-core test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/finwait-cp.txt
 * java -Dfinwait.samples=sample-captures -Dfinwait.corpus=sample-captures/third-party \
 *      -cp "analyzer-core/target/test-classes:analyzer-core/target/classes:$(cat /tmp/finwait-cp.txt)" \
 *      dev.finwait.fuzz.FuzzCampaign --inputs 100000 --seed 1 --minutes 10 --save /tmp/fuzz-found
 * </pre>
 *
 * With {@code --large PACKETS} the seeds are {@link Pipeline#largeSeeds}: generated captures of that many
 * packets as pcap and pcapng (about 400 bytes a packet), and mutants may grow to 16 MB.
 */
public final class FuzzCampaign {
    /** The slowest input is looked for after these, which pay for class loading and the JIT. */
    private static final long WARM_UP = 5_000;

    private FuzzCampaign() {
    }

    public static void main(String[] args) throws Exception {
        long inputs = 100_000;
        long seed = 1;
        double minutes = 10;
        long hangMillis = 10_000;
        Path save = Path.of("fuzz-found");
        int large = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--inputs" -> inputs = Long.parseLong(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--minutes" -> minutes = Double.parseDouble(args[++i]);
                case "--hang-ms" -> hangMillis = Long.parseLong(args[++i]);
                case "--save" -> save = Path.of(args[++i]);
                case "--large" -> large = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println("usage: FuzzCampaign [--inputs N] [--seed S] [--minutes M] [--hang-ms MS] [--save DIR] [--large PACKETS]");
                    System.exit(2);
                }
            }
        }
        Mutator mutator = large > 0
                ? new Mutator(new Random(seed), Pipeline.largeSeeds(large), Mutator.MAX_SIZE_LARGE)
                : new Mutator(new Random(seed), Pipeline.seeds(null));
        long start = System.nanoTime();
        long deadline = start + (long) (minutes * 60e9);
        ExecutorService worker = Executors.newSingleThreadExecutor(FuzzCampaign::daemon);
        long tried = 0;
        long formatErrors = 0;
        long frames = 0;
        long connections = 0;
        long bytes = 0;
        long slowestNanos = 0;
        long slowestInput = -1;
        byte[] slowest = null;
        Map<String, Integer> failures = new TreeMap<>();
        while (tried < inputs && System.nanoTime() < deadline) {
            byte[] input = mutator.next();
            long n = tried++;
            bytes += input.length;
            long t0 = System.nanoTime();
            Future<Pipeline.Outcome> f = worker.submit(() -> Pipeline.run(input));
            String failure = null;
            try {
                Pipeline.Outcome o = f.get(hangMillis, TimeUnit.MILLISECONDS);
                formatErrors += o.formatError() == null ? 0 : 1;
                frames += o.frames();
                connections += o.connections();
            } catch (TimeoutException e) {
                failure = "hang over " + hangMillis + " ms";
                f.cancel(true);
                worker.shutdownNow();
                worker = Executors.newSingleThreadExecutor(FuzzCampaign::daemon);
            } catch (java.util.concurrent.ExecutionException e) {
                Throwable c = e.getCause();
                StackTraceElement top = c.getStackTrace().length > 0 ? c.getStackTrace()[0] : null;
                failure = c.getClass().getName() + " at " + top;
            }
            long took = System.nanoTime() - t0;
            if (n >= WARM_UP && took > slowestNanos) {
                slowestNanos = took;
                slowestInput = n;
                slowest = input;
            }
            if (failure != null) {
                int seen = failures.merge(failure, 1, Integer::sum);
                if (seen <= 3) {
                    Files.createDirectories(save);
                    Path p = save.resolve("seed" + seed + "-input" + n + ".bin");
                    Files.write(p, input);
                    System.out.println("FAILURE input " + n + ": " + failure + " -> " + p);
                }
            }
            if (tried % 10_000 == 0) {
                System.out.printf("%,d inputs, %.0f s%n", tried, (System.nanoTime() - start) / 1e9);
            }
        }
        double secs = (System.nanoTime() - start) / 1e9;
        System.out.printf("seed %d: %,d inputs in %.1f s (%,.0f/s), %,d MB of mutants%n", seed, tried, secs, tried / secs,
                bytes >> 20);
        System.out.printf("  %,d ended with a CaptureFormatException, %,d frames and %,d connections analyzed%n",
                formatErrors, frames, connections);
        System.out.printf("  other exceptions or hangs: %d%n", failures.values().stream().mapToInt(Integer::intValue).sum());
        failures.forEach((k, v) -> System.out.printf("    %,d x %s%n", v, k));
        if (slowest == null) {
            System.out.printf("  slowest input: none after the %,d-input warm-up%n", WARM_UP);
        } else {
            System.out.printf("  slowest input after the first %,d: #%d, %,d bytes, %.1f ms%n", WARM_UP, slowestInput,
                    slowest.length, slowestNanos / 1e6);
        }
        if (slowest != null) {
            Files.createDirectories(save);
            Files.write(save.resolve("slowest-seed" + seed + ".bin"), slowest);
        }
        System.exit(failures.isEmpty() ? 0 : 1);
    }

    private static Thread daemon(Runnable r) {
        Thread t = new Thread(r, "fuzz-worker");
        t.setDaemon(true);
        return t;
    }
}
