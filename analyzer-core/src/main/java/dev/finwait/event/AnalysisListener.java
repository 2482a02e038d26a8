package dev.finwait.event;

import java.util.function.Consumer;

/** Receives events as the analysis runs (streaming use, live capture). Called on the analysis thread. */
@FunctionalInterface
public interface AnalysisListener {
    void onEvent(ConnectionEvent event);

    /**
     * Whether this listener looks at events other than {@link ConnectionEvent.Finished}. When it does
     * not, the analyzer skips building them (about a dozen objects per connection); {@code Finished}
     * is always delivered. A lambda listener gets every event.
     */
    default boolean wantsEvents() {
        return true;
    }

    /** Receives nothing. */
    AnalysisListener NONE = finishedOnly(f -> { });

    /** A listener that only wants each connection's {@link ConnectionEvent.Finished}: no other events are built. */
    static AnalysisListener finishedOnly(Consumer<ConnectionEvent.Finished> onFinished) {
        return new AnalysisListener() {
            @Override
            public void onEvent(ConnectionEvent event) {
                if (event instanceof ConnectionEvent.Finished f) {
                    onFinished.accept(f);
                }
            }

            @Override
            public boolean wantsEvents() {
                return false;
            }
        };
    }
}
