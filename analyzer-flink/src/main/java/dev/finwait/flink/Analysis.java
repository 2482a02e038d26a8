package dev.finwait.flink;

import dev.finwait.flow.FinishedConnection;
import dev.finwait.flow.Flow;
import dev.finwait.model.AnalyzerConfig;
import dev.finwait.model.ConnectionReport;
import dev.finwait.report.ConnectionVerdict;
import dev.finwait.tcp.FlowKey;
import dev.finwait.tcp.Segment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The analysis of one 4-tuple per key: the core's {@link Flow} in keyed state, fed the key's segments
 * in capture order, with one event-time timer at the flow's next deadline. A finished connection goes
 * to the final stage as its report under a provisional id (its point and first frame: unique, and in
 * capture order), which numbers them as the CLI does and feeds the diagnosis. In STREAMING its JSONL
 * line also goes out at once (side output {@link #LINES}), under its Zeek-style uid: nothing waits
 * for the end of the input. A flow still live when the input ends is finished here at the capture's
 * last packet time: every task gets a copy of every file's totals ({@link FileDone}: the source
 * sends one under a key of each task, in the same channels as the packets, so they come before the
 * end), and so knows the capture's end. Should a file's totals be missing then (a file ended by an
 * input error leaves the rest of its point unread; a job restored from a checkpoint has lost the
 * copies read before it), the flow goes out as its snapshot instead, and the final stage finishes it:
 * it has every file's totals.
 */
final class Analysis extends KeyedProcessFunction<Key, Item, Out> implements FlowRelay.Target {
    /** STREAMING: each connection's line as soon as it finished. */
    static final OutputTag<String> LINES = new OutputTag<>("connection-lines", Types.STRING);
    /** The name of the flow's state (BATCH's end of input visits the keys that have one: {@link AnalysisOperator}). */
    static final String FLOW = "flow";
    private final AnalyzerConfig config;
    private final boolean streaming;
    /** How many files the input has, all points together. */
    private final int files;
    private transient ValueState<Flow> flow;
    /** The key's timer and the table's wake-ups ({@link WakeUps}): one state for both, changed in place. */
    private transient ValueState<long[]> schedule;
    private transient long firstWakeUp;
    private transient Flow.Context context;
    private transient List<FinishedConnection> finished;
    private transient int point;
    /** The latest packet time of each file read so far (key: point << 32 | file), from its {@link FileDone}. */
    private transient Map<Long, Long> filesRead;

    Analysis(AnalyzerConfig config, boolean streaming, int files) {
        this.config = config;
        this.streaming = streaming;
        this.files = files;
    }

    @Override
    public void open(OpenContext openContext) {
        flow = getRuntimeContext().getState(new ValueStateDescriptor<>(FLOW, FlowSerializer.type(config)));
        schedule = getRuntimeContext().getState(new ValueStateDescriptor<>("schedule",
                PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
        firstWakeUp = WakeUps.firstWakeUp(config);
        context = FlowRelay.context(config);
        finished = new ArrayList<>();
        filesRead = new HashMap<>();
        FlowRelay.bind(this);
    }

    @Override
    public void close() {
        FlowRelay.unbind();
    }

    /** Provisional id: the point and the global number of the connection's first frame. */
    static long tempId(int point, long firstFrame) {
        return ((long) point << 44) | firstFrame;
    }

    @Override
    public long id(FlowKey key, long firstNanos, long firstFrame) {
        return tempId(point, firstFrame);
    }

    @Override
    public void finished(FinishedConnection c) {
        finished.add(c);
    }

    @Override
    public void processElement(Item item, Context ctx, Collector<Out> out) throws Exception {
        FileDone d = item.done();
        if (d != null) {
            // one copy per task: each keeps the file's end; the final stage keeps one copy of each file
            filesRead.put(((long) d.point() << 32) | d.file(), d.lastNanos());
            out.collect(Out.fileDone(d));
            return;
        }
        if (item.clock() != null) {
            out.collect(Out.clock(item.point(), item.clock()));
            return;
        }
        FlowRelay.bind(this);
        point = item.point();
        Segment s = item.segment();
        long t = s.timeNanos();
        Flow f = flow.value();
        WakeUps w = WakeUps.of(firstWakeUp, schedule.value());
        if (f == null) {
            f = new Flow(s.flowKey(), context);
        }
        // deadlines passed by now first, as the CLI's table wakes them before it hands on the packet
        emit(Out.WOKEN, 0, w.wakeUntil(f, t), out, ctx);
        f.advanceTo(t);
        emit(Out.WOKEN, 0, w, out, ctx);
        boolean opened = f.accept(s, zeekView(s, config), item.capturedPayload());
        emit(Out.AT_PACKET, s.frame(), (long[]) null, out, ctx);
        w.accepted(f, t, opened);
        save(f, w, ctx);
    }

    @Override
    public void onTimer(long at, OnTimerContext ctx, Collector<Out> out) throws Exception {
        FlowRelay.bind(this);
        point = ctx.getCurrentKey().point();
        Flow f = flow.value();
        if (f == null) {
            return;
        }
        WakeUps w = WakeUps.of(firstWakeUp, schedule.value());
        w.timer(Long.MIN_VALUE); // this one fired
        if (ctx.timerService().currentWatermark() == Long.MAX_VALUE) {
            // the end of the input: finished at the capture's end, here if every file's end is known
            endOfInput(f, w, out, ctx);
            return;
        }
        emit(Out.WOKEN, 0, w.wakeUntil(f, at), out, ctx);
        f.advanceTo(at);
        emit(Out.WOKEN, 0, w, out, ctx);
        save(f, w, ctx);
    }

    private static final long UNKNOWN = Long.MAX_VALUE;


    /** The capture's last packet time over all files, or {@link #UNKNOWN} while a file's totals are missing. */
    private long captureEnd() {
        if (filesRead.size() != files) {
            return UNKNOWN;
        }
        long end = Long.MIN_VALUE;
        for (long t : filesRead.values()) {
            end = Math.max(end, t);
        }
        return end;
    }

    /**
     * A flow still live at the end, finished as the core's flow table finishes it: the table wakes the
     * flows whose deadline the capture's clock reached, then finishes the rest at the last packet time.
     */
    private void finishAtEnd(Flow f, WakeUps w, long end, Collector<Out> out, Context ctx) {
        long[] woken = w.wakeUntil(f, end);
        for (int i = 0; i < 1_000 && f.isLive() && f.nextDeadline() <= end; i++) {
            f.advanceTo(end);
        }
        emit(Out.WOKEN, 0, woken != null ? woken : w.wakeUps(), out, ctx);
        f.finishAtEnd(end);
        emit(Out.AT_END, 0, (long[]) null, out, ctx);
    }

    /**
     * Keeps the flow and its schedule, with a timer no later than its next deadline. A timer set for an
     * earlier deadline stays (it fires early, finds nothing due and sets the next one): a packet mostly
     * moves the deadline later (the idle timeout), and moving the timer with every packet cost a delete
     * and an insert in the timer queue each time.
     */
    private void save(Flow f, WakeUps w, Context ctx) throws Exception {
        if (!streaming) {
            saveForBatch(f, w, ctx);
            return;
        }
        long old = w.timer();
        if (!f.isLive()) {
            if (old != Long.MIN_VALUE) {
                ctx.timerService().deleteEventTimeTimer(old);
            }
            flow.clear();
            schedule.clear();
            return;
        }
        long next = f.nextDeadline();
        if (old == Long.MIN_VALUE || next < old) {
            if (old != Long.MIN_VALUE) {
                ctx.timerService().deleteEventTimeTimer(old);
            }
            ctx.timerService().registerEventTimeTimer(next);
            w.timer(next);
        }
        flow.update(f);
        schedule.update(w.state());
    }

    /**
     * BATCH: event time stands still until the input ends (Flink sends no watermark before the last
     * one), so no timers: at the end {@link AnalysisOperator} visits every key with a flow. Moving
     * timers with the deadlines, as STREAMING must, was a fifth of the task's time.
     */
    private void saveForBatch(Flow f, WakeUps w, Context ctx) throws Exception {
        if (!f.isLive()) {
            flow.clear();
            schedule.clear();
            return;
        }
        flow.update(f);
        schedule.update(w.state());
    }

    /**
     * BATCH, at the end of the input, for the current key {@code key} (no timers there:
     * {@link AnalysisOperator} visits every key with a flow): the flow finished at the capture's end.
     */
    void endOfInput(Key key, Collector<Out> out) throws Exception {
        FlowRelay.bind(this);
        point = key.point();
        Flow f = flow.value();
        if (f == null) {
            return;
        }
        endOfInput(f, WakeUps.of(firstWakeUp, schedule.value()), out, null);
    }

    /** The flow of the current key at the end of the input, finished at the capture's end, and its state cleared. */
    private void endOfInput(Flow f, WakeUps w, Collector<Out> out, Context ctx) throws Exception {
        long end = captureEnd();
        if (end == UNKNOWN) {
            out.collect(Out.pending(point, f.snapshot(), w.state()));
        } else {
            finishAtEnd(f, w, end, out, ctx);
        }
        flow.clear();
        schedule.clear();
    }

    /**
     * The connections finished since the last call, judged; {@code frame}: the packet that finished
     * them; {@code wokenAt}: the table's wake-ups of the one finished at a deadline.
     */
    private void emit(int phase, long frame, WakeUps w, Collector<Out> out, Context ctx) {
        if (!finished.isEmpty()) {
            emit(phase, frame, w.wakeUps(), out, ctx);
        }
    }

    private void emit(int phase, long frame, long[] wokenAt, Collector<Out> out, Context ctx) {
        for (FinishedConnection c : finished) {
            ConnectionReport r = ConnectionVerdict.report(c);
            // the line is written here, in parallel: STREAMING's at once under its uid, BATCH's under
            // the provisional id, which the final task replaces (writing every line there was its
            // largest cost)
            String line = Lines.connection(r);
            out.collect(finished(point, r, phase, phase == Out.AT_PACKET ? frame : r.id(), wokenAt,
                    streaming ? null : line));
            if (streaming) {
                ctx.output(LINES, Lines.withUids(line, r));
            }
        }
        finished.clear();
    }

    /** A judged connection for the final stage, under its provisional id, with the CLI's order of finishing. */
    static Out finished(int point, ConnectionReport r, int phase, long seq, long[] wokenAt, String line) {
        return Out.finished(point, r.id(), r.firstNanos(), r.firstFrame(), r.finishedNanos(), phase, seq,
                RecordBytes.write(r), wokenAt, line);
    }

    /** As the core's analyzer does: Zeek drops bad checksums only in its skip mode. */
    static Segment zeekView(Segment s, AnalyzerConfig config) {
        if (s.checksum() != Segment.Checksum.BAD || config.skipBadChecksums()) {
            return s;
        }
        return new Segment(s.frame(), s.timeNanos(), s.src(), s.dst(), s.flags(), s.seq(), s.ack(), s.window(),
                s.payloadLength(), s.options(), Segment.Checksum.UNCHECKED, s.ipLength(), s.ipId());
    }
}
