package dev.finwait.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AnalyzerConfigTest {
    @Test
    void travelsAsJavaSerialization() throws Exception {
        AnalyzerConfig config = AnalyzerConfig.defaults().withRfcTimeWait().withIdleTimeout(Duration.ofMinutes(5))
                .withEmitSegments(true).withSkipBadChecksums(true);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(config);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertEquals(config, in.readObject());
        }
    }
}
