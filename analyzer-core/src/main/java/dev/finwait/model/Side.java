package dev.finwait.model;

/** Which end of a connection: the client opened it (sent the first SYN, or was guessed to). */
public enum Side {
    CLIENT, SERVER;

    public Side opposite() {
        return this == CLIENT ? SERVER : CLIENT;
    }

    /** The name used in JSON and text output: {@code client} / {@code server}. */
    public String jsonName() {
        return this == CLIENT ? "client" : "server";
    }
}
