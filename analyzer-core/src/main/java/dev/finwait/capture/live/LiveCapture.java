package dev.finwait.capture.live;

import dev.finwait.capture.Frame;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapDumper;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface;
import org.pcap4j.core.PcapStat;
import org.pcap4j.core.Pcaps;
import org.pcap4j.core.RawPacketListener;

/**
 * Live capture on one interface through libpcap (pcap4j opens and configures the handle). Frames are
 * read a batch per native call ({@link PcapBatches}: libpcap writes the batch into memory, one copy
 * brings it over) where the platform allows; elsewhere with pcap4j's {@code dispatch(RawPacketListener)}
 * — about ten times cheaper per packet than pcap4j's {@code getNextRawPacketEx}, about twice the cost
 * of a batch read — with the timestamp read on the capture thread, where pcap4j 1.x keeps it (a
 * ThreadLocal behind {@code getTimestamp()}).
 */
public final class LiveCapture implements AutoCloseable {
    /** Sleep between reads of a quiet wire: short enough for latency, long enough to cost no CPU. */
    private static final long POLL_MILLIS = 2;
    private final LiveOptions options;
    private final PcapHandle handle;
    private final PcapDumper dumper;
    private final PcapBatches batches; // null: pcap4j's callback
    /** Held around each native read and around close(): libpcap's handle must not be freed under a read. */
    private final Object nativeLock = new Object();
    private final int linkType;
    private volatile boolean stopped;
    private long frames;

    private LiveCapture(LiveOptions options, PcapHandle handle, PcapDumper dumper, PcapBatches batches) {
        this.options = options;
        this.handle = handle;
        this.dumper = dumper;
        this.batches = batches;
        this.linkType = Libpcap.linkTypeOf(handle.getDlt().value());
    }

    /** Opens the interface; every failure is a {@link LiveCaptureException} with a one-line message. */
    public static LiveCapture open(LiveOptions options) {
        return open(options, true);
    }

    /** {@code batchReads} false: pcap4j's per-packet callback even where batch reads work (tests). */
    static LiveCapture open(LiveOptions options, boolean batchReads) {
        String name = options.interfaceName();
        PcapNetworkInterface nif;
        try {
            nif = Pcaps.getDevByName(name);
        } catch (PcapNativeException e) {
            if (Libpcap.isPermissionProblem(e.getMessage())) {
                throw new LiveCaptureException(LiveCaptureException.Kind.PERMISSION, Libpcap.permissionMessage(name));
            }
            throw new LiveCaptureException(LiveCaptureException.Kind.OTHER, "cannot open '" + name + "': " + e.getMessage());
        } catch (LinkageError e) {
            throw new LiveCaptureException(LiveCaptureException.Kind.LIBPCAP_MISSING, Libpcap.MISSING);
        }
        if (nif == null) {
            throw new LiveCaptureException(LiveCaptureException.Kind.NO_SUCH_INTERFACE,
                    "no such interface '" + name + "' (available: " + String.join(", ", Libpcap.interfaceNames()) + ")");
        }
        PcapHandle handle = openHandle(options, PcapHandle.TimestampPrecision.NANO);
        try {
            if (options.filter() != null && !options.filter().isBlank()) {
                try {
                    handle.setFilter(options.filter(), BpfProgram.BpfCompileMode.OPTIMIZE);
                } catch (PcapNativeException e) {
                    throw new LiveCaptureException(LiveCaptureException.Kind.BAD_FILTER,
                            "bad capture filter '" + options.filter() + "': " + Libpcap.reason(e.getMessage()));
                }
            }
            PcapBatches batches = batchReads ? PcapBatches.open(handle, options.snaplen(), options.writeTo()) : null;
            PcapDumper dumper = null;
            if (batches == null && options.writeTo() != null) {
                try {
                    dumper = handle.dumpOpen(options.writeTo().toString());
                } catch (PcapNativeException e) {
                    throw new LiveCaptureException(LiveCaptureException.Kind.OTHER,
                            "cannot write " + options.writeTo() + ": " + e.getMessage());
                }
            }
            return new LiveCapture(options, handle, dumper, batches);
        } catch (NotOpenException e) {
            handle.close();
            throw new LiveCaptureException(LiveCaptureException.Kind.OTHER, "capture on '" + name + "' closed while opening");
        } catch (RuntimeException e) {
            handle.close();
            throw e;
        }
    }

