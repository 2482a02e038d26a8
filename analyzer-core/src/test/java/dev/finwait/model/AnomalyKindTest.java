package dev.finwait.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class AnomalyKindTest {
    @Test
    void namesAreTheOnesTheOutputsHaveAlwaysWritten() {
        assertEquals("expired idle", AnomalyKind.EXPIRED_IDLE.jsonName());
        assertEquals("syn not seen", AnomalyKind.SYN_NOT_SEEN.jsonName());
        assertEquals("unexpected send_fin", AnomalyKind.UNEXPECTED_SEND_FIN.jsonName());
        assertEquals("unexpected recv_ack_of_syn", AnomalyKind.UNEXPECTED_RECV_ACK_OF_SYN.jsonName());
        assertEquals("data_after_reset", AnomalyKind.DATA_AFTER_RST.zeekWeird().orElseThrow());
        assertTrue(AnomalyKind.EXPIRED_IDLE.zeekWeird().isEmpty());
    }

    @Test
    void everyNameIsDistinctAndPlain() {
        Set<String> names = Arrays.stream(AnomalyKind.values()).map(AnomalyKind::jsonName).collect(Collectors.toSet());
        assertEquals(AnomalyKind.values().length, names.size());
        for (String n : names) {
            assertTrue(n.matches("[a-z_ ]+"), n);
        }
    }
}
