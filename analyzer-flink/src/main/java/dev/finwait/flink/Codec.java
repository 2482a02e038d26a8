package dev.finwait.flink;

import java.io.IOException;
import java.io.Serializable;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * How one record type of the job is written between operators and into saved state: by hand, field by
 * field, so that no record falls back to Kryo (the prototype spent 60 % of its time there). A codec has
 * a public no-argument constructor: a saved serializer names its codec's class and makes a new one.
 */
public interface Codec<T> extends Serializable {
    void write(T value, DataOutputView out) throws IOException;

    T read(DataInputView in) throws IOException;

    /** Changes whenever the byte form changes: state written with another version is refused. */
    int version();

    Class<T> type();
}
