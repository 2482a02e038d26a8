package dev.finwait.capture.live;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.pcap4j.core.PcapHandle;

/**
 * Takes packets out of libpcap a batch at a time. One {@code pcap_dispatch} call per batch hands each
 * packet to libpcap's own {@code pcap_dump}, which writes it as a pcap record into a memory buffer
 * ({@code fmemopen}); one copy then brings the whole batch into the Java heap. pcap4j's
 * {@code dispatch} calls back into Java through JNA for every packet instead: measured on the
 * benchmark machine (1 M frames from bench/blast.c on lo, capture thread CPU), 590-720 ns per frame
 * that way against 260-410 ns this way, and a few objects per frame fewer for the collector
 * (BENCHMARKS.md, "Live: drops against tcpdump").
 *
 * <p>Linux with a 64-bit JVM only (fmemopen, {@code size_t} as a Java long), and it needs the
 * {@code pcap_t} behind pcap4j's handle: {@link #open} returns null when any of that is missing, and
 * the capture goes on through pcap4j's callback. Not thread-safe: the capture thread reads, and
 * {@link #close} must not run during a {@link #read} (LiveCapture holds a lock around both).
 */
final class PcapBatches implements AutoCloseable {
    /** Room for one batch: {@code records} frames of at most a snapshot length each, with their headers. */
    private static final int BUFFER_BYTES = 16 << 20;
    private static final int MAX_RECORDS = 1024;
    private static final int FILE_HEADER = 24;
    private static final int RECORD_HEADER = 16;
    private static final int NANO_MAGIC = 0xa1b23c4d;
    private static final int SEEK_SET = 0;
    private static final int IONBF = 2; // glibc's and musl's _IONBF

    private final long pcap;
    private final long buffer; // Native.malloc'd, BUFFER_BYTES
    private final ByteBuffer view;
    private final long file;
    private final long memDumper;
    private final long dumpFunction;
    private final long fileDumper; // --write: libpcap's own dump file, 0 if none
    private final int records;
    private final boolean nanos;
    private boolean closed;

    private PcapBatches(long pcap, long buffer, long file, long memDumper, long dumpFunction, long fileDumper,
                        int records, boolean nanos) {
        this.pcap = pcap;
        this.buffer = buffer;
        this.view = new Pointer(buffer).getByteBuffer(0, BUFFER_BYTES);
        this.file = file;
        this.memDumper = memDumper;
        this.dumpFunction = dumpFunction;
        this.fileDumper = fileDumper;
        this.records = records;
        this.nanos = nanos;
    }

    /**
     * Sets up batch reads on an activated handle, and the {@code --write} file if {@code writeTo} is
     * not null. {@return null if this platform or pcap4j does not allow it (the caller then keeps
     * pcap4j's callback)}; a {@code --write} file that cannot be created is a {@link LiveCaptureException}.
     */
    static PcapBatches open(PcapHandle handle, int snaplen, Path writeTo) {
        if (!Platform.isLinux() || Native.POINTER_SIZE != 8 || !Natives.LOADED) {
            return null;
        }
        long pcap = pcapOf(handle);
        if (pcap == 0) {
            return null;
        }
        int records = (int) Math.max(1, Math.min(MAX_RECORDS, (BUFFER_BYTES - FILE_HEADER) / (RECORD_HEADER + (long) Math.max(1, snaplen))));
        long buffer = Native.malloc(BUFFER_BYTES);
        if (buffer == 0) {
            return null;
        }
        long file = Natives.fmemopen(buffer, BUFFER_BYTES, "wb");
        if (file == 0) {
            Native.free(buffer);
            return null;
        }
        Natives.setvbuf(file, 0, IONBF, 0);
        long memDumper = Natives.pcap_dump_fopen(pcap, file); // writes the file header: its magic gives the precision
        if (memDumper == 0) {
            Natives.fclose(file);
            Native.free(buffer);
            return null;
        }
        Natives.fflush(file);
        boolean nanos = new Pointer(buffer).getInt(0) == NANO_MAGIC;
        Natives.fseek(file, 0, SEEK_SET);
        long dumpFunction = Pointer.nativeValue(Natives.PCAP.getFunction("pcap_dump"));
        long fileDumper = 0;
        if (writeTo != null) {
            fileDumper = Natives.pcap_dump_open(pcap, writeTo.toString());
            if (fileDumper == 0) {
                String reason = Natives.pcap_geterr(pcap);
                Natives.pcap_dump_close(memDumper);
                Native.free(buffer);
                throw new LiveCaptureException(LiveCaptureException.Kind.OTHER, "cannot write " + writeTo + ": " + reason);
            }
        }
        return new PcapBatches(pcap, buffer, file, memDumper, dumpFunction, fileDumper, records, nanos);
    }