    private static PcapHandle openHandle(LiveOptions o, PcapHandle.TimestampPrecision precision) {
        try {
            return new PcapHandle.Builder(o.interfaceName())
                    .snaplen(o.snaplen())
                    .bufferSize(o.bufferSize())
                    .promiscuousMode(o.promiscuous() ? PcapNetworkInterface.PromiscuousMode.PROMISCUOUS
                            : PcapNetworkInterface.PromiscuousMode.NONPROMISCUOUS)
                    .timeoutMillis((int) Math.max(1, Math.min(Integer.MAX_VALUE, o.readTimeout().toMillis())))
                    .immediateMode(o.immediate())
                    .timestampPrecision(precision)
                    .build();
        } catch (PcapNativeException e) {
            String m = String.valueOf(e.getMessage());
            if (Libpcap.isPermissionProblem(m)) {
                throw new LiveCaptureException(LiveCaptureException.Kind.PERMISSION, Libpcap.permissionMessage(o.interfaceName()));
            }
            if (precision == PcapHandle.TimestampPrecision.NANO && m.toLowerCase(java.util.Locale.ROOT).contains("precision")) {
                return openHandle(o, PcapHandle.TimestampPrecision.MICRO);
            }
            if (m.contains("down")) {
                throw new LiveCaptureException(LiveCaptureException.Kind.INTERFACE_DOWN, "interface '" + o.interfaceName() + "' is down: " + m);
            }
            throw new LiveCaptureException(LiveCaptureException.Kind.OTHER, "cannot open '" + o.interfaceName() + "': " + m);
        } catch (LinkageError e) {
            throw new LiveCaptureException(LiveCaptureException.Kind.LIBPCAP_MISSING, Libpcap.MISSING);
        }
    }

    /** {@return the names of the interfaces libpcap can capture on, as {@code analyze -D} lists them} */
    public static java.util.List<String> interfaceNames() {
        return Libpcap.interfaceNames();
    }

    /** {@return whether frames are read a batch per native call ({@link PcapBatches}), not one callback each} */
    boolean readsBatches() {
        return batches != null;
    }

    /** {@return the capture's LINKTYPE_* value, as the frames carry it} */
    public int linkType() {
        return linkType;
    }

    /** The link type as tcpdump names it, e.g. {@code EN10MB (Ethernet)}: libpcap's name and description. */
    public String linkTypeName() {
        int dlt = handle.getDlt().value();
        try {
            return Pcaps.dataLinkValToName(dlt) + " (" + Pcaps.dataLinkValToDescription(dlt) + ")";
        } catch (PcapNativeException | RuntimeException e) {
            return "DLT " + dlt; // a value this libpcap has no name for
        }
    }

    /** {@return the options the capture was opened with} */
    public LiveOptions options() {
        return options;
    }

