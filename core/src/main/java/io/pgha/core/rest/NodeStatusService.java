package io.pgha.core.rest;

import io.pgha.core.dcs.ClusterView;
import java.util.Optional;

/**
 * What the REST API reads; implemented by the node agent from its last cycle (so a request never waits on Postgres
 * or the store). Calls must be cheap and thread-safe.
 */
public interface NodeStatusService {

    NodeStatus status();

    /** The last snapshot of the cluster, if the store has been read at all. */
    Optional<ClusterView> cluster();

    /** Extra lists for {@code /cluster} beyond the store snapshot (store members, witnesses, warnings). */
    default java.util.Map<String, java.util.List<String>> clusterNotes() {
        return java.util.Map.of();
    }
}
