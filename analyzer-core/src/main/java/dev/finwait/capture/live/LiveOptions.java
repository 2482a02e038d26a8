package dev.finwait.capture.live;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How to open a live capture. {@code filter} is a BPF expression (null: everything);
 * {@code readTimeout} bounds how long a quiet wire keeps the capture thread waiting (timers still fire);
 * {@code writeTo}, if set, also saves every captured frame to a pcap file. Immediate mode (default off)
 * hands each packet over as it arrives; without it libpcap hands packets over at least every read
 * timeout (100 ms), and a quiet wire still gets its idle ticks. {@code bufferSize} is libpcap's
 * buffer (pcap_set_buffer_size; on Linux the packet socket's ring): what a burst, a collector pause
 * or a slow stretch of the analysis can fall behind by before the kernel drops packets.
 */
public record LiveOptions(String interfaceName, String filter, int snaplen, boolean promiscuous, boolean immediate,
                          Duration readTimeout, Path writeTo, int bufferSize) {

    public static final int DEFAULT_SNAPLEN = 262_144;

    /**
     * 64 MiB, not libpcap's 2 MiB: at 2 MiB a replay of ~400-byte packets on lo lost packets at every
     * rate tried, from 25,000 packets/s up, because a young collection stops the analysis for 100-300 ms
     * (bench/live-bench.sh, BENCHMARKS.md "Live capture"). The ring is kernel memory held only while
     * the capture is open.
     */
    public static final int DEFAULT_BUFFER_SIZE = 64 << 20;

    public LiveOptions {
        if (snaplen <= 0) {
            throw new IllegalArgumentException("snaplen must be positive: " + snaplen);
        }
        if (bufferSize <= 0) {
            throw new IllegalArgumentException("buffer size must be positive: " + bufferSize);
        }
    }

    public static LiveOptions of(String interfaceName) {
        return new LiveOptions(interfaceName, null, DEFAULT_SNAPLEN, false, false, Duration.ofMillis(100), null,
                DEFAULT_BUFFER_SIZE);
    }

    public LiveOptions withFilter(String bpf) {
        return new LiveOptions(interfaceName, bpf, snaplen, promiscuous, immediate, readTimeout, writeTo, bufferSize);
    }

    public LiveOptions withSnaplen(int n) {
        return new LiveOptions(interfaceName, filter, n, promiscuous, immediate, readTimeout, writeTo, bufferSize);
    }

    public LiveOptions withPromiscuous(boolean on) {
        return new LiveOptions(interfaceName, filter, snaplen, on, immediate, readTimeout, writeTo, bufferSize);
    }

    public LiveOptions withImmediate(boolean on) {
        return new LiveOptions(interfaceName, filter, snaplen, promiscuous, on, readTimeout, writeTo, bufferSize);
    }

    public LiveOptions withReadTimeout(Duration d) {
        return new LiveOptions(interfaceName, filter, snaplen, promiscuous, immediate, d, writeTo, bufferSize);
    }

    public LiveOptions withWriteTo(Path file) {
        return new LiveOptions(interfaceName, filter, snaplen, promiscuous, immediate, readTimeout, file, bufferSize);
    }

    /** libpcap's buffer in bytes (pcap_set_buffer_size). */
    public LiveOptions withBufferSize(int bytes) {
        return new LiveOptions(interfaceName, filter, snaplen, promiscuous, immediate, readTimeout, writeTo, bytes);
    }
}
