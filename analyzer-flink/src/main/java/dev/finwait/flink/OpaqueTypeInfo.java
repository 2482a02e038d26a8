package dev.finwait.flink;

import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * Type information for a value Flink must treat as one opaque field with a serializer of ours (never
 * Kryo, never a POJO analysis): the answers every such type gives alike.
 */
abstract class OpaqueTypeInfo<T> extends TypeInformation<T> {
    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }
}
