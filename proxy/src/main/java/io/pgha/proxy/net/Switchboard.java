package io.pgha.proxy.net;

import io.pgha.proxy.Backend;
import io.pgha.proxy.Listener;
import io.pgha.proxy.ProxySettings;
import io.pgha.proxy.ProxyStats;
import io.pgha.proxy.RoutingTable;
import io.pgha.proxy.TableUpdate;
import io.pgha.proxy.route.Route;
import io.pgha.proxy.route.Router;
import io.pgha.proxy.route.RwGate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy's shared routing state: the table in force, the leader confirmations, and every live session.
 *
 * <p>Thread-safety: every method may be called from any thread. State changes happen under one lock, which makes
 * "route a new session" and "close every session to the old primary" atomic with respect to each other: a session is
 * either routed under the old table (and then closed by the change) or under the new one. Channels are closed and
 * held sessions released only after the lock is dropped, because closing on an event loop runs callbacks inline.
 */
public final class Switchboard {
    private static final Logger LOG = LoggerFactory.getLogger(Switchboard.class);
    private static final int CHANGES_KEPT = 20;

    private final ProxySettings settings;
    private final Clock clock;
    private final Router router;
    private final Set<Session> sessions = new LinkedHashSet<>();
    private final Set<Session> held = new LinkedHashSet<>();
    private final Map<String, BackendCounters> counters = new HashMap<>();
    private final Map<Listener, ListenerCounters> listeners = new EnumMap<>(Listener.class);
    private final Deque<ProxyStats.Change> changes = new ArrayDeque<>();
    private final LongAccumulator maxPending = new LongAccumulator(Math::max, 0);
    private final LongAdder pauses = new LongAdder();
    private RoutingTable table = RoutingTable.empty();
    private Instant confirmedAt = Instant.EPOCH;
    private Instant holdSince;
    private boolean failedClosed;

    public Switchboard(ProxySettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.router = new Router(settings.roMaxLagBytes(), settings.roFallbackToPrimary());
        for (Listener l : Listener.values()) {
            listeners.put(l, new ListenerCounters());
        }
    }

    /**
     * Installs a new table. A table older than the one in force is ignored (a late push must not undo a leader
     * change). If the RW target changed, every session to the old primary, RW or RO, is closed before this returns
     * (the close itself completes asynchronously on the event loops). Held sessions are released if the new table
     * no longer holds.
     *
     * @return what was done; {@code allClosed} completes once the closed sessions' channels are closed
     */
    public TableUpdate update(RoutingTable next) {
        Set<Session> toClose = new LinkedHashSet<>();
        List<Session> toRelease = new ArrayList<>();
        synchronized (this) {
            if (next.generation() < table.generation()) {
                LOG.warn("ignored routing table {}: older than the one in force (gen {})", next.describe(),
                        table.generation());
                return new TableUpdate(false, 0, CompletableFuture.completedFuture(null));
            }
            RoutingTable previous = table;
            table = next;
            Instant now = clock.instant();
            // A confirmation vouches for the leader it was read with: a new leader starts from its own table's.
            if (next.rwDiffersFrom(previous) || next.confirmedAt().isAfter(confirmedAt)) {
                confirmedAt = next.confirmedAt();
            }
            if (next.holdNewRw()) {
                holdSince = holdSince == null ? now : holdSince;
            } else if (next.rw().isPresent()) {
                holdSince = null;
            }
            refreshFailClosed(now, toClose);
            if (next.rwDiffersFrom(previous)) {
                closeOldPrimarySessions(previous, next, toClose);
            }
            if (gate(now) != RwGate.HOLD) {
                toRelease.addAll(held);
                held.clear();
            }
        }
        if (toClose.isEmpty() && toRelease.isEmpty()) {
            // The agent pushes a table every cycle; only changes are worth an info line.
            LOG.debug("routing table {} installed", next.describe());
        } else {
            LOG.info("routing table {} installed; closing {} session(s), releasing {} held", next.describe(),
                    toClose.size(), toRelease.size());
        }
        CompletableFuture<?>[] closed = toClose.stream().map(Session::closeNow).toArray(CompletableFuture[]::new);
        toRelease.forEach(Session::release);
        return new TableUpdate(true, toClose.size(), CompletableFuture.allOf(closed));
    }

