package dev.finwait.flink;

import dev.finwait.flow.FinishedConnection;
import dev.finwait.flow.Flow;
import dev.finwait.model.AnalyzerConfig;
import dev.finwait.tcp.FlowKey;

/**
 * Where a flow's new ids and finished connections go. A {@link Flow} keeps its {@link Flow.Context};
 * a flow read back from state by {@link FlowSerializer} has no operator to know of, so every flow of a
 * task thread shares one context whose ids and sink are those of the operator running on that thread
 * (state is only touched on the task's own thread).
 */
final class FlowRelay {
    interface Target {
        long id(FlowKey key, long firstNanos, long firstFrame);

        void finished(FinishedConnection c);
    }

    private static final ThreadLocal<Target> CURRENT = new ThreadLocal<>();

    private FlowRelay() {
    }

    static void bind(Target t) {
        CURRENT.set(t);
    }

    static void unbind() {
        CURRENT.remove();
    }

    static Flow.Context context(AnalyzerConfig config) {
        return new Flow.Context(config, (key, firstNanos, firstFrame) -> target().id(key, firstNanos, firstFrame),
                null, c -> target().finished(c));
    }

    private static Target target() {
        Target t = CURRENT.get();
        if (t == null) {
            throw new IllegalStateException("a flow was used outside the analysis operator's thread");
        }
        return t;
    }
}
