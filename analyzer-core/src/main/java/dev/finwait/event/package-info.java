/**
 * The streaming API: {@link dev.finwait.event.AnalysisListener} ({@code onConnection}, {@code onEvent},
 * {@code onError}, {@code onEnd}, each a no-op by default) and the events, records in capture-time
 * order. Events are built only for a listener registered for them.
 */
package dev.finwait.event;
