package io.pgha.core.postgres;

/** How a command ended. {@code output} is stdout and stderr interleaved by line, trimmed to the last 64 KiB. */
public record CommandResult(int exitCode, String output) {
    public boolean ok() {
        return exitCode == 0;
    }
}
