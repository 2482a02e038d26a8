package dev.finwait.flink;

import dev.finwait.flow.FinishedConnection;
import dev.finwait.flow.Flow;
import dev.finwait.model.AnalyzerConfig;
import dev.finwait.model.ConnectionReport;
import dev.finwait.report.ConnectionVerdict;
import dev.finwait.report.format.JsonlWriter;
import dev.finwait.tcp.FlowKey;
import dev.finwait.tcp.Segment;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The analysis of one 4-tuple per key: the core's {@link Flow} in keyed state, fed the key's segments
 * in capture order, with one event-time timer at the flow's next deadline. A finished connection goes
 * out as its JSONL line under a provisional id (its point and first frame: unique, and in capture
 * order); the final stage numbers them as the CLI does. A flow still live when the input ends goes out
 * as its snapshot, to be finished at the capture's last packet time, which only the final stage knows.
 */
final class Analysis extends KeyedProcessFunction<Key, Item, Out> implements FlowRelay.Target {
    private final AnalyzerConfig config;
    private transient ValueState<Flow> flow;
    private transient ValueState<Long> timer;
    private transient Flow.Context context;
    private transient List<FinishedConnection> finished;
    private transient int point;

    Analysis(AnalyzerConfig config) {
        this.config = config;
    }

    @Override
    public void open(OpenContext openContext) {
        flow = getRuntimeContext().getState(new ValueStateDescriptor<>("flow", FlowSerializer.type(config)));
        timer = getRuntimeContext().getState(new ValueStateDescriptor<>("deadline", Types.LONG));
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
        FlowRelay.bind(this);
        point = item.point();
        Segment s = item.segment();
        Flow f = flow.value();
        if (f == null) {
            f = new Flow(s.flowKey(), context);
        }
        f.accept(s, zeekView(s, config), item.capturedPayload());
        emit(out);
        save(f, ctx);
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
        if (ctx.timerService().currentWatermark() == Long.MAX_VALUE) {
            // the end of the input (BATCH: of this key's input): finished at the capture's end, downstream
            out.collect(Out.pending(point, f.snapshot()));
            flow.clear();
            return;
        }
        f.advanceTo(at);
        emit(out);
        save(f, ctx);
    }

    private void save(Flow f, Context ctx) throws Exception {
        Long old = timer.value();
        long next = f.isLive() ? f.nextDeadline() : Long.MAX_VALUE;
        if (old != null && old != next) {
            ctx.timerService().deleteEventTimeTimer(old);
            timer.clear();
        }
        if (!f.isLive()) {
            flow.clear();
            return;
        }
        flow.update(f);
        if (old == null || old != next) {
            ctx.timerService().registerEventTimeTimer(next);
            timer.update(next);
        }
    }

    private void emit(Collector<Out> out) {
        for (FinishedConnection c : finished) {
            out.collect(line(point, ConnectionVerdict.report(c)));
        }
        finished.clear();
    }

    /** A judged connection as its JSONL line, under its provisional id. */
    static Out line(int point, ConnectionReport r) {
        ByteArrayOutputStream b = new ByteArrayOutputStream(1024);
        JsonlWriter w = new JsonlWriter(b);
        w.connection(r);
        return Out.finished(point, r.id(), r.firstNanos(), r.firstFrame(), b.toByteArray());
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
