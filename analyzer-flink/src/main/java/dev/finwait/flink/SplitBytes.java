package dev.finwait.flink;

import dev.finwait.model.DecodeProblem;
import dev.finwait.capture.ReaderCheckpoint;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/** The byte forms of a {@link FileSplit} and of the enumerator's state, both versioned. */
final class SplitBytes {
    private SplitBytes() {
    }

    static final int VERSION = 1;

    static void write(FileSplit s, DataOutputStream out) throws IOException {
        out.writeInt(s.point());
        out.writeInt(s.file());
        out.writeUTF(s.path());
        out.writeLong(s.frameBase());
        out.writeBoolean(s.at() != null);
        if (s.at() != null) {
            byte[] at = s.at().toBytes();
            out.writeInt(at.length);
            out.write(at);
        }
        out.writeLong(s.tcpSegments());
        out.writeLong(s.malformed());
        out.writeLong(s.nonTcp());
        Codecs.problems(s.problems(), out);
        out.writeLong(s.lastNanos());
    }

    static FileSplit read(DataInputStream in) throws IOException {
        int point = in.readInt();
        int file = in.readInt();
        String path = in.readUTF();
        long base = in.readLong();
        ReaderCheckpoint at = null;
        if (in.readBoolean()) {
            byte[] b = new byte[in.readInt()];
            in.readFully(b);
            at = ReaderCheckpoint.fromBytes(b);
        }
        long tcp = in.readLong();
        long malformed = in.readLong();
        long nonTcp = in.readLong();
        Map<DecodeProblem, Long> problems = Codecs.problems(in);
        return new FileSplit(point, file, path, base, at, tcp, malformed, nonTcp, problems, in.readLong());
    }

    static final class Splits implements SimpleVersionedSerializer<FileSplit> {
        @Override
        public int getVersion() {
            return VERSION;
        }

        @Override
        public byte[] serialize(FileSplit s) throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(b)) {
                write(s, out);
            }
            return b.toByteArray();
        }

        @Override
        public FileSplit deserialize(int version, byte[] bytes) throws IOException {
            if (version != VERSION) {
                throw new IOException("capture split version " + version + " is not supported (this job reads " + VERSION + ")");
            }
            return read(new DataInputStream(new ByteArrayInputStream(bytes)));
        }
    }

    static final class States implements SimpleVersionedSerializer<EnumState> {
        @Override
        public int getVersion() {
            return VERSION;
        }

        @Override
        public byte[] serialize(EnumState s) throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(b)) {
                out.writeInt(s.next().length);
                for (int p = 0; p < s.next().length; p++) {
                    out.writeInt(s.next()[p]);
                    out.writeLong(s.base()[p]);
                    out.writeBoolean(s.stopped()[p]);
                }
                out.writeInt(s.returned().size());
                for (FileSplit f : s.returned()) {
                    write(f, out);
                }
            }
            return b.toByteArray();
        }

        @Override
        public EnumState deserialize(int version, byte[] bytes) throws IOException {
            if (version != VERSION) {
                throw new IOException("capture enumerator version " + version + " is not supported (this job reads " + VERSION + ")");
            }
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
            int points = in.readInt();
            int[] next = new int[points];
            long[] base = new long[points];
            boolean[] stopped = new boolean[points];
            for (int p = 0; p < points; p++) {
                next[p] = in.readInt();
                base[p] = in.readLong();
                stopped[p] = in.readBoolean();
            }
            int n = in.readInt();
            List<FileSplit> returned = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                returned.add(read(in));
            }
            return new EnumState(next, base, stopped, returned);
        }
    }
}
