package dev.finwait.model;

/**
 * Why reading stopped before the end of the input (a truncated file, a corrupt block): the one-line
 * message, with the byte offset where it was found when the reader knows it (else -1).
 */
public record InputError(String message, long fileOffset) {
}
