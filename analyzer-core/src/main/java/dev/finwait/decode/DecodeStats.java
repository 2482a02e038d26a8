package dev.finwait.decode;

import dev.finwait.model.DecodeProblem;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts decode outcomes: segments, and each Skipped / Malformed reason, in the shape of
 * {@link dev.finwait.model.CaptureSummary}: {@link #malformed()}, {@link #skipped()} (its
 * {@code nonTcp}) and {@link #reasons()} (its {@code problems}, keyed by the bare reason; no reason
 * string is used for both kinds). Not thread-safe: one per decoder.
 */
public final class DecodeStats {
    private long decoded;
    private long skipped;
    private long malformed;
    private final Map<DecodeProblem, Long> reasons = new HashMap<>();

    /** Counts {@code result} and returns it, so a call can wrap {@link Decoder#decode}. */
    public DecodeResult count(DecodeResult result) {
        if (result instanceof DecodeResult.Decoded) {
            decoded++;
        } else if (result instanceof DecodeResult.Skipped s) {
            skipped++;
            reasons.merge(s.problem(), 1L, Long::sum);
        } else if (result instanceof DecodeResult.Malformed m) {
            malformed++;
            reasons.merge(m.problem(), 1L, Long::sum);
        }
        return result;
    }

    /** Counts one segment (what {@link Decoder#decodeSegment} returned). */
    void countSegment() {
        decoded++;
    }

    /** {@return frames decoded to a TCP segment} */
    public long decoded() {
        return decoded;
    }

    /** {@return well-formed frames without TCP} */
    public long skipped() {
        return skipped;
    }

    /** {@return frames whose bytes contradict their headers} */
    public long malformed() {
        return malformed;
    }

    /** Problem -> count, sorted by the problem's text. */
    public Map<DecodeProblem, Long> reasons() {
        return Collections.unmodifiableMap(new TreeMap<>(reasons));
    }
}
