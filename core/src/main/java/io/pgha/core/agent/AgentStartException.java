package io.pgha.core.agent;

/** The agent could not start; {@link #badConfig()} tells the CLI to exit 2 (nothing was attempted) rather than 1. */
public final class AgentStartException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final boolean badConfig;

    public AgentStartException(String message, boolean badConfig) {
        super(message);
        this.badConfig = badConfig;
    }

    public boolean badConfig() {
        return badConfig;
    }
}
