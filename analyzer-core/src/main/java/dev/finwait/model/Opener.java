package dev.finwait.model;

/** How the client was identified: it sent the first SYN, both sent SYNs, or ports were used to guess. */
public enum Opener {
    SYN, SIMULTANEOUS, GUESSED;

    /** Computed once: the writers ask for it several times per connection. */
    private final String jsonName = name().toLowerCase(java.util.Locale.ROOT);

    public String jsonName() {
        return jsonName;
    }
}
