package dev.finwait.report.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.finwait.report.Anomaly;
import dev.finwait.report.CaptureSummary;
import dev.finwait.report.ConnectionReport;
import dev.finwait.report.Reset;
import dev.finwait.report.SideCounts;
import dev.finwait.report.SideReport;
import dev.finwait.report.TimeWaitWindow;
import dev.finwait.report.Transition;
import dev.finwait.tcp.Endpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Map;

/**
 * One JSON object per line: a {@code connection} per finished connection, then a {@code summary}.
 * Field names are a public contract (see the README): fields may be added, never renamed.
 * Times are epoch seconds as JSON numbers.
 */
public final class JsonlWriter implements ReportWriter {
    private static final JsonFactory FACTORY = new JsonFactory();
    private final Writer out;
    private final JsonGenerator json;

    public JsonlWriter(Writer out) {
        this.out = out;
        try {
            this.json = FACTORY.createGenerator(out);
            json.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
            json.configure(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM, false);
            json.setRootValueSeparator(null); // lines are separated by '\n' ourselves
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void connection(ConnectionReport r) {
        try {
            json.writeStartObject();
            json.writeStringField("type", "connection");
            json.writeNumberField("id", r.id());
            endpoint("client", r.client());
            endpoint("server", r.server());
            json.writeStringField("opener", r.opener().jsonName());
            time("first_ts", r.firstNanos());
            time("last_ts", r.lastNanos());
            json.writeStringField("handshake", r.handshake().jsonName());
            json.writeStringField("close", r.close().jsonName());
            json.writeFieldName("first_fin");
            if (r.firstFin().isPresent()) json.writeString(r.firstFin().get().jsonName()); else json.writeNull();
            json.writeFieldName("half_close");
            if (r.halfClose().isPresent()) {
                var h = r.halfClose().get();
                json.writeStartObject();
                json.writeStringField("by", h.by().jsonName());
                time("from", h.fromNanos());
                json.writeFieldName("to");
                if (h.toNanos().isPresent()) json.writeNumber(Times.epochSeconds(h.toNanos().getAsLong())); else json.writeNull();
                json.writeNumberField("bytes_after", h.bytesAfter());
                json.writeEndObject();
            } else {
                json.writeNull();
            }
            json.writeArrayFieldStart("resets");
            for (Reset x : r.resets()) {
                json.writeStartObject();
                json.writeStringField("by", x.by().jsonName());
                time("at", x.atNanos());
                json.writeNumberField("frame", x.frame());
                json.writeStringField("sender_state", x.senderState().name());
                json.writeBooleanField("with_ack", x.withAck());
                json.writeBooleanField("acceptable", x.acceptable());
                json.writeStringField("cause", x.cause().jsonName());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeArrayFieldStart("time_wait");
            for (TimeWaitWindow w : r.timeWait()) {
                json.writeStartObject();
                json.writeStringField("side", w.side().jsonName());
                time("from", w.fromNanos());
                time("until", w.untilNanos());
                json.writeStringField("ended_by", w.endedBy().jsonName());
                time("ended_at", w.endedAtNanos());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeFieldName("reuse");
            if (r.reuse().isPresent()) {
                var u = r.reuse().get();
                json.writeStartObject();
                json.writeNumberField("previous_id", u.previousId());
                json.writeFieldName("in_time_wait_of");
                if (u.inTimeWaitOf() != null) json.writeString(u.inTimeWaitOf().jsonName()); else json.writeNull();
                json.writeBooleanField("legal", u.legal());
                json.writeStringField("reason", u.reason());
                json.writeEndObject();
            } else {
                json.writeNull();
            }
            json.writeObjectFieldStart("sides");
            side("client", r.clientSide());
            side("server", r.serverSide());
            json.writeEndObject();
            json.writeObjectFieldStart("counts");
            counts("client", r.clientSide().counts());
            counts("server", r.serverSide().counts());
            json.writeEndObject();
            json.writeObjectFieldStart("zeek");
            json.writeStringField("conn_state", r.zeek().connState());
            json.writeStringField("history", r.zeek().history());
            json.writeEndObject();
            json.writeNumberField("completeness", r.completeness());
            json.writeArrayFieldStart("anomalies");
            for (Anomaly a : r.anomalies()) {
                json.writeStartObject();
                json.writeStringField("kind", a.kind());
                json.writeNumberField("frame", a.frame());
                time("at", a.atNanos());
                json.writeStringField("detail", a.detail());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
            json.flush();
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void endpoint(String name, Endpoint e) throws IOException {
        json.writeObjectFieldStart(name);
        json.writeStringField("ip", e.ip().toString());
        json.writeNumberField("port", e.port());
        json.writeEndObject();
    }

    private void time(String name, long nanos) throws IOException {
        json.writeFieldName(name);
        json.writeNumber(Times.epochSeconds(nanos));
    }

    private void side(String name, SideReport s) throws IOException {
        json.writeObjectFieldStart(name);
        json.writeStringField("final_state", s.finalState().name());
        json.writeArrayFieldStart("transitions");
        for (Transition t : s.transitions()) {
            json.writeStartObject();
            json.writeStringField("state", t.state().name());
            time("at", t.atNanos());
            json.writeNumberField("frame", t.frame());
            json.writeBooleanField("inferred", t.inferred());
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    private void counts(String name, SideCounts c) throws IOException {
        json.writeObjectFieldStart(name);
        json.writeNumberField("packets", c.packets());
        json.writeNumberField("payload_bytes", c.payloadBytes());
        json.writeNumberField("syn", c.syn());
        json.writeNumberField("synack", c.synAck());
        json.writeNumberField("fin", c.fin());
        json.writeNumberField("rst", c.rst());
        json.writeNumberField("retransmissions", c.retransmissions());
        json.writeEndObject();
    }

    @Override
    public void end(CaptureSummary s) {
        try {
            json.writeStartObject();
            json.writeStringField("type", "summary");
            json.writeNumberField("frames", s.frames());
            json.writeNumberField("tcp_segments", s.tcpSegments());
            json.writeNumberField("connections", s.connections());
            json.writeNumberField("malformed", s.malformed());
            json.writeNumberField("non_tcp", s.nonTcp());
            json.writeObjectFieldStart("problems");
            for (Map.Entry<String, Long> e : new java.util.TreeMap<>(s.problems()).entrySet()) {
                json.writeNumberField(e.getKey(), e.getValue());
            }
            json.writeEndObject();
            json.writeFieldName("input_error");
            if (s.inputError() != null) json.writeString(s.inputError()); else json.writeNull();
            json.writeEndObject();
            json.flush();
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
