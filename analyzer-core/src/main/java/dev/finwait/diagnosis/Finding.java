package dev.finwait.diagnosis;

import dev.finwait.model.Side;
import dev.finwait.tcp.Endpoint;
import java.util.List;

/**
 * One finding on a service (or, for {@code ephemeral_port_pressure}, on a client host).
 *
 * @param kind        what was found
 * @param severity    how bad it is (the kind's own severity, or raised for ephemeral port pressure)
 * @param side        the side whose behaviour it is (the writer, the closer, the side in CLOSE_WAIT), or
 *                    null when it is about the connection (refused, unanswered, reuse)
 * @param service     the server ip:port the connections went to
 * @param count       connections that show it; for {@code ephemeral_port_pressure} the peak number of
 *                    TIME_WAIT sockets at once
 * @param of          connections of the service (the share's denominator); for the pressure, the
 *                    size of the ephemeral range
 * @param examples    ids of connections that show it, the first ones seen
 * @param explanation one sentence: the mechanism, and what the application sees
 */
public record Finding(FindingKind kind, Severity severity, Side side, Endpoint service, long count, long of,
                      List<Long> examples, String explanation) {
    /** Copies the examples: a finding never changes. */
    public Finding {
        examples = List.copyOf(examples);
    }

    /** count / of, 0 when {@code of} is 0. */
    public double share() {
        return of == 0 ? 0 : (double) count / of;
    }
}
