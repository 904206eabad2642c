package io.pgha.core.ha;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * One step of the primary's synchronous replication duties, decided by {@link SyncDuties} after the leader key was
 * renewed. At most one step per cycle, so the order of the two writes (Postgres setting, store key) is the order of
 * the cycles.
 */
public sealed interface SyncStep {

    /** A short, stable, one-line description for the cycle log. */
    String describe();

    /**
     * Compare-and-set the {@code sync} key to this leader and {@code standbys}; only while we hold the leader key.
     *
     * @param standbys the standbys that may be promoted besides us
     */
    record PublishSync(Set<String> standbys) implements SyncStep {
        public PublishSync {
            standbys = Set.copyOf(standbys);
        }

        public String describe() {
            return "publish sync key [" + String.join(",", new TreeSet<>(standbys)) + "]";
        }
    }

    /**
     * {@code ALTER SYSTEM SET synchronous_standby_names} and reload; the executor records the primary's WAL position
     * afterwards as the barrier a newly listed standby must reach before it counts as synchronous.
     *
     * @param names the standbys, or {@code *}, or none (asynchronous)
     */
    record SetStandbyNames(List<String> names) implements SyncStep {
        public SetStandbyNames {
            names = List.copyOf(names);
        }

        /** The setting's value. */
        public String value() {
            return SyncStandbyNames.render(names);
        }

        public String describe() {
            return "set synchronous_standby_names = '" + value() + "'";
        }
    }

    /** Nothing to change. */
    record Settled(String reason) implements SyncStep {
        public String describe() {
            return reason;
        }
    }
}
