package dev.finwait.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the CLI tests find captures: {@code sample-captures/} and the third-party corpus in
 * {@code sample-captures/third-party/}, inside the repository (the parent pom passes them as
 * {@code finwait.samples} and {@code finwait.corpus}). A missing folder fails the test that asked.
 */
final class Fixtures {
    private Fixtures() {
    }

    static Path samples() {
        return existingDirectory("finwait.samples", "../sample-captures");
    }

    static Path corpus() {
        return existingDirectory("finwait.corpus", "../sample-captures/third-party");
    }

    private static Path existingDirectory(String property, String fallback) {
        Path dir = Path.of(System.getProperty(property, fallback)).toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            throw new AssertionError(dir + " is missing (system property " + property
                    + "; the poms point it into the repository)");
        }
        return dir;
    }
}
