package dev.finwait.capture.live;

import dev.finwait.capture.Frame;

/** Receives live frames on the capture thread. The frame's array is not reused. */
public interface LiveSink {
    /** Takes one captured frame; it may keep it (the array is its own). */
    void onFrame(Frame frame);

    /** The wire was quiet for about the read timeout; {@code nowNanos} is the wall clock (epoch ns). */
    default void onIdle(long nowNanos) {
    }

    /** One read from libpcap has been handed over frame by frame: a moment to pass a batch on. */
    default void onReadEnd() {
    }
}
