package io.pgha.core.dcs;

import java.util.Objects;

/**
 * The leader key {@code /pgha/<cluster>/leader}: the holder's name, the revision it was last written at (the CAS
 * base for renewal) and the lease it is bound to.
 */
public record LeaderKey(String name, long modRevision, long leaseId) {
    public LeaderKey {
        Objects.requireNonNull(name, "name");
    }
}
