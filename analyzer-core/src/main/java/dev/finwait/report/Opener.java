package dev.finwait.report;

/** How the client was identified: it sent the first SYN, both sent SYNs, or ports were used to guess. */
public enum Opener {
    SYN, SIMULTANEOUS, GUESSED;

    public String jsonName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
