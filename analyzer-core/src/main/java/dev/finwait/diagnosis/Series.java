package dev.finwait.diagnosis;

import dev.finwait.tcp.Endpoint;
import dev.finwait.tcp.IpAddress;
import java.util.List;

/**
 * Connections of one service (or one host) in each {@link SeriesState} over capture time: point i is
 * the time-weighted mean number during [start + i*step, start + (i+1)*step). Every series of a result
 * has the same step, start and number of points. Exactly one of {@code service} and {@code host} is set.
 *
 * @param values one array per {@link SeriesState}, in declaration order, all of the same length
 */
public record Series(Endpoint service, IpAddress host, long startNanos, long stepNanos, List<double[]> values) {
    public Series {
        values = List.copyOf(values);
    }

    public double[] values(SeriesState state) {
        return values.get(state.ordinal());
    }
}
