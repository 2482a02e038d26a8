package dev.finwait.flow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.finwait.model.AnalyzerConfig;
import dev.finwait.model.ConnectionReport;
import dev.finwait.report.ConnectionVerdict;
import dev.finwait.snapshot.SnapshotFormatException;
import dev.finwait.tcp.FlowKey;
import java.io.IOException;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * State you can save: a flow snapshotted after any of its packets and restored continues to the same
 * reports as one never stopped, on every sample and corpus capture; the restored state equals the
 * original field by field (so no field is forgotten by the byte form); bad bytes are one-line errors.
 */
class FlowSnapshotTest {
    private static final ConnectionIds BY_FIRST_FRAME = (key, firstNanos, firstFrame) -> firstFrame;
    private static final List<AnalyzerConfig> CONFIGS = List.of(AnalyzerConfig.defaults(),
            AnalyzerConfig.defaults().withTimeWait(Duration.ofMillis(5)).withIdleTimeout(Duration.ofMillis(50)));

    static Stream<Path> captures() {
        return FlowUnitTest.captures();
    }

    @ParameterizedTest
    @MethodSource("captures")
    void snapshotAtAnyPacketThenRestoreGivesTheSameReports(Path capture) throws IOException {
        List<FlowUnitTest.Decoded> segments = FlowUnitTest.decode(capture);
        Map<FlowKey, List<FlowUnitTest.Decoded>> byFlow = new LinkedHashMap<>();
        long end = Long.MIN_VALUE;
        for (FlowUnitTest.Decoded d : segments) {
            byFlow.computeIfAbsent(d.segment().flowKey(), k -> new ArrayList<>()).add(d);
            end = Math.max(end, d.segment().timeNanos());
        }
        int checked = 0;
        for (AnalyzerConfig config : CONFIGS) {
            for (Map.Entry<FlowKey, List<FlowUnitTest.Decoded>> e : byFlow.entrySet()) {
                List<FlowUnitTest.Decoded> packets = e.getValue();
                List<ConnectionReport> reference = run(config, e.getKey(), packets, -1, end);
                int n = packets.size();
                int step = Math.max(1, n / 25); // every packet of a short flow, a spread over a long one
                for (int k = 0; k <= n; k += step) {
                    assertEquals(reference, run(config, e.getKey(), packets, k, end),
                            capture + " " + e.getKey() + " snapshot after packet " + k + " of " + n);
                    checked++;
                }
            }
        }
        assertTrue(checked > 0 || segments.isEmpty());
    }

    /** Feeds the packets (snapshot and restore after {@code cut} of them, unless -1), wakes, ends; the reports. */
    private static List<ConnectionReport> run(AnalyzerConfig config, FlowKey key, List<FlowUnitTest.Decoded> packets,
                                              int cut, long end) {
        List<ConnectionReport> reports = new ArrayList<>();
        Consumer<FinishedConnection> judge = f -> reports.add(ConnectionVerdict.report(f));
        Flow.Context context = new Flow.Context(config, BY_FIRST_FRAME, null, judge::accept);
        Flow flow = new Flow(key, context);
        for (int i = 0; i < packets.size(); i++) {
            if (i == cut) {
                flow = restoreChecked(flow, context);
            }
            FlowUnitTest.Decoded d = packets.get(i);
            flow.accept(d.segment(), d.segment(), d.capturedPayload());
        }
        if (cut == packets.size()) {
            flow = restoreChecked(flow, context);
        }
        while (flow.isLive() && flow.nextDeadline() <= end) {
            flow.advanceTo(flow.nextDeadline());
        }
        flow.finishAtEnd(end);
        return reports;
    }

    private static Flow restoreChecked(Flow flow, Flow.Context context) {
        byte[] bytes = flow.snapshot();
        Flow restored = Flow.restore(bytes, context);
        assertArrayEquals(bytes, restored.snapshot(), "a restored flow snapshots to the same bytes");
        assertSameState(flow, restored, "flow", new IdentityHashMap<>());
        return restored;
    }

