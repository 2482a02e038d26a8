package dev.finwait.report.format;
import dev.finwait.model.Opener;

import dev.finwait.model.CaptureSummary;
import dev.finwait.model.CloseKind;
import dev.finwait.model.ConnectionReport;
import dev.finwait.model.DecodeProblem;
import dev.finwait.model.HalfClose;
import dev.finwait.model.Reset;
import dev.finwait.model.Side;
import dev.finwait.model.TimeWaitEnd;
import dev.finwait.model.TimeWaitWindow;
import dev.finwait.diagnosis.DiagnosisResult;
import dev.finwait.diagnosis.Interim;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Map;
import java.util.TreeMap;

/**
 * For people: one line per connection (endpoints, how it opened, how it closed and who closed
 * first, final states, TIME_WAIT), indented detail lines for half-closes, resets and reuse, then
 * totals that answer "which side piles up TIME_WAIT?".
 */
public final class TextWriter implements ReportWriter {
    private final Writer out;
    private final Totals totals = new Totals();
    private DiagnosisResult diagnosis;
    private boolean serviceTable;
    private boolean hostTable;

    /** Writes to {@code out}. */
    public TextWriter(Writer out) {
        this.out = out;
    }

    /** Also print the table of services and/or of hosts after the findings ({@code --by service|host}). */
    public TextWriter withTables(boolean services, boolean hosts) {
        this.serviceTable = services;
        this.hostTable = hosts;
        return this;
    }

    @Override
    public void diagnosis(DiagnosisResult d) {
        this.diagnosis = d;
    }

    /**
     * A live capture's summary so far, as a block between two marker lines: the findings (and the
     * tables of {@code --by}) over the connections finished and those still tracked, as of a moment.
     */
    @Override
    public void interim(Interim soFar) {
        long all = soFar.finished() + soFar.tracked();
        StringBuilder sb = new StringBuilder();
        sb.append("\n=== so far, as of ").append(Times.clock(soFar.asOfNanos())).append(": ").append(all)
                .append(all == 1 ? " connection (" : " connections (").append(soFar.finished()).append(" finished, ")
                .append(soFar.tracked()).append(" still tracked) ===\n");
        StringBuilder findings = new StringBuilder();
        DiagnosisText.findings(findings, soFar.diagnosis());
        sb.append(findings, findings.charAt(0) == '\n' ? 1 : 0, findings.length()); // compact: no blank line
        if (serviceTable) DiagnosisText.services(sb, soFar.diagnosis());
        if (hostTable) DiagnosisText.hosts(sb, soFar.diagnosis());
        sb.append("=== end of the summary so far ===\n");
        write(sb);
    }

    @Override
    public void connection(ConnectionReport r) {
        totals.add(r);
        connection(r, "");
    }

    /** The whole block again, marked: a later packet changed a connection already printed (not counted twice). */
    @Override
    public void update(ConnectionReport r) {
        connection(r, "(update) ");
    }

    private void connection(ConnectionReport r, String mark) {
        StringBuilder sb = new StringBuilder(200);
        sb.append('#').append(r.id()).append(' ').append(mark).append(Times.clock(r.firstNanos())).append("  ")
                .append(r.client()).append(" > ").append(r.server());
        if (r.opener() == dev.finwait.model.Opener.GUESSED) sb.append(" (roles guessed)");
        sb.append("  open: ").append(r.handshake().jsonName());
        sb.append("  close: ").append(closeText(r));
        sb.append("  final: client ").append(r.clientSide().finalState()).append(", server ").append(r.serverSide().finalState());
        sb.append("  ").append(Times.seconds(r.lastNanos() - r.firstNanos()));
        sb.append('\n');
        for (TimeWaitWindow w : r.timeWait()) {
            sb.append("    TIME_WAIT ").append(w.side().jsonName()).append(" from ").append(Times.clock(w.fromNanos()))
                    .append(" until ").append(Times.clock(w.untilNanos())).append(" (")
                    .append(Times.seconds(w.untilNanos() - w.fromNanos()))
                    .append(w.endedBy() == TimeWaitEnd.SCHEDULED ? "), open" : "), ended by " + w.endedBy().jsonName())
                    .append('\n');
        }
        r.halfClose().ifPresent(h -> sb.append("    half-close: ").append(halfCloseText(h)).append('\n'));
        for (Reset x : r.resets()) {
            sb.append("    reset: ").append(x.by().jsonName()).append(x.withAck() ? " RST+ACK" : " RST")
                    .append(" in ").append(x.senderState()).append(", ").append(x.cause().jsonName().replace('_', ' '))
                    .append(x.acceptable() ? "" : " (not acceptable to the receiver: ignored)")
                    .append(" at ").append(Times.clock(x.atNanos())).append(" frame ").append(x.frame()).append('\n');
        }
        r.reuse().ifPresent(u -> sb.append("    reuses the 4-tuple of #").append(u.previousId())
                .append(u.inTimeWaitOf() == null ? "" : " inside the " + u.inTimeWaitOf().jsonName() + "'s TIME_WAIT")
                .append(u.legal() ? " (legal: " : " (premature: ").append(u.reason()).append(")\n"));
        // Odd input and idle expiry are named, never silent (at most a few lines per connection).
        r.anomalies().stream().limit(5).forEach(a -> sb.append("    anomaly: ").append(a.kind().jsonName())
                .append(a.frame() > 0 ? " at frame " + a.frame() : " at " + Times.clock(a.atNanos()))
                .append(a.detail().isEmpty() ? "" : ": " + a.detail()).append('\n'));
        if (r.anomalies().size() > 5) {
            sb.append("    anomaly: ").append(r.anomalies().size() - 5).append(" more (see --format jsonl)\n");
        }
        write(sb);
    }