    /** Adds every session, RW or RO, attached to the previous primary; records the change. Caller holds the lock. */
    private void closeOldPrimarySessions(RoutingTable previous, RoutingTable next, Set<Session> toClose) {
        String to = next.rw().map(Backend::describe).orElse("none");
        if (previous.rw().isEmpty()) {
            recordChange("RW none -> " + to);
            return;
        }
        Backend old = previous.rw().get();
        int closing = 0;
        for (Session s : sessions) {
            if (old.sameEndpoint(s.backend)) {
                toClose.add(s);
                closing++;
            }
        }
        recordChange("RW " + old.describe() + " -> " + to + ": closing " + closing
                + " session(s) to the old primary");
    }

    /** Records that the store confirmed the leader at {@code at}; may reopen RW after a fail-closed period. */
    public void confirm(Instant at) {
        synchronized (this) {
            if (at.isAfter(confirmedAt)) {
                confirmedAt = at;
            }
        }
        checkLeaderConfirmation();
    }

    /**
     * Fails RW closed if the leader was not confirmed within {@code leaderConfirmTimeout}: closes every RW session
     * and refuses held ones. Called periodically and on every confirmation; cheap.
     */
    public void checkLeaderConfirmation() {
        Set<Session> toClose = new LinkedHashSet<>();
        List<Session> toRelease = new ArrayList<>();
        synchronized (this) {
            boolean wasFailed = failedClosed;
            refreshFailClosed(clock.instant(), toClose);
            if (failedClosed && !wasFailed) {
                toRelease.addAll(held);
                held.clear();
            }
        }
        toClose.forEach(Session::closeNow);
        toRelease.forEach(Session::release);
    }

    private void refreshFailClosed(Instant now, Set<Session> toClose) {
        boolean stale = isStale(now);
        if (stale && !failedClosed) {
            failedClosed = true;
            for (Session s : sessions) {
                // Only routed sessions: held ones are released (and refused with a reason), and those still
                // sending their first bytes will be refused with a reason when they route.
                if (s.listener() == Listener.RW && s.backend != null) {
                    toClose.add(s);
                }
            }
            if (table.generation() == 0) {
                recordChange("RW closed: no routing table yet");
                return;
            }
            recordChange("RW failed closed: leader last confirmed " + confirmedAt + ", timeout "
                    + settings.leaderConfirmTimeout() + "; closing " + toClose.size() + " RW session(s)");
            LOG.warn("RW failed closed: the store has not confirmed the leader since {}", confirmedAt);
        } else if (!stale && failedClosed) {
            failedClosed = false;
            recordChange("RW reopened: leader confirmed at " + confirmedAt);
            LOG.info("RW reopened: leader confirmed at {}", confirmedAt);
        }
    }

    private boolean isStale(Instant now) {
        return now.isAfter(confirmedAt.plus(settings.leaderConfirmTimeout()));
    }

    private RwGate gate(Instant now) {
        if (failedClosed || isStale(now)) {
            return RwGate.FAIL_CLOSED;
        }
        if (table.holdNewRw()) {
            return RwGate.HOLD;
        }
        boolean holdInEffect = holdSince != null && table.rw().isEmpty()
                && now.isBefore(holdSince.plus(settings.holdTimeout()));
        return holdInEffect ? RwGate.HOLD : RwGate.OPEN;
    }

