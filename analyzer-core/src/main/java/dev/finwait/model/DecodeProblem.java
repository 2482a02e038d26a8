package dev.finwait.model;

/**
 * Why one frame was not analyzed. {@link #text()} is the stable name in the summary's {@code problems}.
 *
 * @param reason the kind of problem
 * @param detail the number a reason with {@link DecodeReason#hasDetail()} carries (an ethertype, a link
 *               type, ...), else 0
 */
public record DecodeProblem(DecodeReason reason, int detail) implements Comparable<DecodeProblem> {
    /** Rejects a number on a reason that carries none: two equal problems must print the same text. */
    public DecodeProblem {
        if (!reason.hasDetail() && detail != 0) {
            throw new IllegalArgumentException(reason + " carries no number");
        }
    }

    /** {@return the problem of a reason that carries no number} */
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
