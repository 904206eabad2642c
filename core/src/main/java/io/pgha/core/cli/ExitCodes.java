package io.pgha.core.cli;

/** Process exit codes shared by every command. */
public final class ExitCodes {
    /** The operation succeeded. */
    public static final int OK = 0;
    /** The operation was attempted and failed. */
    public static final int FAILED = 1;
    /** Wrong usage or a bad configuration: nothing was attempted. */
    public static final int USAGE = 2;

    private ExitCodes() {
    }
}
