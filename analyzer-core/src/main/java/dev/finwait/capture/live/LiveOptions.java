package dev.finwait.capture.live;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How to open a live capture. {@code filter} is a BPF expression (null: everything);
 * {@code readTimeout} bounds how long a quiet wire keeps the capture thread waiting (timers still fire);
 * {@code writeTo}, if set, also saves every captured frame to a pcap file. Immediate mode (default off)
 * hands each packet over as it arrives; without it libpcap hands packets over at least every read
 * timeout (100 ms), and a quiet wire still gets its idle ticks.
 */
public record LiveOptions(String interfaceName, String filter, int snaplen, boolean promiscuous, boolean immediate,
                          Duration readTimeout, Path writeTo) {

    public static final int DEFAULT_SNAPLEN = 262_144;

    public LiveOptions {
        if (snaplen <= 0) {
            throw new IllegalArgumentException("snaplen must be positive: " + snaplen);
        }
    }

    public static LiveOptions of(String interfaceName) {
        return new LiveOptions(interfaceName, null, DEFAULT_SNAPLEN, false, false, Duration.ofMillis(100), null);
    }

    public LiveOptions withFilter(String bpf) {
        return new LiveOptions(interfaceName, bpf, snaplen, promiscuous, immediate, readTimeout, writeTo);
    }

    public LiveOptions withSnaplen(int n) {
        return new LiveOptions(interfaceName, filter, n, promiscuous, immediate, readTimeout, writeTo);
    }

    public LiveOptions withPromiscuous(boolean on) {
        return new LiveOptions(interfaceName, filter, snaplen, on, immediate, readTimeout, writeTo);
    }

    public LiveOptions withImmediate(boolean on) {
        return new LiveOptions(interfaceName, filter, snaplen, promiscuous, on, readTimeout, writeTo);
    }

    public LiveOptions withReadTimeout(Duration d) {
        return new LiveOptions(interfaceName, filter, snaplen, promiscuous, immediate, d, writeTo);
    }

    public LiveOptions withWriteTo(Path file) {
        return new LiveOptions(interfaceName, filter, snaplen, promiscuous, immediate, readTimeout, file);
    }
}
