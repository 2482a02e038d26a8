package dev.finwait.report.format;

import dev.finwait.model.CloseKind;
import dev.finwait.model.AnomalyKind;
import dev.finwait.model.ConnectionReport;
import dev.finwait.model.Side;
import java.util.EnumMap;
import java.util.Map;

/** Running totals over finished connections: what the text format prints at the end. */
final class Totals {
    private long connections;
    private final Map<CloseKind, Long> byClose = new EnumMap<>(CloseKind.class);
    private long halfClosed;
    private long resets;
    private final Map<Side, Long> timeWait = new EnumMap<>(Side.class);
    private final Map<Side, Long> resetsBy = new EnumMap<>(Side.class);
    private long reused;
    private long expiredIdle;

    public void add(ConnectionReport r) {
        if (r.anomalies().stream().anyMatch(a -> a.kind() == AnomalyKind.EXPIRED_IDLE)) {
            expiredIdle++;
        }
        connections++;
        byClose.merge(r.close(), 1L, Long::sum);
        if (r.halfClose().isPresent()) halfClosed++;
        if (!r.resets().isEmpty()) resets++;
        r.resets().stream().filter(x -> x.acceptable()).map(x -> x.by()).distinct()
                .forEach(s -> resetsBy.merge(s, 1L, Long::sum));
        r.timeWait().stream().map(w -> w.side()).distinct().forEach(s -> timeWait.merge(s, 1L, Long::sum));
        if (r.reuse().isPresent()) reused++;
    }

    public long connections() {
        return connections;
    }

    public long count(CloseKind k) {
        return byClose.getOrDefault(k, 0L);
    }

    public long halfClosed() {
        return halfClosed;
    }

    public long withResets() {
        return resets;
    }

    public long timeWait(Side s) {
        return timeWait.getOrDefault(s, 0L);
    }

    public long resetsBy(Side s) {
        return resetsBy.getOrDefault(s, 0L);
    }

    /** Open connections finished by the idle timeout rather than by the end of the capture. */
    public long expiredIdle() {
        return expiredIdle;
    }

    public long reused() {
        return reused;
    }

    /** Graceful = closed by FINs on both sides (4-way, 3-way, simultaneous). */
    public long graceful() {
        return count(CloseKind.FOUR_WAY) + count(CloseKind.THREE_WAY) + count(CloseKind.SIMULTANEOUS);
    }
}
