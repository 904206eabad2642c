package io.pgha.core.dcs;

import java.util.Objects;
import java.util.Optional;

/**
 * The {@code initialize} key. Created once per cluster with a compare on {@code create_revision == 0}: first as a
 * claim {@code "pending:<member>"} by the member that won the bootstrap race, then overwritten with the system
 * identifier once that member has run initdb. Any other value is a system identifier.
 */
public record InitializeKey(String value) {
    static final String PENDING = "pending:";

    public InitializeKey {
        Objects.requireNonNull(value, "value");
    }

    public static InitializeKey claimedBy(String member) {
        return new InitializeKey(PENDING + member);
    }

    public static InitializeKey systemId(String systemId) {
        return new InitializeKey(systemId);
    }

    /** The member bootstrapping the cluster, while initdb has not yet been recorded. */
    public Optional<String> claimant() {
        return value.startsWith(PENDING) ? Optional.of(value.substring(PENDING.length())) : Optional.empty();
    }

    /** The cluster's system identifier, once recorded. */
    public Optional<String> systemIdentifier() {
        return value.startsWith(PENDING) ? Optional.empty() : Optional.of(value);
    }
}
