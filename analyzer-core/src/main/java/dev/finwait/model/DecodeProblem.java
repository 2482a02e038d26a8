package dev.finwait.model;

/**
 * Why one frame was not analyzed: a {@link DecodeReason} and, for the reasons that carry one, its
 * number (else 0). {@link #text()} is the stable name in the summary's {@code problems}.
 */
public record DecodeProblem(DecodeReason reason, int detail) implements Comparable<DecodeProblem> {
    public DecodeProblem {
        if (!reason.hasDetail() && detail != 0) {
            throw new IllegalArgumentException(reason + " carries no number");
        }
    }

    public static DecodeProblem of(DecodeReason reason) {
        return new DecodeProblem(reason, 0);
    }

    /** "udp", "link type 147 not supported", ... */
    public String text() {
        return reason.describe(detail);
    }

    /** By text: the order the summary lists them in. */
    @Override
    public int compareTo(DecodeProblem o) {
        return text().compareTo(o.text());
    }

    // Written out: counted per skipped frame, and a record's generated methods go through method handles.
    @Override
    public boolean equals(Object o) {
        return o instanceof DecodeProblem p && p.reason == reason && p.detail == detail;
    }

    @Override
    public int hashCode() {
        return reason.ordinal() * 0x10001 + detail;
    }

    @Override
    public String toString() {
        return text();
    }
}
