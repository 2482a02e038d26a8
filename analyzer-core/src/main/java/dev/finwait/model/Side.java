package dev.finwait.model;

/** Which end of a connection: the client opened it (sent the first SYN, or was guessed to). */
public enum Side {
    /** The side that opened the connection. */
    CLIENT,
    /** The side that was connected to. */
    SERVER;

    /** @return the other side */
    public Side opposite() {
        return this == CLIENT ? SERVER : CLIENT;
    }

    /** @return the name used in JSON and text output: {@code client} / {@code server} */
    public String jsonName() {
        return this == CLIENT ? "client" : "server";
    }
}