    private static String closeText(ConnectionReport r) {
        String who = r.firstFin().map(s -> ", " + s.jsonName() + " closed first").orElse("");
        if (r.close() == CloseKind.RESET || r.close() == CloseKind.FIN_THEN_RESET) {
            String by = r.resets().stream().filter(Reset::acceptable).findFirst()
                    .map(x -> " by " + x.by().jsonName()).orElse("");
            return r.close().jsonName() + by + who;
        }
        return r.close().jsonName() + who;
    }

    private static String halfCloseText(HalfClose h) {
        Side other = h.by().opposite();
        String duration = h.toNanos().isPresent() ? " for " + Times.seconds(h.toNanos().getAsLong() - h.fromNanos())
                : " until the end of the capture";
        return h.by().jsonName() + " sent FIN at " + Times.clock(h.fromNanos()) + "; " + other.jsonName()
                + " kept sending " + h.bytesAfter() + " bytes" + duration;
    }

    @Override
    public void end(CaptureSummary s) {
        StringBuilder sb = new StringBuilder();
        sb.append('\n').append(totals.connections()).append(totals.connections() == 1 ? " connection: " : " connections: ")
                .append(totals.graceful()).append(" graceful (")
                .append(totals.count(CloseKind.FOUR_WAY)).append(" 4-way, ")
                .append(totals.count(CloseKind.THREE_WAY)).append(" 3-way, ")
                .append(totals.count(CloseKind.SIMULTANEOUS)).append(" simultaneous), ")
                .append(totals.halfClosed()).append(" half-closed, ")
                .append(totals.count(CloseKind.RESET) + totals.count(CloseKind.FIN_THEN_RESET)).append(" reset, ")
                .append(totals.count(CloseKind.REFUSED)).append(" refused, ")
                .append(totals.count(CloseKind.OPEN)).append(" still open, ")
                .append(totals.count(CloseKind.NEVER_OPENED)).append(" never opened")
                .append(totals.expiredIdle() > 0 ? "; " + totals.expiredIdle() + " finished by the idle timeout\n" : "\n");
        sb.append("TIME_WAIT: client side ").append(totals.timeWait(Side.CLIENT)).append(", server side ")
                .append(totals.timeWait(Side.SERVER));
        if (totals.timeWait(Side.SERVER) > totals.timeWait(Side.CLIENT)) {
            sb.append(" (the servers close first and pile up TIME_WAIT)");
        }
        sb.append("; RST sent by clients ").append(totals.resetsBy(Side.CLIENT)).append(", by servers ")
                .append(totals.resetsBy(Side.SERVER));
        if (totals.reused() > 0) sb.append("; 4-tuples reused ").append(totals.reused());
        sb.append('\n');
        sb.append(s.frames()).append(" frames, ").append(s.tcpSegments()).append(" TCP segments, ")
                .append(s.nonTcp()).append(" not TCP, ").append(s.malformed()).append(" malformed");
        Map<DecodeProblem, Long> problems = s.problems();
        if (!problems.isEmpty()) sb.append(" ").append(problems);
        sb.append('\n');
        if (s.inputError() != null) sb.append("input ended early: ").append(s.inputError()).append('\n');
        if (diagnosis != null) {
            DiagnosisText.findings(sb, diagnosis);
            if (serviceTable) DiagnosisText.services(sb, diagnosis);
            if (hostTable) DiagnosisText.hosts(sb, diagnosis);
        }
        write(sb);
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void write(CharSequence text) {
        try {
            out.append(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
