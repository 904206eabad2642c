package io.pgha.proxy;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A consistent snapshot of the proxy's state and counters, as served on the stats page, {@code /stats.json} and
 * {@code /metrics}.
 *
 * @param at                   when the snapshot was taken
 * @param generation           the routing table generation in force
 * @param table                that table, described in one line
 * @param rwGate               {@code OPEN}, {@code HOLD} or {@code FAIL_CLOSED}
 * @param leaderConfirmedAt    the latest time the store confirmed the leader (table or heartbeat)
 * @param listeners            one entry per listener
 * @param backends             every backend in the table or with sessions, by member
 * @param changes              the most recent routing changes, newest first
 * @param pendingWriteBytes    bytes queued in all proxied channels right now
 * @param maxPendingWriteBytes the largest queue one channel ever had: bounded by the high water mark plus one read
 * @param backpressurePauses   how often a side stopped reading because its peer could not keep up
 */
public record ProxyStats(Instant at, long generation, String table, String rwGate, Instant leaderConfirmedAt,
                         List<ListenerStats> listeners, List<BackendStats> backends, List<Change> changes,
                         long pendingWriteBytes, long maxPendingWriteBytes, long backpressurePauses) {

    public ProxyStats {
        listeners = List.copyOf(listeners);
        backends = List.copyOf(backends);
        changes = List.copyOf(changes);
    }

    /** Whether RW is failed closed because the leader was not confirmed in time. */
    public boolean rwFailClosed() {
        return "FAIL_CLOSED".equals(rwGate);
    }

    public ListenerStats listener(Listener l) {
        return listeners.stream().filter(s -> s.listener() == l).findFirst().orElseThrow();
    }

    public Optional<BackendStats> backend(String member) {
        return backends.stream().filter(b -> b.member().equals(member)).findFirst();
    }

    /**
     * @param current sessions open now (held ones included)
     * @param total   sessions accepted since start
     * @param refused connections refused (over the limit, no backend, garbage, failed closed)
     * @param held    sessions held right now
     */
    public record ListenerStats(Listener listener, int port, long current, long total, long refused, long held) {
    }

    /**
     * @param inTable  whether the current table names this member (as RW or RO)
     * @param sessions sessions open now, per listener ({@code current} is their sum)
     */
    public record BackendStats(String member, String host, int port, String role, String state, long lagBytes,
                               boolean noLoadBalance, boolean inTable, java.util.Map<Listener, Long> sessions,
                               long total, long bytesToBackend, long bytesFromBackend) {

        public BackendStats {
            sessions = java.util.Map.copyOf(sessions);
        }

        public long current() {
            return sessions.values().stream().mapToLong(Long::longValue).sum();
        }

        public long current(Listener l) {
            return sessions.getOrDefault(l, 0L);
        }
    }

    /** One routing change: when, under which generation, and why. */
    public record Change(Instant at, long generation, String why) {
    }
}
