package dev.finwait.flink;

import dev.finwait.model.DecodeProblem;
import dev.finwait.model.DecodeReason;
import dev.finwait.tcp.Endpoint;
import dev.finwait.tcp.FlowKey;
import dev.finwait.tcp.IpAddress;
import dev.finwait.tcp.Segment;
import dev.finwait.tcp.TcpOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** The byte forms of the job's records (public classes: a saved serializer makes them by name). */
public final class Codecs {
    private Codecs() {
    }

    static final CodecType<Key> KEY = CodecType.key(new KeyCodec());
    static final CodecType<Item> ITEM = CodecType.of(new ItemCodec());
    static final CodecType<Out> OUT = CodecType.of(new OutCodec());

    static void endpoint(Endpoint e, DataOutputView out) throws IOException {
        IpAddress ip = e.ip();
        out.writeBoolean(ip.v6());
        if (ip.v6()) {
            out.writeLong(ip.hi());
        }
        out.writeLong(ip.lo());
        out.writeShort(e.port());
    }

    static Endpoint endpoint(DataInputView in) throws IOException {
        boolean v6 = in.readBoolean();
        long hi = v6 ? in.readLong() : 0;
        long lo = in.readLong();
        return new Endpoint(new IpAddress(hi, lo, v6), in.readUnsignedShort());
    }

    /** Decode problem counts, in a fixed order (by problem) so equal maps give equal bytes. */
    static void problems(Map<DecodeProblem, Long> problems, java.io.DataOutput out) throws IOException {
        out.writeInt(problems.size());
        for (Map.Entry<DecodeProblem, Long> e : new TreeMap<>(problems).entrySet()) {
            out.writeUTF(e.getKey().reason().name());
            out.writeInt(e.getKey().detail());
            out.writeLong(e.getValue());
        }
    }