    /**
     * Admits a new client connection to its listener, or counts it as refused when the listener is full. Every
     * session passed here must later be passed to {@link #detach}.
     */
    public synchronized boolean admit(Session s) {
        ListenerCounters lc = listeners.get(s.listener());
        sessions.add(s);
        if (lc.current >= settings.maxConnections()) {
            lc.refused++;
            return false;
        }
        s.admitted = true;
        lc.current++;
        lc.total++;
        return true;
    }

    /**
     * Decides where an admitted session goes and books it: a {@code Connect} attaches the session to the backend
     * (counted for least connections), a {@code Hold} parks it until {@link #update} or the hold timeout.
     */
    public synchronized Route route(Session s) {
        held.remove(s);
        Route r = s.listener() == Listener.RW
                ? router.routeRw(table, gate(clock.instant()))
                : router.routeRo(table, b -> countersOf(b).active, b -> countersOf(b).total);
        if (r instanceof Route.Connect c) {
            BackendCounters bc = countersOf(c.backend());
            bc.active++;
            bc.total++;
            s.backend = c.backend();
            s.counters = bc;
        } else if (r instanceof Route.Hold) {
            held.add(s);
        } else {
            listeners.get(s.listener()).refused++;
        }
        return r;
    }

    /** Every backend an RO CancelRequest is relayed to (see {@link Router#roCancelTargets}). */
    public synchronized List<Backend> roCancelTargets() {
        return router.roCancelTargets(table);
    }

    /** Counts a connection refused by the handler itself (garbage first bytes, handshake timeout). */
    public synchronized void refused(Session s) {
        listeners.get(s.listener()).refused++;
    }

    /** Whether {@code s} is still parked (a release or timeout races with the table change). */
    public synchronized boolean unhold(Session s) {
        return held.remove(s);
    }

    /** Forgets a closed session. Idempotent. */
    public synchronized void detach(Session s) {
        if (!sessions.remove(s)) {
            return;
        }
        held.remove(s);
        if (s.admitted) {
            listeners.get(s.listener()).current--;
        }
        if (s.counters != null) {
            s.counters.active--;
        }
    }

    /** Called by the handlers after each write: remembers the largest queue seen. */
    void notePending(long bytes) {
        maxPending.accumulate(bytes);
    }

    /** Called by the handlers when a side stops reading because its peer is not writable. */
    void notePause() {
        pauses.increment();
    }

    private BackendCounters countersOf(Backend b) {
        return counters.computeIfAbsent(b.member(), m -> new BackendCounters());
    }

    private void recordChange(String why) {
        changes.addFirst(new ProxyStats.Change(clock.instant(), table.generation(), why));
        while (changes.size() > CHANGES_KEPT) {
            changes.removeLast();
        }
    }

    /** A consistent snapshot of the state and counters. */
    public synchronized ProxyStats stats(Map<Listener, Integer> ports) {
        Instant now = clock.instant();
        List<ProxyStats.ListenerStats> ls = new ArrayList<>();
        for (Listener l : Listener.values()) {
            ListenerCounters c = listeners.get(l);
            long heldHere = held.stream().filter(s -> s.listener() == l).count();
            ls.add(new ProxyStats.ListenerStats(l, ports.getOrDefault(l, 0), c.current, c.total, c.refused,
                    heldHere));
        }
        long pending = 0;
        Map<String, Map<Listener, Long>> open = new HashMap<>();
        for (Session s : sessions) {
            pending += s.pendingWriteBytes();
            if (s.backend != null) {
                open.computeIfAbsent(s.backend.member(), m -> new EnumMap<>(Listener.class))
                        .merge(s.listener(), 1L, Long::sum);
            }
        }
        return new ProxyStats(now, table.generation(), table.describe(), gate(now).name(), confirmedAt, ls,
                BackendStatsView.of(table, counters, open), new ArrayList<>(changes), pending, maxPending.get(),
                pauses.sum());
    }

    /** Per-listener counters, guarded by the switchboard's lock. */
    private static final class ListenerCounters {
        long current;
        long total;
        long refused;
    }
}
