package dev.finwait.capture.live;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How to open a live capture. Start from {@link #of} and change it with the {@code withX} copies.
 *
 * @param interfaceName the interface, as {@code ip link} or {@code analyze -D} names it
 * @param filter        a capture filter in tcpdump's syntax, compiled by libpcap (null: everything)
 * @param snaplen       bytes kept of each packet
 * @param promiscuous   put the interface in promiscuous mode (see traffic not addressed to this host)
 * @param immediate     hand each packet over as it arrives (default off); without it libpcap hands
 *                      packets over at least every read timeout, and a quiet wire still gets its idle ticks
 * @param readTimeout   how long a quiet wire keeps the capture thread waiting (timers still fire)
 * @param writeTo       if not null, every captured frame is also saved to this pcap file
 * @param bufferSize    libpcap's buffer in bytes (pcap_set_buffer_size; on Linux the packet socket's ring):
 *                      what a burst, a collector pause or a slow stretch of the analysis can fall behind by
 *                      before the kernel drops packets
 */
public record LiveOptions(String interfaceName, String filter, int snaplen, boolean promiscuous, boolean immediate,
                          Duration readTimeout, Path writeTo, int bufferSize) {

    /** libpcap's largest snapshot length (MAXIMUM_SNAPLEN): whole packets, as tcpdump's {@code -s 0}. */
    public static final int DEFAULT_SNAPLEN = 262_144;

    /**
     * 64 MiB, not libpcap's 2 MiB: at 2 MiB a replay of ~400-byte packets on lo lost packets at every
     * rate tried, from 25,000 packets/s up, because a young collection stops the analysis for 100-300 ms
     * (bench/live-bench.sh, BENCHMARKS.md "Live capture"). The ring is kernel memory held only while
     * the capture is open.
     */
    public static final int DEFAULT_BUFFER_SIZE = 64 << 20;

    /** Rejects a snapshot length or buffer size of 0 or less, which libpcap would take for its own defaults. */
    public LiveOptions {
        if (snaplen <= 0) {
            throw new IllegalArgumentException("snaplen must be positive: " + snaplen);
        }
        if (bufferSize <= 0) {
            throw new IllegalArgumentException("buffer size must be positive: " + bufferSize);
        }
    }

    /** {@return the defaults for {@code interfaceName}: no filter, whole packets, not promiscuous, a 100 ms read timeout, a 64 MiB buffer} */
    public static LiveOptions of(String interfaceName) {
        return new LiveOptions(interfaceName, null, DEFAULT_SNAPLEN, false, false, Duration.ofMillis(100), null,
                DEFAULT_BUFFER_SIZE);
    }

    /** {@return a copy with the capture filter {@code bpf} (tcpdump's syntax; null: none)} */
    public LiveOptions withFilter(String bpf) {
        return new LiveOptions(interfaceName, bpf, snaplen, promiscuous, immediate, readTimeout, writeTo, bufferSize);
    }

    /** {@return a copy that keeps {@code n} bytes of each packet} */
    public LiveOptions withSnaplen(int n) {
        return new LiveOptions(interfaceName, filter, n, promiscuous, immediate, readTimeout, writeTo, bufferSize);
    }

    /** {@return a copy with promiscuous mode on or off} */
    public LiveOptions withPromiscuous(boolean on) {
        return new LiveOptions(interfaceName, filter, snaplen, on, immediate, readTimeout, writeTo, bufferSize);
    }

    /** {@return a copy with immediate mode on or off} */
    public LiveOptions withImmediate(boolean on) {
        return new LiveOptions(interfaceName, filter, snaplen, promiscuous, on, readTimeout, writeTo, bufferSize);
    }

    /** {@return a copy with the read timeout {@code d}} */
    public LiveOptions withReadTimeout(Duration d) {
        return new LiveOptions(interfaceName, filter, snaplen, promiscuous, immediate, d, writeTo, bufferSize);
    }

    /** {@return a copy that also saves every captured frame to {@code file} (null: nowhere)} */
    public LiveOptions withWriteTo(Path file) {
        return new LiveOptions(interfaceName, filter, snaplen, promiscuous, immediate, readTimeout, file, bufferSize);
    }

    /** libpcap's buffer in bytes (pcap_set_buffer_size). */
    public LiveOptions withBufferSize(int bytes) {
        return new LiveOptions(interfaceName, filter, snaplen, promiscuous, immediate, readTimeout, writeTo, bytes);
    }
}