    /**
     * Captures on the calling thread until {@code maxFrames} (0 or less: no limit), {@code maxDuration}
     * (null: none) or {@link #stop()}. A quiet wire calls {@link LiveSink#onIdle} about every read timeout.
     */
    public void run(LiveSink sink, long maxFrames, Duration maxDuration) {
        long deadline = maxDuration == null ? Long.MAX_VALUE : System.nanoTime() + maxDuration.toNanos();
        RawPacketListener listener = packet -> {
            Timestamp ts = handle.getTimestamp();
            Integer original = handle.getOriginalLength();
            long nanos = TimeUnit.MILLISECONDS.toNanos(ts.getTime() / 1000 * 1000) + ts.getNanos();
            Frame f = new Frame(++frames, nanos, linkType, packet, 0, packet.length,
                    original == null ? packet.length : original, -1);
            if (dumper != null) {
                try {
                    dumper.dumpRaw(packet, ts);
                } catch (NotOpenException e) {
                    stopped = true;
                }
            }
            sink.onFrame(f);
        };
        long idleEvery = Math.max(1, options.readTimeout().toNanos());
        long lastActivity = System.nanoTime();
        boolean readOpen = false; // frames handed over since the last onReadEnd
        try {
            // Non-blocking reads: on Linux (TPACKET_V3) a blocking read on a quiet wire never times out,
            // and the analysis needs its ticks to expire TIME_WAIT windows by the clock. Measured here,
            // non-blocking reads combined with immediate mode stall after a few packets, so immediate
            // mode keeps blocking reads (and gets ticks only when packets arrive).
            if (!options.immediate()) {
                handle.setBlockingMode(PcapHandle.BlockingMode.NONBLOCKING);
            }
            while (!stopped && (maxFrames <= 0 || frames < maxFrames) && System.nanoTime() < deadline) {
                int budget = maxFrames <= 0 ? -1 : (int) Math.min(Integer.MAX_VALUE, maxFrames - frames);
                int n;
                if (batches != null) {
                    n = readBatch(budget, sink);
                } else {
                    try {
                        n = handle.dispatch(budget, listener);
                    } catch (InterruptedException breakLoop) {
                        // pcap4j 1.8 throws this when libpcap returns -2 after breakLoop() (stop()): not a thread
                        // interrupt, so the flag is left clear (set, it made the hand-over to the analysis drop
                        // the last batch and give up waiting: a stop lost or garbled the report).
                        break;
                    }
                }
                if (n > 0) {
                    // A full batch means more is waiting: the read ends when the ring is empty for now
                    // (QueuedSink still hands over every 512 frames).
                    readOpen = batches != null && n == batches.records();
                    if (!readOpen) {
                        sink.onReadEnd();
                    }
                    lastActivity = System.nanoTime();
                } else if (n == 0) {
                    if (readOpen) {
                        sink.onReadEnd();
                        readOpen = false;
                    }
                    if (System.nanoTime() - lastActivity >= idleEvery) {
                        sink.onIdle(System.currentTimeMillis() * 1_000_000L);
                        lastActivity = System.nanoTime();
                    }
                    Thread.sleep(POLL_MILLIS);
                } else {
                    break; // -2 (breakLoop() from stop()), should a pcap4j return it instead of throwing
                }
            }
            if (readOpen) {
                sink.onReadEnd();
            }
        } catch (PcapNativeException e) {
            throw new LiveCaptureException(Libpcap.isPermissionProblem(e.getMessage())
                    ? LiveCaptureException.Kind.PERMISSION : LiveCaptureException.Kind.INTERFACE_DOWN,
                    "capture on '" + options.interfaceName() + "' failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // a real interrupt of this thread, in the quiet-wire sleep
        } catch (NotOpenException e) {
            // closed by another thread: that is a stop
        }
    }

    /** One batch read: hands its frames to the sink and {@return what pcap_dispatch returned} */
    private int readBatch(int budget, LiveSink sink) throws PcapNativeException {
        PcapBatches.Batch batch;
        synchronized (nativeLock) {
            if (stopped) {
                return -2;
            }
            try {
                batch = batches.read(budget);
            } catch (IllegalStateException e) {
                throw new PcapNativeException(e.getMessage());
            }
        }
        if (batch.count() <= 0) {
            return batch.count();
        }
        // pcap records in the host's byte order: seconds, fraction (ns or us), captured and original length
        ByteBuffer records = ByteBuffer.wrap(batch.data()).order(ByteOrder.nativeOrder());
        long scale = batch.nanos() ? 1 : 1000;
        int at = 0;
        while (at < batch.length()) {
            long nanos = Integer.toUnsignedLong(records.getInt(at)) * 1_000_000_000L + records.getInt(at + 4) * scale;
            int captured = records.getInt(at + 8);
            int original = records.getInt(at + 12);
            if (captured < 0 || captured > batch.length() - at - 16) {
                break; // cannot happen (the buffer has room for a full batch); a cut record is not a frame
            }
            sink.onFrame(new Frame(++frames, nanos, linkType, batch.data(), at + 16, captured, original, -1));
            at += 16 + captured;
        }
        return batch.count();
    }

    /** Makes {@link #run} return soon; safe from any thread (a shutdown hook, a timer). */
    public void stop() {
        stopped = true;
        try {
            handle.breakLoop();
        } catch (NotOpenException e) {
            // already closed
        }
    }

    /** {@return libpcap's counters now; if libpcap cannot give them, the frames seen and no drops} */
    public LiveStats stats() {
        try {
            PcapStat s = handle.getStats();
            return new LiveStats(s.getNumPacketsReceived(), s.getNumPacketsDropped(), s.getNumPacketsDroppedByIf());
        } catch (PcapNativeException | NotOpenException e) {
            return new LiveStats(frames, 0, 0);
        }
    }

    /** Closes the handle and the --write file (flushed, so it stays a valid pcap). */
    @Override
    public void close() {
        stop();
        if (batches != null) {
            synchronized (nativeLock) { // after a read in progress, before the handle goes
                batches.close();
            }
        }
        if (dumper != null && dumper.isOpen()) {
            try {
                dumper.flush();
            } catch (PcapNativeException | NotOpenException e) {
                // closing anyway
            }
            dumper.close();
        }
        handle.close();
    }
}