    /**
     * Field by field, into every finwait object the flow owns: a field that the byte form forgot shows
     * up here even when no report of the test captures depends on it. Arrays are compared up to their
     * last non-zero element (a restored array may have other spare room).
     */
    private static void assertSameState(Object a, Object b, String path, IdentityHashMap<Object, Boolean> seen) {
        if (a == null || b == null) {
            assertEquals(a, b, path);
            return;
        }
        if (seen.put(a, Boolean.TRUE) != null) {
            return;
        }
        Class<?> type = a.getClass();
        assertEquals(type, b.getClass(), path);
        if (type.isArray()) {
            assertEquals(trimmed(a), trimmed(b), path);
            return;
        }
        if (!type.getName().startsWith("dev.finwait.") || type.isRecord() || type.isEnum()) {
            assertEquals(a instanceof StringBuilder ? a.toString() : a, b instanceof StringBuilder ? b.toString() : b, path);
            return;
        }
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) || f.getType() == Flow.Context.class
                        || Consumer.class.isAssignableFrom(f.getType())) {
                    continue; // settings come from the restorer, not the snapshot
                }
                f.setAccessible(true);
                try {
                    assertSameState(f.get(a), f.get(b), path + "." + f.getName(), seen);
                } catch (IllegalAccessException e) {
                    throw new AssertionError(e);
                }
            }
        }
    }

    private static List<Object> trimmed(Object array) {
        List<Object> out = new ArrayList<>();
        int len = Array.getLength(array);
        int last = len - 1;
        while (last >= 0 && isZero(Array.get(array, last))) {
            last--;
        }
        for (int i = 0; i <= last; i++) {
            out.add(Array.get(array, i));
        }
        return out;
    }

    private static boolean isZero(Object o) {
        return o == null || (o instanceof Number n && n.longValue() == 0);
    }

    @Test
    void anUnknownVersionIsAClearError() {
        Flow.Context context = new Flow.Context(AnalyzerConfig.defaults(), BY_FIRST_FRAME, null, f -> { });
        byte[] bytes = new Flow(FlowKey.of(dev.finwait.tcp.Endpoint.of("10.0.0.1", 1000),
                dev.finwait.tcp.Endpoint.of("10.0.0.2", 80)), context).snapshot();
        bytes[4] = 9;
        SnapshotFormatException e = assertThrows(SnapshotFormatException.class, () -> Flow.restore(bytes, context));
        assertEquals("flow snapshot version 9 is not supported (this finwait reads 3)", e.getMessage());
    }

    @Test
    void cutCorruptAndForeignBytesAreClearErrors() throws IOException {
        Flow.Context context = new Flow.Context(AnalyzerConfig.defaults(), BY_FIRST_FRAME, null, f -> { });
        Path capture = dev.finwait.Fixtures.samples().resolve("write-after-close.pcap");
        List<FlowUnitTest.Decoded> packets = FlowUnitTest.decode(capture);
        Flow flow = new Flow(packets.get(0).segment().flowKey(), context);
        for (int i = 0; i < 5; i++) {
            flow.accept(packets.get(i).segment(), packets.get(i).segment(), packets.get(i).capturedPayload());
        }
        byte[] bytes = flow.snapshot();
        assertEquals("not a finwait flow snapshot (3 bytes)",
                assertThrows(SnapshotFormatException.class, () -> Flow.restore(new byte[3], context)).getMessage());
        byte[] cut = java.util.Arrays.copyOf(bytes, bytes.length - 7);
        assertEquals("snapshot cut short (" + cut.length + " bytes)",
                assertThrows(SnapshotFormatException.class, () -> Flow.restore(cut, context)).getMessage());
        byte[] longer = java.util.Arrays.copyOf(bytes, bytes.length + 2);
        assertEquals("corrupt snapshot: 2 bytes after its end",
                assertThrows(SnapshotFormatException.class, () -> Flow.restore(longer, context)).getMessage());
        // Every single-byte corruption is either read as some state or refused with a SnapshotFormatException.
        for (int i = 0; i < bytes.length; i++) {
            byte[] bad = bytes.clone();
            bad[i] ^= (byte) 0xFF;
            try {
                Flow.restore(bad, context);
            } catch (SnapshotFormatException expected) {
                assertTrue(!expected.getMessage().isEmpty());
            }
        }
    }
}
