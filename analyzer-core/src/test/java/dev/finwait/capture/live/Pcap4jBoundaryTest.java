package dev.finwait.capture.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** pcap4j lives at the edge: only dev.finwait.capture.live may import it. */
class Pcap4jBoundaryTest {

    @Test
    void onlyTheLivePackageImportsPcap4j() throws IOException {
        Path root = Path.of("").toAbsolutePath();
        Path project = Files.exists(root.resolve("analyzer-core")) ? root : root.getParent();
        List<Path> mains = List.of(project.resolve("analyzer-core/src/main/java"), project.resolve("analyzer-cli/src/main/java"));
        int scanned = 0;
        StringBuilder offenders = new StringBuilder();
        for (Path main : mains) {
            assertTrue(Files.isDirectory(main), main + " missing: both modules' sources are checked");
            try (Stream<Path> files = Files.walk(main)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    scanned++;
                    boolean live = f.toString().replace('\\', '/').contains("/dev/finwait/capture/live/");
                    if (!live && Files.readString(f).contains("import org.pcap4j")) {
                        offenders.append(f).append('\n');
                    }
                }
            }
        }
        assertTrue(scanned > 20, "scanned the sources: " + scanned);
        assertEquals("", offenders.toString());
    }
}
