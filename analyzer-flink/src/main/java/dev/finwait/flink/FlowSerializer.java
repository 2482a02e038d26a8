package dev.finwait.flink;

import dev.finwait.flow.Flow;
import dev.finwait.model.AnalyzerConfig;
import java.io.IOException;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.util.InstantiationUtil;

/**
 * A {@link Flow} in keyed state, as the core's versioned snapshot ({@link Flow#snapshot()}). The saved
 * serializer keeps the flow form's version and the analysis settings: state saved by another version
 * of the form, or under other settings (a flow restored under another TIME_WAIT would not continue
 * as it began), is refused when the job starts, not misread.
 */
final class FlowSerializer extends TypeSerializer<Flow> {
    private static final long serialVersionUID = 1L;
    private final AnalyzerConfig config;
    private transient Flow.Context context;

    FlowSerializer(AnalyzerConfig config) {
        this.config = config;
    }

    static TypeInformation<Flow> type(AnalyzerConfig config) {
        return new Info(config);
    }

    private Flow.Context context() {
        if (context == null) {
            context = FlowRelay.context(config);
        }
        return context;
    }

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public TypeSerializer<Flow> duplicate() {
        return new FlowSerializer(config);
    }

    @Override
    public Flow createInstance() {
        return null;
    }

    @Override
    public Flow copy(Flow from) {
        return from == null ? null : Flow.restore(from.snapshot(), context());
    }

    @Override
    public Flow copy(Flow from, Flow reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(Flow flow, DataOutputView out) throws IOException {
        byte[] b = flow.snapshot();
        out.writeInt(b.length);
        out.write(b);
    }

    @Override
    public Flow deserialize(DataInputView in) throws IOException {
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        return Flow.restore(b, context());
    }

    @Override
    public Flow deserialize(Flow reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        int n = in.readInt();
        byte[] b = new byte[n];
        in.readFully(b);
        out.writeInt(n);
        out.write(b);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FlowSerializer s && s.config.equals(config);
    }

    @Override
    public int hashCode() {
        return config.hashCode();
    }

    @Override
    public TypeSerializerSnapshot<Flow> snapshotConfiguration() {
        return new Snapshot(config);
    }

    /** The flow form's version and the settings, saved with the state. */
    public static final class Snapshot implements TypeSerializerSnapshot<Flow> {
        private AnalyzerConfig config;
        private int flowVersion;

        /** For Flink, which reads the rest with {@link #readSnapshot}. */
        public Snapshot() {
        }

        Snapshot(AnalyzerConfig config) {
            this.config = config;
            this.flowVersion = Flow.SNAPSHOT_VERSION;
        }

        @Override
        public int getCurrentVersion() {
            return 1;
        }

        @Override
        public void writeSnapshot(DataOutputView out) throws IOException {
            out.writeInt(flowVersion);
            byte[] c = InstantiationUtil.serializeObject(config);
            out.writeInt(c.length);
            out.write(c);
        }

        @Override
        public void readSnapshot(int readVersion, DataInputView in, ClassLoader loader) throws IOException {
            flowVersion = in.readInt();
            byte[] c = new byte[in.readInt()];
            in.readFully(c);
            try {
                config = InstantiationUtil.deserializeObject(c, loader);
            } catch (ClassNotFoundException e) {
                throw new IOException("saved flow state: unreadable analysis settings", e);
            }
        }

        @Override
        public TypeSerializer<Flow> restoreSerializer() {
            return new FlowSerializer(config);
        }

        @Override
        public TypeSerializerSchemaCompatibility<Flow> resolveSchemaCompatibility(TypeSerializerSnapshot<Flow> old) {
            if (old instanceof Snapshot s && s.flowVersion == flowVersion && s.config.equals(config)) {
                return TypeSerializerSchemaCompatibility.compatibleAsIs();
            }
            return TypeSerializerSchemaCompatibility.incompatible();
        }
    }

    private static final class Info extends OpaqueTypeInfo<Flow> {
        private final AnalyzerConfig config;

        Info(AnalyzerConfig config) {
            this.config = config;
        }

        @Override
        public Class<Flow> getTypeClass() {
            return Flow.class;
        }

        @Override
        public boolean isKeyType() {
            return false;
        }

        @Override
        public TypeSerializer<Flow> createSerializer(SerializerConfig c) {
            return new FlowSerializer(config);
        }

        @Override
        public String toString() {
            return "Flow";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Info i && i.config.equals(config);
        }

        @Override
        public int hashCode() {
            return config.hashCode();
        }

        @Override
        public boolean canEqual(Object o) {
            return o instanceof Info;
        }
    }
}
