package dev.finwait.flink;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A tree of the core's immutable report records (records, enums, lists, optionals, strings, numbers)
 * as bytes and back, by their record components. The final stage needs whole {@link
 * dev.finwait.model.ConnectionReport}s for the per-service diagnosis; walking the components keeps this
 * form in step with the model as fields are added (a hand-written codec would silently drop them).
 * The bytes are for one job's run: a changed model changes them, and they are not kept in savepoints
 * across versions (the codec that carries them has its own version).
 */
final class RecordBytes {
    private record Shape(RecordComponent[] components, Method[] accessors, Constructor<?> constructor) {
    }

    private static final Map<Class<?>, Shape> SHAPES = new ConcurrentHashMap<>();

    private RecordBytes() {
    }

    static byte[] write(Record r) {
        ByteArrayOutputStream b = new ByteArrayOutputStream(512);
        try (DataOutputStream out = new DataOutputStream(b)) {
            write(r, r.getClass(), out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return b.toByteArray();
    }

    static <T extends Record> T read(byte[] bytes, Class<T> type) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            return type.cast(read(type, in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Shape shape(Class<?> c) {
        return SHAPES.computeIfAbsent(c, k -> {
            RecordComponent[] rc = k.getRecordComponents();
            Method[] get = new Method[rc.length];
            Class<?>[] types = new Class<?>[rc.length];
            for (int i = 0; i < rc.length; i++) {
                get[i] = rc[i].getAccessor();
                types[i] = rc[i].getType();
            }
            try {
                return new Shape(rc, get, k.getDeclaredConstructor(types));
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException("no canonical constructor: " + k.getName(), e);
            }
        });
    }

    private static void write(Object v, Type type, DataOutputStream out) throws IOException {
        Class<?> c = raw(type);
        if (c == long.class) {
            out.writeLong((Long) v);
        } else if (c == int.class) {
            out.writeInt((Integer) v);
        } else if (c == boolean.class) {
            out.writeBoolean((Boolean) v);
        } else if (c == double.class) {
            out.writeDouble((Double) v);
        } else if (c == short.class) {
            out.writeShort((Short) v);
        } else if (c == byte.class) {
            out.writeByte((Byte) v);
        } else if (v == null) {
            out.writeBoolean(false);
        } else {
            out.writeBoolean(true);
            if (c == String.class) {
                out.writeUTF((String) v);
            } else if (c.isEnum()) {
                out.writeShort(((Enum<?>) v).ordinal());
            } else if (c == OptionalLong.class) {
                OptionalLong o = (OptionalLong) v;
                out.writeBoolean(o.isPresent());
                if (o.isPresent()) {
                    out.writeLong(o.getAsLong());
                }
            } else if (c == Optional.class) {
                Optional<?> o = (Optional<?>) v;
                out.writeBoolean(o.isPresent());
                if (o.isPresent()) {
                    write(o.get(), argument(type), out);
                }
            } else if (c == List.class) {
                List<?> l = (List<?>) v;
                out.writeInt(l.size());
                Type e = argument(type);
                for (Object x : l) {
                    write(x, e, out);
                }
            } else if (c.isRecord()) {
                Shape s = shape(c);
                for (int i = 0; i < s.accessors.length; i++) {
                    try {
                        write(s.accessors[i].invoke(v), s.components[i].getGenericType(), out);
                    } catch (ReflectiveOperationException e) {
                        throw new IllegalStateException(e);
                    }
                }
            } else {
                throw new IllegalStateException("cannot write a " + c.getName() + " in a report");
            }
        }
    }

    private static Object read(Type type, DataInputStream in) throws IOException {
        Class<?> c = raw(type);
        if (c == long.class) {
            return in.readLong();
        } else if (c == int.class) {
            return in.readInt();
        } else if (c == boolean.class) {
            return in.readBoolean();
        } else if (c == double.class) {
            return in.readDouble();
        } else if (c == short.class) {
            return in.readShort();
        } else if (c == byte.class) {
            return in.readByte();
        }
        if (!in.readBoolean()) {
            return null;
        }
        if (c == String.class) {
            return in.readUTF();
        } else if (c.isEnum()) {
            return c.getEnumConstants()[in.readShort()];
        } else if (c == OptionalLong.class) {
            return in.readBoolean() ? OptionalLong.of(in.readLong()) : OptionalLong.empty();
        } else if (c == Optional.class) {
            return in.readBoolean() ? Optional.of(read(argument(type), in)) : Optional.empty();
        } else if (c == List.class) {
            int n = in.readInt();
            Type e = argument(type);
            List<Object> l = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                l.add(read(e, in));
            }
            return l;
        } else if (c.isRecord()) {
            Shape s = shape(c);
            Object[] args = new Object[s.components.length];
            for (int i = 0; i < args.length; i++) {
                args[i] = read(s.components[i].getGenericType(), in);
            }
            try {
                return s.constructor.newInstance(args);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("cannot read a " + c.getName() + " in a report");
    }

    private static Class<?> raw(Type t) {
        return t instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) t;
    }

    private static Type argument(Type t) {
        return ((ParameterizedType) t).getActualTypeArguments()[0];
    }
}
