package dev.finwait.report.format;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.finwait.report.CloseKind;
import dev.finwait.report.Handshake;
import dev.finwait.report.Opener;
import dev.finwait.report.ResetCause;
import dev.finwait.report.Side;
import dev.finwait.report.TimeWaitEnd;
import dev.finwait.state.TcpState;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** JsonlWriter writes these names without escaping them: they must need none. */
class JsonlNamesTest {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_]+");

    @Test
    void everyEnumNameTheWriterCopiesIsPlain() {
        List<String> names = new ArrayList<>();
        for (TcpState s : TcpState.values()) names.add(s.name());
        for (Opener o : Opener.values()) names.add(o.jsonName());
        for (Handshake h : Handshake.values()) names.add(h.jsonName());
        for (CloseKind c : CloseKind.values()) names.add(c.jsonName());
        for (Side s : Side.values()) names.add(s.jsonName());
        for (ResetCause c : ResetCause.values()) names.add(c.jsonName());
        for (TimeWaitEnd t : TimeWaitEnd.values()) names.add(t.jsonName());
        for (String n : names) {
            assertTrue(PLAIN.matcher(n).matches(), n);
        }
    }
}
