package dev.finwait.flink;

import java.util.Objects;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** The type information of a record written by a {@link Codec}: Flink never has to guess a serializer. */
final class CodecType<T> extends OpaqueTypeInfo<T> {
    private final Codec<T> codec;
    private final boolean key;

    private CodecType(Codec<T> codec, boolean key) {
        this.codec = codec;
        this.key = key;
    }

    /** A record that travels between operators or sits in state. */
    static <T> CodecType<T> of(Codec<T> codec) {
        return new CodecType<>(codec, false);
    }

    /** A key: its class must have a value-based equals and hashCode (a record of such fields). */
    static <T> CodecType<T> key(Codec<T> codec) {
        return new CodecType<>(codec, true);
    }

    @Override
    public Class<T> getTypeClass() {
        return codec.type();
    }

    @Override
    public boolean isKeyType() {
        return key;
    }

    @Override
    public TypeSerializer<T> createSerializer(SerializerConfig config) {
        return new CodecSerializer<>(codec);
    }

    @Override
    public String toString() {
        return codec.type().getSimpleName();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CodecType<?> t && t.codec.getClass() == codec.getClass() && t.key == key;
    }

    @Override
    public int hashCode() {
        return Objects.hash(codec.getClass(), key);
    }

    @Override
    public boolean canEqual(Object o) {
        return o instanceof CodecType;
    }
}
