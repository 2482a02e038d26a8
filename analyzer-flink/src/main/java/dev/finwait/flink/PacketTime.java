package dev.finwait.flink;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

/**
 * Event time is packet time in nanoseconds (Flink's own bounded-out-of-orderness generator counts in
 * milliseconds): the watermark trails the latest packet by {@code boundNanos}.
 */
final class PacketTime implements WatermarkGenerator<Item> {
    private final long boundNanos;
    private long max = Long.MIN_VALUE;

    PacketTime(long boundNanos) {
        this.boundNanos = boundNanos;
    }

    @Override
    public void onEvent(Item item, long timestamp, WatermarkOutput output) {
        if (item.segment() != null) {
            max = Math.max(max, timestamp);
        }
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        if (max != Long.MIN_VALUE) {
            output.emitWatermark(new Watermark(max - boundNanos - 1));
        }
    }
}
