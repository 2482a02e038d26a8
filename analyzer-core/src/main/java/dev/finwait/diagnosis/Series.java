package dev.finwait.diagnosis;

import dev.finwait.tcp.Endpoint;
import dev.finwait.tcp.IpAddress;
import java.util.List;

/**
 * Connections of one service (or one host) in each {@link SeriesState} over capture time: point i is
 * the time-weighted mean number during [start + i*step, start + (i+1)*step). Every series of a result
 * has the same step, start and number of points. Exactly one of {@code service} and {@code host} is set.
 *
 * @param service    the service the series is of, or null
 * @param host       the host the series is of, or null
 * @param startNanos capture time of the first point's start, nanoseconds since the epoch
 * @param stepNanos  the length of each point
 * @param values one array per {@link SeriesState}, in declaration order, all of the same length
 */
public record Series(Endpoint service, IpAddress host, long startNanos, long stepNanos, List<double[]> values) {
    /** Copies the list (not the arrays). */
    public Series {
        values = List.copyOf(values);
    }

    /** {@return the points of {@code state}} */
    public double[] values(SeriesState state) {
        return values.get(state.ordinal());
    }
}
