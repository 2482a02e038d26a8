package dev.finwait.cli;

import dev.finwait.event.ConnectionEvent;
import dev.finwait.report.format.Times;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.HashMap;
import java.util.Map;

/**
 * Live mode: one line per event as it happens (segments and opens are too chatty to print), each
 * naming its connection client first, {@code client > server}, as the report does.
 */
final class EventPrinter {
    private final Writer out;
    /** "client > server" of each connection still open, learnt from its Opened event. */
    private final Map<Long, String> endpoints = new HashMap<>();

    EventPrinter(Writer out) {
        this.out = out;
    }

    /** The connection's report was written: none of its events follow. */
    void finished(long connectionId) {
        endpoints.remove(connectionId);
    }

    static String describe(ConnectionEvent e) {
        if (e instanceof ConnectionEvent.StateChanged c) {
            return c.side().jsonName() + " " + c.from() + " -> " + c.to() + (c.inferred() ? " (inferred)" : "");
        }
        if (e instanceof ConnectionEvent.HalfClosed h) {
            return "half-close: " + h.halfClose().by().jsonName() + " sent FIN, "
                    + h.halfClose().by().opposite().jsonName() + " keeps sending";
        }
        if (e instanceof ConnectionEvent.ResetSeen r) {
            return "reset by " + r.reset().by().jsonName() + " in " + r.reset().senderState()
                    + " (" + r.reset().cause().jsonName().replace('_', ' ') + ")";
        }
        if (e instanceof ConnectionEvent.TimeWaitStarted t) {
            return t.side().jsonName() + " TIME_WAIT until " + Times.clock(t.untilNanos());
        }
        if (e instanceof ConnectionEvent.TimeWaitEnded t) {
            return t.window().side().jsonName() + " TIME_WAIT ended by " + t.window().endedBy().jsonName();
        }
        if (e instanceof ConnectionEvent.TupleReused u) {
            return "reuses the 4-tuple of #" + u.reuse().previousId()
                    + (u.reuse().legal() ? " (legal)" : " (premature: " + u.reuse().reason() + ")");
        }
        if (e instanceof ConnectionEvent.AnomalySeen a) {
            return "anomaly: " + a.anomaly().kind().jsonName();
        }
        return null; // opens, segments and finishes are too chatty or printed as the report
    }

    void print(ConnectionEvent e) {
        if (e instanceof ConnectionEvent.Opened o) {
            endpoints.put(o.connectionId(), o.client() + " > " + o.server());
            return;
        }
        String what = describe(e);
        if (what == null) {
            return;
        }
        String who = endpoints.getOrDefault(e.connectionId(), e.key().toString());
        try {
            out.write(Times.clock(e.atNanos()) + " #" + e.connectionId() + " " + who + "  " + what + "\n");
            out.flush();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