    /** The {@code pcap_t *} behind pcap4j's handle (a private field of pcap4j 1.8), 0 if it cannot be had. */
    private static long pcapOf(PcapHandle handle) {
        try {
            Field f = PcapHandle.class.getDeclaredField("handle");
            f.setAccessible(true);
            return f.get(handle) instanceof Pointer p ? Pointer.nativeValue(p) : 0;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return 0;
        }
    }

    /** One batch: {@code count} pcap records in {@code data[0, length)}, timestamps in ns or us. */
    record Batch(int count, byte[] data, int length, boolean nanos) {
    }

    /** {@return the most frames one read takes} */
    int records() {
        return records;
    }

    /** Result of {@link #read} when {@code pcap_breakloop} ended it. */
    static final int BROKEN = -2;

    /**
     * Reads at most {@code max} frames (at most a batch) from libpcap, as {@code pcap_dispatch} does:
     * {@return the batch, or one with a count of 0 (nothing there now) or {@link #BROKEN}}; libpcap's
     * error (-1) is an {@link IllegalStateException} with libpcap's message.
     */
    Batch read(int max) {
        if (closed) {
            return new Batch(BROKEN, null, 0, nanos);
        }
        int n = Natives.pcap_dispatch(pcap, max <= 0 ? records : Math.min(max, records), dumpFunction, memDumper);
        if (n == -1) {
            throw new IllegalStateException(Natives.pcap_geterr(pcap));
        }
        if (n <= 0) {
            return new Batch(n, null, 0, nanos);
        }
        Natives.fflush(file);
        int length = (int) Natives.ftell(file);
        Natives.fseek(file, 0, SEEK_SET);
        byte[] data = new byte[length];
        view.get(0, data, 0, length);
        if (fileDumper != 0) {
            Natives.fwrite(buffer, 1, length, Natives.pcap_dump_file(fileDumper));
        }
        return new Batch(n, data, length, nanos);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (fileDumper != 0) {
            Natives.pcap_dump_flush(fileDumper);
            Natives.pcap_dump_close(fileDumper);
        }
        Natives.pcap_dump_close(memDumper); // closes the fmemopen stream
        Native.free(buffer);
    }

    /** Direct JNA mappings (a plain native call each, no per-call reflection). */
    private static final class Natives {
        static final NativeLibrary PCAP;
        static final boolean LOADED;

        static {
            NativeLibrary pcap = null;
            boolean loaded = false;
            try {
                // the library pcap4j loads (its own property, same default)
                pcap = NativeLibrary.getInstance(System.getProperty("org.pcap4j.core.pcapLibName", "pcap"));
                Native.register(Natives.class, pcap);
                Native.register(LibC.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
                loaded = true;
            } catch (LinkageError | RuntimeException e) {
                loaded = false;
            }
            PCAP = pcap;
            LOADED = loaded;
        }

        static native int pcap_dispatch(long pcap, int count, long callback, long user);

        static native long pcap_dump_fopen(long pcap, long file);

        static native long pcap_dump_open(long pcap, String path);

        static native long pcap_dump_file(long dumper);

        static native int pcap_dump_flush(long dumper);

        static native void pcap_dump_close(long dumper);

        static native String pcap_geterr(long pcap);

        static long fmemopen(long buf, long size, String mode) {
            return LibC.fmemopen(buf, size, mode);
        }

        static void setvbuf(long file, long buf, int mode, long size) {
            LibC.setvbuf(file, buf, mode, size);
        }

        static void fflush(long file) {
            LibC.fflush(file);
        }

        static long ftell(long file) {
            return LibC.ftell(file);
        }

        static void fseek(long file, long offset, int whence) {
            LibC.fseek(file, offset, whence);
        }

        static void fclose(long file) {
            LibC.fclose(file);
        }

        static void fwrite(long ptr, long size, long count, long file) {
            LibC.fwrite(ptr, size, count, file);
        }
    }

    private static final class LibC {
        static native long fmemopen(long buf, long size, String mode);

        static native int setvbuf(long file, long buf, int mode, long size);

        static native int fflush(long file);

        static native long ftell(long file);

        static native int fseek(long file, long offset, int whence);

        static native int fclose(long file);

        static native long fwrite(long ptr, long size, long count, long file);
    }
}
