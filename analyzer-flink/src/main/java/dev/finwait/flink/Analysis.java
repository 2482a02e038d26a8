package dev.finwait.flink;

import dev.finwait.flow.FinishedConnection;
import dev.finwait.flow.Flow;
import dev.finwait.model.AnalyzerConfig;
import dev.finwait.model.ConnectionReport;
import dev.finwait.report.ConnectionVerdict;
import dev.finwait.tcp.FlowKey;
import dev.finwait.tcp.Segment;
import java.util.ArrayList;
import java.util.List;
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
 * for the end of the input. A flow still live when the input ends goes out as its snapshot, to be
 * finished at the capture's last packet time, which only the final stage knows.
 */
final class Analysis extends KeyedProcessFunction<Key, Item, Out> implements FlowRelay.Target {
    /** STREAMING: each connection's line as soon as it finished. */
    static final OutputTag<String> LINES = new OutputTag<>("connection-lines", Types.STRING);
    private final AnalyzerConfig config;
    private final boolean streaming;
    private transient ValueState<Flow> flow;
    private transient ValueState<Long> timer;
    private transient ValueState<long[]> wakeUps;
    private transient Flow.Context context;
    private transient List<FinishedConnection> finished;
    private transient int point;

    Analysis(AnalyzerConfig config, boolean streaming) {
        this.config = config;
        this.streaming = streaming;
    }

    @Override
    public void open(OpenContext openContext) {
        flow = getRuntimeContext().getState(new ValueStateDescriptor<>("flow", FlowSerializer.type(config)));
        timer = getRuntimeContext().getState(new ValueStateDescriptor<>("deadline", Types.LONG));
        wakeUps = getRuntimeContext().getState(new ValueStateDescriptor<>("wake-ups",
                PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
        context = FlowRelay.context(config);
        finished = new ArrayList<>();
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
        if (item.done() != null) {
            out.collect(Out.fileDone(item.done()));
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
        WakeUps w = WakeUps.of(config, wakeUps.value());
        if (f == null) {
            f = new Flow(s.flowKey(), context);
        }
        // deadlines passed by now first, as the CLI's table wakes them before it hands on the packet
        emit(Out.WOKEN, 0, w.wakeUntil(f, t), out, ctx);
        f.advanceTo(t);
        emit(Out.WOKEN, 0, w.wakeUps(), out, ctx);
        boolean opened = f.accept(s, zeekView(s, config), item.capturedPayload());
        emit(Out.AT_PACKET, s.frame(), null, out, ctx);
        w.accepted(f, t, opened);
        save(f, w, ctx);
    }

    @Override
    public void onTimer(long at, OnTimerContext ctx, Collector<Out> out) throws Exception {
        FlowRelay.bind(this);
        point = ctx.getCurrentKey().point();
        timer.clear();
        Flow f = flow.value();
        if (f == null) {
            return;
        }
        WakeUps w = WakeUps.of(config, wakeUps.value());
        if (ctx.timerService().currentWatermark() == Long.MAX_VALUE) {
            // the end of the input (BATCH: of this key's input): finished at the capture's end, downstream
            out.collect(Out.pending(point, f.snapshot(), w.state()));
            flow.clear();
            wakeUps.clear();
            return;
        }
        emit(Out.WOKEN, 0, w.wakeUntil(f, at), out, ctx);
        f.advanceTo(at);
        emit(Out.WOKEN, 0, w.wakeUps(), out, ctx);
        save(f, w, ctx);
    }

    private void save(Flow f, WakeUps w, Context ctx) throws Exception {
        Long old = timer.value();
        long next = f.isLive() ? f.nextDeadline() : Long.MAX_VALUE;
        if (old != null && old != next) {
            ctx.timerService().deleteEventTimeTimer(old);
            timer.clear();
        }
        if (!f.isLive()) {
            flow.clear();
            wakeUps.clear();
            return;
        }
        flow.update(f);
        wakeUps.update(w.state());
        if (old == null || old != next) {
            ctx.timerService().registerEventTimeTimer(next);
            timer.update(next);
        }
    }

    /**
     * The connections finished since the last call, judged; {@code frame}: the packet that finished
     * them; {@code wokenAt}: the table's wake-ups of the one finished at a deadline.
     */
    private void emit(int phase, long frame, long[] wokenAt, Collector<Out> out, Context ctx) {
        for (FinishedConnection c : finished) {
            ConnectionReport r = ConnectionVerdict.report(c);
            out.collect(finished(point, r, phase, phase == Out.AT_PACKET ? frame : r.id(), wokenAt));
            if (streaming) {
                ctx.output(LINES, Lines.withUids(r));
            }
        }
        finished.clear();
    }

    /** A judged connection for the final stage, under its provisional id, with the CLI's order of finishing. */
    static Out finished(int point, ConnectionReport r, int phase, long seq, long[] wokenAt) {
        return Out.finished(point, r.id(), r.firstNanos(), r.firstFrame(), r.finishedNanos(), phase, seq,
                RecordBytes.write(r), wokenAt);
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
