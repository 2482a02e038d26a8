package dev.finwait.model;

/**
 * Why reading stopped before the end of the input (a truncated file, a corrupt block).
 *
 * @param message    one line, as the command line prints it
 * @param fileOffset byte offset in the file where the problem was found, -1 when the reader does not know it
 */
public record InputError(String message, long fileOffset) {
}
