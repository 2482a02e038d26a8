package dev.finwait.flink;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * A tree of the core's immutable report records (records, enums, lists, optionals, strings, numbers)
 * as bytes and back, by their record components. The final stage needs whole {@link
 * dev.finwait.model.ConnectionReport}s for the per-service diagnosis; walking the components keeps this
 * form in step with the model as fields are added (a hand-written codec would silently drop them).
 * The bytes are for one job's run: a changed model changes them, and they are not kept in savepoints
 * across versions (the codec that carries them has its own version). Each type's form is worked out
 * once ({@link Node}), so that a report costs no reflective look-ups (they made the final task the
 * job's slowest: about a third of its time went to {@code Class.isRecord} and access checks).
 */
final class RecordBytes {
    /** How one (generic) type is written and read. */
    private interface Node {
        void write(Object v, DataOutput out) throws Throwable;

        Object read(DataInput in) throws Throwable;
    }

    private static final ConcurrentHashMap<Type, Node> NODES = new ConcurrentHashMap<>();

    private RecordBytes() {
    }

    /** Flink's unsynchronised in-memory views (java.io's byte streams lock on every call). */
    static byte[] write(Record r) {
        DataOutputSerializer out = new DataOutputSerializer(512);
        try {
            node(r.getClass()).write(r, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Throwable e) {
            throw new IllegalStateException("cannot write a " + r.getClass().getName(), e);
        }
        return out.getCopyOfBuffer();
    }

    static <T extends Record> T read(byte[] bytes, Class<T> type) {
        try {
            return type.cast(node(type).read(new DataInputDeserializer(bytes)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Throwable e) {
            throw new IllegalStateException("cannot read a " + type.getName(), e);
        }
    }

    private static Node node(Type type) {
        Node n = NODES.get(type);
        if (n == null) {
            n = make(type);
            NODES.putIfAbsent(type, n);
        }
        return n;
    }

    private static Node make(Type type) {
        Class<?> c = type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
        if (c == long.class) {
            return leaf((v, out) -> out.writeLong((Long) v), DataInput::readLong);
        } else if (c == int.class) {
            return leaf((v, out) -> out.writeInt((Integer) v), DataInput::readInt);
        } else if (c == boolean.class) {
            return leaf((v, out) -> out.writeBoolean((Boolean) v), DataInput::readBoolean);
        } else if (c == double.class) {
            return leaf((v, out) -> out.writeDouble((Double) v), DataInput::readDouble);
        } else if (c == short.class) {
            return leaf((v, out) -> out.writeShort((Short) v), DataInput::readShort);
        } else if (c == byte.class) {
            return leaf((v, out) -> out.writeByte((Byte) v), DataInput::readByte);
        } else if (c == String.class) {
            return nullable(leaf((v, out) -> out.writeUTF((String) v), in -> in.readUTF()));
        } else if (c.isEnum()) {
            Object[] constants = c.getEnumConstants();
            return nullable(leaf((v, out) -> out.writeShort(((Enum<?>) v).ordinal()), in -> constants[in.readShort()]));
        } else if (c == OptionalLong.class) {
            return nullable(leaf((v, out) -> {
                OptionalLong o = (OptionalLong) v;
                out.writeBoolean(o.isPresent());
                if (o.isPresent()) {
                    out.writeLong(o.getAsLong());
                }
            }, in -> in.readBoolean() ? OptionalLong.of(in.readLong()) : OptionalLong.empty()));
        } else if (c == Optional.class) {
            Type e = argument(type);
            return nullable(new Node() {
                @Override
                public void write(Object v, DataOutput out) throws Throwable {
                    Optional<?> o = (Optional<?>) v;
                    out.writeBoolean(o.isPresent());
                    if (o.isPresent()) {
                        node(e).write(o.get(), out);
                    }
                }

                @Override
                public Object read(DataInput in) throws Throwable {
                    return in.readBoolean() ? Optional.of(node(e).read(in)) : Optional.empty();
                }
            });
        } else if (c == List.class) {
            Type e = argument(type);
            return nullable(new Node() {
                @Override
                public void write(Object v, DataOutput out) throws Throwable {
                    List<?> l = (List<?>) v;
                    out.writeInt(l.size());
                    Node n = node(e);
                    for (Object x : l) {
                        n.write(x, out);
                    }
                }

                @Override
                public Object read(DataInput in) throws Throwable {
                    int size = in.readInt();
                    Node n = node(e);
                    List<Object> l = new ArrayList<>(size);
                    for (int i = 0; i < size; i++) {
                        l.add(n.read(in));
                    }
                    return l;
                }
            });
        } else if (c.isRecord()) {
            return nullable(record(c));
        }
        throw new IllegalStateException("cannot write a " + c.getName() + " in a report");
    }

    /** A record: its components in order, through method handles made once. */
    private static Node record(Class<?> c) {
        RecordComponent[] rc = c.getRecordComponents();
        MethodHandle[] get = new MethodHandle[rc.length];
        Type[] types = new Type[rc.length];
        Class<?>[] raw = new Class<?>[rc.length];
        MethodHandle make;
        try {
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            for (int i = 0; i < rc.length; i++) {
                get[i] = lookup.unreflect(rc[i].getAccessor()).asType(MethodType.methodType(Object.class, Object.class));
                types[i] = rc[i].getGenericType();
                raw[i] = rc[i].getType();
            }
            make = lookup.findConstructor(c, MethodType.methodType(void.class, raw))
                    .asSpreader(Object[].class, rc.length);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("no public canonical constructor: " + c.getName(), e);
        }
        return new Node() {
            private Node[] parts;

            private Node[] parts() {
                if (parts == null) {
                    Node[] p = new Node[types.length];
                    for (int i = 0; i < p.length; i++) {
                        p[i] = node(types[i]);
                    }
                    parts = p;
                }
                return parts;
            }

            @Override
            public void write(Object v, DataOutput out) throws Throwable {
                Node[] p = parts();
                for (int i = 0; i < p.length; i++) {
                    p[i].write(get[i].invoke(v), out);
                }
            }

            @Override
            public Object read(DataInput in) throws Throwable {
                Node[] p = parts();
                Object[] args = new Object[p.length];
                for (int i = 0; i < p.length; i++) {
                    args[i] = p[i].read(in);
                }
                return make.invoke(args);
            }
        };
    }

    private interface Writer {
        void write(Object v, DataOutput out) throws IOException;
    }

    private interface Reader {
        Object read(DataInput in) throws IOException;
    }

    private static Node leaf(Writer w, Reader r) {
        return new Node() {
            @Override
            public void write(Object v, DataOutput out) throws IOException {
                w.write(v, out);
            }

            @Override
            public Object read(DataInput in) throws IOException {
                return r.read(in);
            }
        };
    }

    /** A reference that may be null: a presence flag first. */
    private static Node nullable(Node n) {
        return new Node() {
            @Override
            public void write(Object v, DataOutput out) throws Throwable {
                out.writeBoolean(v != null);
                if (v != null) {
                    n.write(v, out);
                }
            }

            @Override
            public Object read(DataInput in) throws Throwable {
                return in.readBoolean() ? n.read(in) : null;
            }
        };
    }

    private static Type argument(Type t) {
        return ((ParameterizedType) t).getActualTypeArguments()[0];
    }
}
