package dev.finwait.event;

/** Receives events as the analysis runs (streaming use, live capture). Called on the analysis thread. */
@FunctionalInterface
public interface AnalysisListener {
    void onEvent(ConnectionEvent event);

    AnalysisListener NONE = event -> { };
}
