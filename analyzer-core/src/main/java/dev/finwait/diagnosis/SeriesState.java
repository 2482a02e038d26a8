package dev.finwait.diagnosis;

/** What a time series counts: connections in one phase of their life (see the README's JSONL contract). */
public enum SeriesState {
    /** Both sides synchronized, no FIN or RST yet. */
    ESTABLISHED,
    /** One side sent FIN and the other kept sending data after it (a half-close in use). */
    HALF_CLOSED,
    /** One side received FIN and has sent neither data nor its own FIN since: its socket waits in CLOSE_WAIT. */
    CLOSE_WAIT,
    /** A side's TIME_WAIT window (each side counts once). */
    TIME_WAIT;

    private final String jsonName = name().toLowerCase(java.util.Locale.ROOT);

    /** {@return the name in JSON and text output: the constant's name in lower case} */
    public String jsonName() {
        return jsonName;
    }
}
