package dev.finwait.snapshot;

import dev.finwait.model.Anomaly;
import dev.finwait.model.Reset;
import dev.finwait.model.Reuse;
import dev.finwait.model.Side;
import dev.finwait.model.TimeWaitWindow;
import dev.finwait.tcp.Endpoint;
import dev.finwait.tcp.FlowKey;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Writes snapshot fields in order: primitives big-endian, enums as their ordinal (a byte), strings as
 * modified UTF-8, nullable values behind a presence byte. The reader reads them back in the same order;
 * the version at the head of a snapshot says which order that was.
 */
public final class SnapshotWriter {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    private final DataOutputStream out = new DataOutputStream(bytes);

    /** {@return everything written so far} */
    public byte[] toByteArray() {
        return bytes.toByteArray();
    }

    /** Writes 8 bytes, big-endian. */
    public SnapshotWriter writeLong(long v) {
        try {
            out.writeLong(v);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return this;
    }

    /** Writes 4 bytes, big-endian. */
    public SnapshotWriter writeInt(int v) {
        try {
            out.writeInt(v);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Writes one byte, 1 or 0. */
    public SnapshotWriter writeBoolean(boolean v) {
        return writeByte(v ? 1 : 0);
    }

    /** Writes the low 8 bits of {@code v}. */
    public SnapshotWriter writeByte(int v) {
        try {
            out.writeByte(v);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Writes a string of at most 65,535 bytes in modified UTF-8. */
    public SnapshotWriter writeString(String s) {
        try {
            out.writeUTF(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** An enum constant, or null, as one byte (its ordinal + 1, 0 for null). */
    public SnapshotWriter writeEnum(Enum<?> e) {
        return writeByte(e == null ? 0 : e.ordinal() + 1);
    }

    /** Writes the first {@code count} values, after their count. */
    public SnapshotWriter writeLongs(long[] values, int count) {
        writeInt(count);
        for (int i = 0; i < count; i++) {
            writeLong(values[i]);
        }
        return this;
    }

    /** Writes an endpoint, or null. */
    public SnapshotWriter writeEndpoint(Endpoint e) {
        writeBoolean(e != null);
        if (e != null) {
            writeLong(e.ip().hi()).writeLong(e.ip().lo()).writeBoolean(e.ip().v6()).writeInt(e.port());
        }
        return this;
    }

    /** Writes a 4-tuple (not null). */
    public SnapshotWriter writeKey(FlowKey k) {
        return writeEndpoint(k.low()).writeEndpoint(k.high());
    }

    /** Writes a connection's resets. */
    public SnapshotWriter writeResets(List<Reset> resets) {
        writeInt(resets.size());
        for (Reset r : resets) {
            writeEnum(r.by()).writeLong(r.atNanos()).writeLong(r.frame()).writeEnum(r.senderState())
                    .writeBoolean(r.withAck()).writeBoolean(r.acceptable()).writeEnum(r.cause());
            writeBoolean(r.senderWindow() != null);
            if (r.senderWindow() != null) {
                writeLong(r.senderWindow().last()).writeLong(r.senderWindow().max());
            }
        }
        return this;
    }

    /** Writes a connection's TIME_WAIT windows. */
    public SnapshotWriter writeWindows(List<TimeWaitWindow> windows) {
        writeInt(windows.size());
        for (TimeWaitWindow w : windows) {
            writeEnum(w.side()).writeLong(w.fromNanos()).writeLong(w.untilNanos()).writeEnum(w.endedBy())
                    .writeLong(w.endedAtNanos());
        }
        return this;
    }

    /** Writes a connection's anomalies. */
    public SnapshotWriter writeAnomalies(List<Anomaly> anomalies) {
        writeInt(anomalies.size());
        for (Anomaly a : anomalies) {
            writeEnum(a.kind()).writeLong(a.frame()).writeLong(a.atNanos()).writeString(a.detail());
        }
        return this;
    }

    /** Writes a reuse, or null. */
    public SnapshotWriter writeReuse(Reuse r) {
        writeBoolean(r != null);
        if (r != null) {
            writeLong(r.previousId()).writeEnum(r.inTimeWaitOf()).writeBoolean(r.legal()).writeString(r.reason());
        }
        return this;
    }

    /** Writes a side, or null, as {@link #writeEnum} does. */
    public SnapshotWriter writeSide(Side s) {
        return writeEnum(s);
    }
}