    /** Decode problem counts as {@link #problems(Map, java.io.DataOutput)} wrote them. */
    static Map<DecodeProblem, Long> problems(java.io.DataInput in) throws IOException {
        int n = in.readInt();
        Map<DecodeProblem, Long> problems = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            problems.put(problem(in.readUTF(), in.readInt()), in.readLong());
        }
        return problems;
    }

    /** A decode problem by its reason's name; a name this version does not know is corrupt state. */
    static DecodeProblem problem(String reason, int detail) throws IOException {
        try {
            return new DecodeProblem(DecodeReason.valueOf(reason), detail);
        } catch (IllegalArgumentException e) {
            throw new IOException("unknown decode problem " + reason + " " + detail);
        }
    }

    /** Nullable strings. */
    static void string(String s, DataOutputView out) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            out.writeUTF(s);
        }
    }

    static String string(DataInputView in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    public static final class KeyCodec implements Codec<Key> {
        @Override
        public void write(Key k, DataOutputView out) throws IOException {
            out.writeInt(k.point());
            if (k.point() >= 0) {
                endpoint(k.flow().low(), out);
                endpoint(k.flow().high(), out);
            }
        }

        @Override
        public Key read(DataInputView in) throws IOException {
            int point = in.readInt();
            if (point < 0) {
                return point == Key.CONTROL.point() ? Key.CONTROL : new Key(point, null);
            }
            return new Key(point, new FlowKey(endpoint(in), endpoint(in)));
        }

        @Override
        public int version() {
            return 1;
        }

        @Override
        public Class<Key> type() {
            return Key.class;
        }
    }

    public static final class SegmentCodec {
        static void write(Segment s, DataOutputView out) throws IOException {
            out.writeLong(s.frame());
            out.writeLong(s.timeNanos());
            endpoint(s.src(), out);
            endpoint(s.dst(), out);
            out.writeShort(s.flags());
            out.writeInt(s.seq());
            out.writeInt(s.ack());
            out.writeInt(s.window());
            out.writeInt(s.payloadLength());
            out.writeByte(s.checksum().ordinal());
            out.writeInt(s.ipLength());
            out.writeInt(s.ipId()); // tells a packet captured twice from a retransmission
            TcpOptions o = s.options();
            out.writeBoolean(o != TcpOptions.NONE);
            if (o != TcpOptions.NONE) {
                out.writeInt(o.mss());
                out.writeInt(o.windowScale());
                out.writeBoolean(o.sackPermitted());
                out.writeLong(o.tsVal());
                out.writeLong(o.tsEcr());
                out.writeBoolean(o.fastOpen());
            }
        }

        static Segment read(DataInputView in) throws IOException {
            long frame = in.readLong();
            long time = in.readLong();
            Endpoint src = endpoint(in);
            Endpoint dst = endpoint(in);
            int flags = in.readUnsignedShort();
            int seq = in.readInt();
            int ack = in.readInt();
            int window = in.readInt();
            int payload = in.readInt();
            Segment.Checksum checksum = Segment.Checksum.values()[in.readUnsignedByte()];
            int ipLength = in.readInt();
            int ipId = in.readInt();
            TcpOptions o = !in.readBoolean() ? TcpOptions.NONE
                    : new TcpOptions(in.readInt(), in.readInt(), in.readBoolean(), in.readLong(), in.readLong(),
                            in.readBoolean());
            return new Segment(frame, time, src, dst, flags, seq, ack, window, payload, o, checksum, ipLength, ipId);
        }
    }

    static void fileDone(FileDone d, DataOutputView out) throws IOException {
        out.writeInt(d.point());
        out.writeInt(d.file());
        out.writeUTF(d.name());
        out.writeLong(d.frames());
        out.writeLong(d.endFrame());
        out.writeLong(d.tcpSegments());
        out.writeLong(d.malformed());
        out.writeLong(d.nonTcp());
        problems(d.problems(), out);
        out.writeLong(d.lastNanos());
        string(d.inputError(), out);
    }

    static FileDone fileDone(DataInputView in) throws IOException {
        int point = in.readInt();
        int file = in.readInt();
        String name = in.readUTF();
        long frames = in.readLong();
        long endFrame = in.readLong();
        long tcp = in.readLong();
        long malformed = in.readLong();
        long nonTcp = in.readLong();
        Map<DecodeProblem, Long> problems = problems(in);
        return new FileDone(point, file, name, frames, endFrame, tcp, malformed, nonTcp, problems, in.readLong(),
                string(in));
    }

    /** Nullable increasing times (clock steps, wake-ups): a count, then differences. */
    static void times(long[] t, DataOutputView out) throws IOException {
        out.writeInt(t == null ? -1 : t.length);
        if (t != null) {
            long last = 0;
            for (long x : t) {
                out.writeLong(x - last);
                last = x;
            }
        }
    }

    static long[] times(DataInputView in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        long[] t = new long[n];
        long last = 0;
        for (int i = 0; i < n; i++) {
            last += in.readLong();
            t[i] = last;
        }
        return t;
    }

    public static final class ItemCodec implements Codec<Item> {
        @Override
        public void write(Item item, DataOutputView out) throws IOException {
            if (item.segment() != null) {
                out.writeByte(0);
                out.writeInt(item.point());
                out.writeInt(item.capturedPayload());
                SegmentCodec.write(item.segment(), out);
            } else if (item.done() != null) {
                out.writeByte(1);
                out.writeInt(item.point());
                fileDone(item.done(), out);
            } else {
                out.writeByte(2);
                out.writeInt(item.point());
                times(item.clock(), out);
            }
        }

        @Override
        public Item read(DataInputView in) throws IOException {
            int kind = in.readUnsignedByte();
            if (kind == 0) {
                int point = in.readInt();
                int captured = in.readInt();
                return Item.segment(point, SegmentCodec.read(in), captured);
            }
            if (kind == 1) {
                int route = in.readInt();
                return Item.done(fileDone(in), route);
            }
            int point = in.readInt();
            return Item.clock(point, times(in));
        }

        @Override
        public int version() {
            return 3; // 2: the clock's steps; 3: a file's totals with their route
        }

        @Override
        public Class<Item> type() {
            return Item.class;
        }
    }

    public static final class OutCodec implements Codec<Out> {
        @Override
        public void write(Out o, DataOutputView out) throws IOException {
            out.writeByte(o.kind().ordinal());
            if (o.kind() == Out.Kind.FILE_DONE) {
                fileDone(o.done(), out);
                return;
            }
            if (o.kind() == Out.Kind.CLOCK) {
                out.writeInt(o.point());
                times(o.longs(), out);
                return;
            }
            out.writeInt(o.point());
            out.writeLong(o.tempId());
            out.writeLong(o.firstNanos());
            out.writeLong(o.firstFrame());
            out.writeLong(o.orderNanos());
            out.writeByte(o.orderPhase());
            out.writeLong(o.orderSeq());
            out.writeInt(o.bytes().length);
            out.write(o.bytes());
            times(o.longs(), out);
            if (o.line() == null) {
                out.writeInt(-1);
            } else {
                byte[] line = o.line().getBytes(StandardCharsets.UTF_8);
                out.writeInt(line.length);
                out.write(line);
            }
        }

        @Override
        public Out read(DataInputView in) throws IOException {
            Out.Kind kind = Out.Kind.values()[in.readUnsignedByte()];
            if (kind == Out.Kind.FILE_DONE) {
                return Out.fileDone(fileDone(in));
            }
            if (kind == Out.Kind.CLOCK) {
                int point = in.readInt();
                return Out.clock(point, times(in));
            }
            int point = in.readInt();
            long tempId = in.readLong();
            long firstNanos = in.readLong();
            long firstFrame = in.readLong();
            long orderNanos = in.readLong();
            int orderPhase = in.readUnsignedByte();
            long orderSeq = in.readLong();
            byte[] bytes = new byte[in.readInt()];
            in.readFully(bytes);
            long[] longs = times(in);
            int n = in.readInt();
            String line = null;
            if (n >= 0) {
                byte[] b = new byte[n];
                in.readFully(b);
                line = new String(b, StandardCharsets.UTF_8);
            }
            return new Out(kind, point, tempId, firstNanos, firstFrame, orderNanos, orderPhase, orderSeq, bytes, null,
                    longs, line);
        }

        @Override
        public int version() {
            // 2: the CLI's order of finishing; a finished connection as its report, not its line
            // 3: BATCH, also its line under the provisional id (written by the analysis task)
            return 3;
        }

        @Override
        public Class<Out> type() {
            return Out.class;
        }
    }
}
