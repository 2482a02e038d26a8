package dev.finwait.report.format;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.finwait.model.CloseKind;
import dev.finwait.model.Handshake;
import dev.finwait.model.Opener;
import dev.finwait.model.ResetCause;
import dev.finwait.model.Side;
import dev.finwait.model.TimeWaitEnd;
import dev.finwait.model.TcpState;
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
