package dev.finwait.cli;

import dev.finwait.model.CloseKind;
import dev.finwait.model.ConnectionReport;
import dev.finwait.tcp.IpAddress;
import java.util.Set;

/** Which connections to print: --only kinds (any of them), --port, --host, --connection. */
record Selection(Set<Only> only, Integer port, IpAddress host, Long connectionId) {

    enum Only { RESET, HALF_CLOSE, TIME_WAIT, REFUSED, OPEN, REUSE }

    boolean matches(ConnectionReport r) {
        if (connectionId != null && r.id() != connectionId) return false;
        if (port != null && r.client().port() != port && r.server().port() != port) return false;
        if (host != null && !r.client().ip().equals(host) && !r.server().ip().equals(host)) return false;
        if (only == null || only.isEmpty()) return true;
        for (Only o : only) {
            boolean hit = switch (o) {
                case RESET -> r.resets().stream().anyMatch(x -> x.acceptable());
                case HALF_CLOSE -> r.halfClose().isPresent();
                case TIME_WAIT -> !r.timeWait().isEmpty();
                case REFUSED -> r.close() == CloseKind.REFUSED;
                case OPEN -> r.close() == CloseKind.OPEN || r.close() == CloseKind.HALF_CLOSED;
                case REUSE -> r.reuse().isPresent();
            };
            if (hit) return true;
        }
        return false;
    }
}
