package dev.finwait.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.finwait.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The wire of the namespace stories (sample-captures/scenarios/delay_forwarder.py) chooses which frames to
 * drop, duplicate, delay or hold and puts 802.1Q tags on; its rules are checked on hand-built frames by its
 * own self-test (no sockets, no root), run here so a change to the recording tool is tested like the rest.
 */
class ForwarderSelfTest {

    @Test
    void forwarderRulesPassTheirSelfTest() throws IOException, InterruptedException {
        Path script = Fixtures.samples().resolve("scenarios").resolve("delay_forwarder.py");
        Path log = Files.createTempFile("forwarder-self-test", ".log");
        try {
            Process p = new ProcessBuilder("python3", script.toString(), "--self-test")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            boolean ended = p.waitFor(120, TimeUnit.SECONDS); // bounded however loaded the machine
            if (!ended) {
                p.destroyForcibly();
            }
            String text = Files.readString(log, StandardCharsets.UTF_8);
            assertTrue(ended, "self-test did not end in 120 s: " + text);
            assertEquals(0, p.exitValue(), text);
            assertTrue(text.contains("OK"), text);
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
