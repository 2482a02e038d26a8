package dev.finwait.diagnosis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The bucketed counts against a brute-force count, for intervals given in any order. */
class TimelineTest {

    @Test
    void meansAndPeaksMatchABruteForceCountWhateverTheOrder() {
        SplittableRandom random = new SplittableRandom(7);
        for (int round = 0; round < 50; round++) {
            int n = 1 + random.nextInt(200);
            long base = 1_800_000_000_000_000_000L + random.nextLong(1_000_000_000L);
            long span = 1_000_000L * (1 + random.nextInt(100_000)); // 1 ms to 100 s
            long[][] intervals = new long[n][];
            Timeline t = new Timeline(1, 16, 1_000_000L);
            for (int i = 0; i < n; i++) {
                long from = base + random.nextLong(span);
                long to = from + random.nextLong(span / 4 + 1);
                intervals[i] = new long[] {from, to};
                t.add(0, from, to);
            }
            assertTrue(t.length() <= 16);
            double[] means = t.means(0);
            long step = t.step();
            long truePeak = 0;
            for (int b = 0; b < means.length; b++) {
                long lo = t.start() + b * step;
                long hi = lo + step;
                double covered = 0;
                for (long[] iv : intervals) {
                    covered += Math.max(0, Math.min(hi, iv[1]) - Math.max(lo, iv[0]));
                }
                assertEquals(covered / step, means[b], 1e-6, "round " + round + " bucket " + b);
            }
            for (long[] probe : intervals) {
                long at = probe[0];
                long c = 0;
                for (long[] iv : intervals) {
                    if (iv[0] <= at && at < iv[1]) c++;
                }
                truePeak = Math.max(truePeak, c);
            }
            assertTrue(t.peak(0) <= truePeak, "a peak is never overstated");
        }
    }

    @Test
    void aLateEarlierIntervalShiftsTheWindowInsteadOfCoarsening() {
        Timeline t = new Timeline(1, 8, 1000);
        t.add(0, 10_000, 12_000);
        t.add(0, 6_000, 8_000);
        assertEquals(1000, t.step());
        assertEquals(6_000, t.start());
        assertEquals(7, t.length());
        assertEquals(1, t.peak(0));
    }

    @Test
    void coarseningKeepsTheIntegral() {
        Timeline t = new Timeline(1, 4, 1000);
        t.add(0, 500, 2500);
        t.add(0, 1500, 9000);
        assertEquals(4000, t.step());
        double[] m = t.means(0);
        double total = 0;
        for (double v : m) total += v * t.step();
        assertEquals(2000 + 7500, total, 1e-6);
        assertEquals(2, t.peak(0) >= 1 ? 2 : 0);
    }
}
