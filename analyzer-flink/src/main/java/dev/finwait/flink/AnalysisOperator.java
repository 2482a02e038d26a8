package dev.finwait.flink;

import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.TimestampedCollector;
import org.apache.flink.streaming.api.watermark.Watermark;

/**
 * {@link Analysis} as an operator that, in BATCH, finishes the flows still live at the end of the input
 * without timers. BATCH sends no watermark before the last one, so there every timer fired at the end
 * anyway; a timer per key (registered, deduplicated, polled from the queue at the end) was a sixth of
 * an analysis task's time. Here, when the last watermark comes, every key with a flow in state is
 * visited once, before the watermark is passed on: the final task, which works when the watermark
 * reaches it, gets the flows' reports first. STREAMING keeps its timers (deadlines come during the
 * input there).
 */
final class AnalysisOperator extends KeyedProcessOperator<Key, Item, Out> {
    private static final long serialVersionUID = 1L;
    private final boolean streaming;
    private transient TimestampedCollector<Out> out;

    AnalysisOperator(Analysis analysis, boolean streaming) {
        super(analysis);
        this.streaming = streaming;
    }

    @Override
    public void open() throws Exception {
        super.open();
        out = new TimestampedCollector<>(output);
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        if (!streaming && mark.getTimestamp() == Long.MAX_VALUE) {
            List<Key> keys;
            try (Stream<Key> s = this.<Key>getKeyedStateBackend().getKeys(Analysis.FLOW, VoidNamespace.INSTANCE)) {
                keys = s.toList(); // first: finishing clears state, which the stream walks
            }
            out.eraseTimestamp();
            for (Key k : keys) {
                setCurrentKey(k);
                ((Analysis) userFunction).endOfInput(k, out);
            }
        }
        super.processWatermark(mark);
    }
}
