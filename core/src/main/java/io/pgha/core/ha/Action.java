package io.pgha.core.ha;

import io.pgha.core.dcs.MemberState;
import java.util.Optional;

/**
 * The one thing a cycle decides to do. Executed by the node agent; long ones (bootstrap, clone, rewind, reclone) run
 * on the single-slot worker. Tests assert on these records, not on {@link #describe()}.
 */
public sealed interface Action {

    /** A short, stable, one-line description for the cycle log and {@code /status}. */
    String describe();

    /** Race for the {@code initialize} key (CAS on create revision 0); the winner bootstraps in a later cycle. */
    record ClaimInitialize() implements Action {
        public String describe() {
            return "claim the initialize key";
        }
    }

    /** initdb, start as primary, take the leader key and record the system id: we hold the initialize claim. */
    record Bootstrap() implements Action {
        public String describe() {
            return "bootstrap a new cluster (initdb)";
        }
    }

    /** pg_basebackup from {@code source} into the empty data directory, then start as its replica. */
    record CloneFrom(MemberState source) implements Action {
        public String describe() {
            return "clone from " + source.name();
        }
    }

    /** Start the existing data directory read-only, following {@code leader} when there is one. */
    record StartAsReplica(Optional<MemberState> leader) implements Action {
        public String describe() {
            return leader.map(l -> "start as replica of " + l.name()).orElse("start as replica without upstream");
        }
    }

    /** Start the existing data directory as primary: we hold a fresh leader key and this was the primary. */
    record StartAsPrimary() implements Action {
        public String describe() {
            return "start as primary";
        }
    }

    /** Take the free leader key: lease grant + txn {@code create_revision == 0} put bound to the lease. */
    record AcquireLeader() implements Action {
        public String describe() {
            return "acquire the leader key";
        }
    }

    /** Keep the lease alive and CAS the leader key on its mod revision; a failed renewal means demote. */
    record RenewLeader() implements Action {
        public String describe() {
            return "renew the leader key";
        }
    }

    /** Give the leader key back without touching Postgres (a replica that took the key but may not promote). */
    record ReleaseLeader(String reason) implements Action {
        public String describe() {
            return "release the leader key: " + reason;
        }
    }

    /**
     * pg_ctl promote: we hold the leader key and are still an eligible candidate. The executor renews the key
     * (CAS) first and promotes only if that succeeds.
     */
    record Promote() implements Action {
        public String describe() {
            return "promote";
        }
    }

    /** Stop accepting writes: stop Postgres (mode by urgency), mark for rewind, restart read-only. */
    record Demote(String reason, StopMode mode) implements Action {
        public String describe() {
            return "demote (" + mode.name().toLowerCase() + "): " + reason;
        }
    }

    /** Point primary_conninfo at {@code leader} and reload (PG 13+ needs no restart). */
    record Follow(MemberState leader) implements Action {
        public String describe() {
            return "follow " + leader.name();
        }
    }

    /** Stop Postgres (it may still run read-only), pg_rewind against {@code leader}, then start as its replica. */
    record Rewind(MemberState leader) implements Action {
        public String describe() {
            return "pg_rewind from " + leader.name();
        }
    }

    /** Wipe the data directory and clone again from {@code leader}. */
    record Reclone(MemberState leader) implements Action {
        public String describe() {
            return "re-clone from " + leader.name();
        }
    }

    /** Delete the {@code failover} request read at {@code modRevision}: it is done, or refused for {@code reason}. */
    record ClearFailover(long modRevision, String reason) implements Action {
        public String describe() {
            return "clear the failover request: " + reason;
        }
    }

    /** Nothing to change. */
    record Noop(String reason) implements Action {
        public String describe() {
            return reason;
        }
    }

    /** How urgently Postgres is stopped on demote. */
    enum StopMode {
        /** checkpoint first, then fast: a planned switchover. */
        GRACEFUL,
        /** no checkpoint, no waiting for clients: the lease is (nearly) gone and writes must stop now. */
        IMMEDIATE
    }
}
