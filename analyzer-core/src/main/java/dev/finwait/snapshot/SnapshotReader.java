package dev.finwait.snapshot;

import dev.finwait.model.Anomaly;
import dev.finwait.model.AnomalyKind;
import dev.finwait.model.ReceiveWindow;
import dev.finwait.model.Reset;
import dev.finwait.model.ResetCause;
import dev.finwait.model.Reuse;
import dev.finwait.model.Side;
import dev.finwait.model.TcpState;
import dev.finwait.model.TimeWaitEnd;
import dev.finwait.model.TimeWaitWindow;
import dev.finwait.tcp.Endpoint;
import dev.finwait.tcp.FlowKey;
import dev.finwait.tcp.IpAddress;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Reads what a {@link SnapshotWriter} wrote, in the same order; cut or corrupt bytes are a {@link SnapshotFormatException}. */
public final class SnapshotReader {
    /** No list in a connection's state is longer (anomalies are capped at 64, resets and windows few). */
    private static final int MAX_LIST = 1 << 16;
    private final DataInputStream in;
    private final int length;

    /** Reads {@code bytes} from the start; the array is not copied, so do not change it while reading. */
    public SnapshotReader(byte[] bytes) {
        this.in = new DataInputStream(new ByteArrayInputStream(bytes));
        this.length = bytes.length;
    }

    private SnapshotFormatException cut(IOException e) {
        return new SnapshotFormatException(e instanceof EOFException
                ? "snapshot cut short (" + length + " bytes)" : "unreadable snapshot: " + e.getMessage());
    }

    /** {@return the next 8 bytes as a long} */
    public long readLong() {
        try {
            return in.readLong();
        } catch (IOException e) {
            throw cut(e);
        }
    }

    /** {@return the next 4 bytes as an int} */
    public int readInt() {
        try {
            return in.readInt();
        } catch (IOException e) {
            throw cut(e);
        }
    }

    /** {@return the next byte, 0 to 255} */
    public int readByte() {
        try {
            return in.readUnsignedByte();
        } catch (IOException e) {
            throw cut(e);
        }
    }

    /** {@return the next byte as a boolean; anything but 0 or 1 is corrupt} */
    public boolean readBoolean() {
        int b = readByte();
        if (b > 1) {
            throw new SnapshotFormatException("corrupt snapshot: " + b + " where a boolean (0 or 1) belongs");
        }
        return b == 1;
    }

    /** {@return the next string} */
    public String readString() {
        try {
            return in.readUTF();
        } catch (IOException e) {
            throw cut(e);
        }
    }

    /** An enum constant written by {@link SnapshotWriter#writeEnum}, or null. */
    public <E extends Enum<E>> E readEnum(Class<E> type) {
        int b = readByte();
        if (b == 0) {
            return null;
        }
        E[] all = type.getEnumConstants();
        if (b > all.length) {
            throw new SnapshotFormatException("corrupt snapshot: " + type.getSimpleName() + " number " + (b - 1)
                    + " does not exist (0 to " + (all.length - 1) + ")");
        }
        return all[b - 1];
    }

    /** {@return an enum constant written by {@link SnapshotWriter#writeEnum}; null is corrupt here} */
    public <E extends Enum<E>> E readRequiredEnum(Class<E> type) {
        E e = readEnum(type);
        if (e == null) {
            throw new SnapshotFormatException("corrupt snapshot: a " + type.getSimpleName() + " is missing");
        }
        return e;
    }

    private int readCount() {
        int n = readInt();
        if (n < 0 || n > MAX_LIST) {
            throw new SnapshotFormatException("corrupt snapshot: list of " + n + " entries (0 to " + MAX_LIST + ")");
        }
        return n;
    }

    /** Longs written by {@link SnapshotWriter#writeLongs}, in an array of at least {@code minLength}. */
    public long[] readLongs(int minLength) {
        int n = readCount();
        long[] values = new long[Math.max(n, minLength)];
        for (int i = 0; i < n; i++) {
            values[i] = readLong();
        }
        return values;
    }

    /** How many longs the last {@link #readLongs} call would read; read before it. */
    public int peekCount() {
        in.mark(4);
        int n = readCount();
        try {
            in.reset();
        } catch (IOException e) {
            throw cut(e);
        }
        return n;
    }

    /** {@return an endpoint written by {@link SnapshotWriter#writeEndpoint}, or null} */
    public Endpoint readEndpoint() {
        if (!readBoolean()) {
            return null;
        }
        long hi = readLong();
        long lo = readLong();
        boolean v6 = readBoolean();
        int port = readInt();
        if (port < 0 || port > 65535) {
            throw new SnapshotFormatException("corrupt snapshot: port " + port + " (0 to 65535)");
        }
        return new Endpoint(new IpAddress(hi, lo, v6), port);
    }

    /** {@return a 4-tuple written by {@link SnapshotWriter#writeKey}} */
    public FlowKey readKey() {
        Endpoint low = readEndpoint();
        Endpoint high = readEndpoint();
        if (low == null || high == null) {
            throw new SnapshotFormatException("corrupt snapshot: a 4-tuple without both endpoints");
        }
        try {
            return new FlowKey(low, high);
        } catch (IllegalArgumentException e) {
            throw new SnapshotFormatException("corrupt snapshot: " + e.getMessage());
        }
    }

    /** {@return the resets written by {@link SnapshotWriter#writeResets}} */
    public List<Reset> readResets() {
        int n = readCount();
        List<Reset> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Side by = readRequiredEnum(Side.class);
            long at = readLong();
            long frame = readLong();
            TcpState state = readRequiredEnum(TcpState.class);
            boolean withAck = readBoolean();
            boolean acceptable = readBoolean();
            ResetCause cause = readRequiredEnum(ResetCause.class);
            ReceiveWindow window = null;
            if (readBoolean()) {
                long last = readLong();
                long max = readLong();
                if (last < 0 || max < last) {
                    throw new SnapshotFormatException("corrupt snapshot: RST sender window " + last + " of " + max);
                }
                window = new ReceiveWindow(last, max);
            }
            out.add(new Reset(by, at, frame, state, withAck, acceptable, cause, window));
        }
        return out;
    }

    /** {@return the windows written by {@link SnapshotWriter#writeWindows}} */
    public List<TimeWaitWindow> readWindows() {
        int n = readCount();
        List<TimeWaitWindow> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new TimeWaitWindow(readRequiredEnum(Side.class), readLong(), readLong(),
                    readRequiredEnum(TimeWaitEnd.class), readLong()));
        }
        return out;
    }

    /** {@return the anomalies written by {@link SnapshotWriter#writeAnomalies}} */
    public List<Anomaly> readAnomalies() {
        int n = readCount();
        List<Anomaly> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new Anomaly(readRequiredEnum(AnomalyKind.class), readLong(), readLong(), readString()));
        }
        return out;
    }

    /** {@return a reuse written by {@link SnapshotWriter#writeReuse}, or null} */
    public Reuse readReuse() {
        if (!readBoolean()) {
            return null;
        }
        return new Reuse(readLong(), readEnum(Side.class), readBoolean(), readString());
    }

    /** {@return a side written by {@link SnapshotWriter#writeSide}, or null} */
    public Side readSide() {
        return readEnum(Side.class);
    }

    /** Every byte was read: trailing bytes mean the snapshot is not what its version says. */
    public void expectEnd() {
        try {
            if (in.available() > 0) {
                throw new SnapshotFormatException("corrupt snapshot: " + in.available() + " bytes after its end");
            }
        } catch (IOException e) {
            throw cut(e);
        }
    }
}
