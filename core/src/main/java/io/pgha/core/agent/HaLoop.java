package io.pgha.core.agent;

import io.pgha.core.dcs.ClusterView;
import io.pgha.core.dcs.Dcs;
import io.pgha.core.dcs.InitializeKey;
import io.pgha.core.dcs.LeaderKey;
import io.pgha.core.dcs.MemberState;
import io.pgha.core.ha.Action;
import io.pgha.core.ha.Decision;
import io.pgha.core.ha.HaDecider;
import io.pgha.core.ha.HaSettings;
import io.pgha.core.ha.LocalView;
import io.pgha.core.postgres.PostgresProcess;
import io.pgha.core.postgres.PostgresState;
import io.pgha.core.postgres.Replica;
import io.pgha.core.postgres.Role;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HA loop (STYLE P4): a fixed cadence of {@code loop_wait}, woken early by a store watch. Each cycle reads one
 * {@link ClusterView}, builds one {@link LocalView}, calls the pure {@link HaDecider#decide}, and then either does a
 * quick store action itself (claim, acquire, renew, release) or hands the action to the single-slot worker, which
 * later cycles report as "in progress". Every cycle publishes this member's record. The store session belongs to the
 * loop thread alone.
 */
public final class HaLoop implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HaLoop.class);
    private static final long REPEAT_LOG_MILLIS = 10_000;
    private static final java.time.Duration RETRY_BACKOFF = java.time.Duration.ofSeconds(10);

    private final AgentSettings settings;
    private final HaSettings ha;
    private final Dcs dcs;
    private final PostgresProcess process;
    private final ActionRunner runner;
    private final LocalMemory memory;
    private final Clock clock;
    private final Consumer<NodeStatus> onCycle;
    private final Semaphore wake = new Semaphore(0);
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> daemon(r, "pgha-worker"));
    private final AtomicReference<String> job = new AtomicReference<>();
    private final AtomicReference<NodeStatus> last = new AtomicReference<>();
    private final Set<String> slotsMade = new HashSet<>();
    private final LocalProbe probe;
    private final HistoryRecorder history;
    private final LeaderSilence silence;
    private final RefusedPorts refused = new RefusedPorts(Duration.ofMillis(300));
    private final PeerPositions positions = new PeerPositions(Duration.ofMillis(500));
    /** The leader key taken as expired in this cycle, which an acquisition must replace (loop thread only). */
    private Optional<LeaderKey> silentLeader = Optional.empty();
    private final ConfigSync configSync;
    private volatile boolean pendingRestart;
    private final SyncReplication sync;
    /** The last probe, for the sync duties after a renewal (loop thread only). */
    private LocalProbe.Seen seen = LocalProbe.Seen.of(io.pgha.core.postgres.PostgresState.STOPPED);
    private final PostmasterKill kill;
    private final LeaseFence fence;
    private final Thread thread;
    private volatile boolean running = true;
    private AutoCloseable watch;
    private volatile Instant retryAfter = Instant.EPOCH;
    private volatile String lastFailure = "";
    private String lastLine = "";
    private long lastLineAt;

    HaLoop(AgentSettings settings, Dcs dcs, PostgresProcess process, Replica replica, Consumer<NodeStatus> onCycle,
           ConfigSync configSync) {
        this.settings = settings;
        this.ha = settings.haSettings();
        this.dcs = dcs;
        this.process = process;
        this.memory = new LocalMemory();
        this.runner = new ActionRunner(settings, process, replica, memory);
        this.clock = Clock.systemUTC();
        this.probe = new LocalProbe(settings.postgresSettings());
        this.silence = new LeaderSilence(settings.name());
        this.history = new HistoryRecorder(dcs, settings.postgresSettings().dataDir(), settings.name(), clock);
        if (formerPrimaryDown(process, settings.postgresSettings().dataDir())) {
            // A primary that died (or was stopped) may have written WAL the new leader never saw: rule 4.
            memory.rejoin = LocalView.RejoinState.NEEDS_REWIND;
        }
        this.sync = new SyncReplication(settings.name(), ha, dcs, probe);
        this.onCycle = onCycle;
        this.configSync = configSync;
        this.kill = new PostmasterKill(settings.postgresSettings().dataDir());
        this.fence = new LeaseFence(ha.demoteAfter(), this::fence, System::nanoTime);
        this.thread = daemon(this::loop, "pgha-ha-loop");
    }

    void start() {
        fence.start();
        thread.start();
    }

    /** The last cycle's result; empty before the first cycle completed. */
    public Optional<NodeStatus> status() {
        return Optional.ofNullable(last.get());
    }

    /** Asks for a cycle now (store watch, REST action). */
    public void wakeUp() {
        wake.release();
    }

    private void loop() {
        while (running) {
            if (watch == null) {
                try {
                    watch = dcs.watch(this::wakeUp);
                } catch (RuntimeException e) {
                    LOG.debug("store watch not yet possible: {}", e.getMessage());
                }
            }
            try {
                cycle();
            } catch (RuntimeException e) {
                logLine("cycle failed: " + e.getMessage());
            }
            try {
                wake.tryAcquire(ha.loopWait().toMillis(), TimeUnit.MILLISECONDS);
                wake.drainPermits();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void cycle() {
        Instant sent = clock.instant();
        ClusterView read = dcs.readClusterView();
        long now = System.nanoTime();
        silentLeader = silence.silent(read, now, ha.ttl(), dcs::grantedTtlSeconds);
        silentLeader.ifPresent(l -> logLine("leader key of " + l.name() + " not renewed for "
                + silence.silentFor(now).toMillis() + " ms (ttl " + ha.ttl().toMillis() + " ms): taken as expired"));
        if (silentLeader.isEmpty()) {
            silentLeader = silence.gone(read, now, goneAfter(), refused::gone);
            silentLeader.ifPresent(l -> logLine("leader key of " + l.name() + " not renewed for "
                    + silence.silentFor(now).toMillis() + " ms and its node refuses connections on its Postgres and"
                    + " REST ports: its agent and Postgres are gone, taken as expired"));
        }
        ClusterView view = silentLeader.isPresent() ? read.withoutLeader() : read;
        LocalView local = localView();
        if (view.leader().isEmpty() && view.failover().isEmpty() && local.role() == Role.REPLICA) {
            view = view.withPositions(positions.read(view.members().stream()
                    .filter(m -> !m.name().equals(settings.name()) && m.isRunning()).toList()));
        }
        Decision decision = HaDecider.decide(view, local, ha, clock.instant());
        logLine(decision.describe());
        Action action = decision.action();
        if (ActionRunner.needsWorker(action)) {
            if (action instanceof Action.Promote) {
                history.promoting(promotionReason(view));
            }
            submit(action);
        } else {
            storeAction(action, view, local);
        }
        if (!local.isRunningPrimary()) {
            sync.notPrimary();
        }
        publish(local);
        NodeStatus status = new NodeStatus(view, local, decision, sent);
        last.set(status);
        if (local.isRunningPrimary() && view.isLeader(settings.name())) {
            makeSlots(view);
            try {
                history.recordIfDue(view, local).ifPresent(h -> LOG.info("{}: recorded the switch to timeline {}"
                        + " in the history key", settings.name(), local.timeline()));
            } catch (RuntimeException e) {
                LOG.warn("{}: cannot record the timeline history yet: {}", settings.name(), e.getMessage());
            }
        }
        try {
            configSync.onCycle(view, status.isPrimaryWithKey(), local.state() == PostgresState.RUNNING);
        } catch (RuntimeException e) {
            logLine("applying the cluster-wide configuration failed: " + e.getMessage());
        }
        onCycle.accept(status);
    }

    /**
     * How long a holder whose node refuses connections is given before its key is taken: two missed renewals, or
     * {@code primary_start_timeout} if that is longer (time for a crashed primary to come back on its own).
     */
    private Duration goneAfter() {
        Duration twoRenewals = ha.loopWait().multipliedBy(2);
        Duration startTimeout = settings.config().ha().primaryStartTimeout();
        return startTimeout.compareTo(twoRenewals) > 0 ? startTimeout : twoRenewals;
    }

    private void storeAction(Action action, ClusterView view, LocalView local) {
        Instant sent = clock.instant();
        long sentNanos = System.nanoTime();
        if (action instanceof Action.ClaimInitialize) {
            if (dcs.tryInitialize(InitializeKey.claimedBy(settings.name()).value())) {
                // The claim is the whole cycle: decide the bootstrap now rather than when the store's watch event
                // makes its way back (seconds on a loaded host).
                wakeUp();
            }
        } else if (action instanceof Action.AcquireLeader) {
            if (silentLeader.map(dcs::takeOverSilentLeader).orElseGet(dcs::tryAcquireLeader)) {
                wakeUp();
                memory.lastRenewSent = Optional.of(sent);
                fence.renewed(sentNanos);
                if (view.initialize().flatMap(InitializeKey::claimant).filter(settings.name()::equals).isPresent()) {
                    dcs.recordSystemId(runner.localQueries().systemIdentifier());
                }
            }
        } else if (action instanceof Action.RenewLeader) {
            if (dcs.renewLeader()) {
                memory.lastRenewSent = Optional.of(sent);
                kill.aim();
                fence.renewed(sentNanos);
                if (local.isRunningPrimary()) {
                    sync.afterRenew(view, local, seen.standbyNames()).ifPresent(this::logLine);
                }
            } else {
                logLine("leader key renewal failed; the next cycle demotes");
            }
        } else if (action instanceof Action.ReleaseLeader) {
            fence.disarm();
            dcs.releaseLeader();
            memory.lastRenewSent = Optional.empty();
        } else if (action instanceof Action.ClearFailover c) {
            dcs.clearFailover(c.modRevision());
        }
    }

    /** Why a promotion now is made, for the {@code history} key. */
    private static String promotionReason(ClusterView view) {
        return view.failover().map(f -> f.leader().map(l -> "switchover from " + l)
                .orElse("manual failover")).orElse("automatic failover");
    }

    /**
     * Runs an operator's job (restart, reinitialize) on the single worker, so no HA action runs beside it; the
     * cycles report it as in progress. Empty when another job is running.
     */
    Optional<CompletableFuture<Void>> runJob(String name, Runnable work) {
        if (!job.compareAndSet(null, name)) {
            return Optional.empty();
        }
        return Optional.of(CompletableFuture.runAsync(() -> {
            try {
                work.run();
            } finally {
                job.set(null);
                wakeUp();
            }
        }, worker));
    }

    /** The job running on the worker, if any. */
    Optional<String> job() {
        return Optional.ofNullable(job.get());
    }

    ActionRunner runner() {
        return runner;
    }

    /**
     * Runs on the fence thread when the lease passed {@code ttl - safety_margin} without a renewal, whatever the loop
     * is doing. The kill comes first and the log after it. A killed primary is marked for rejoin, so it is rewound
     * once another member leads (rule 4).
     */
    private void fence() {
        Optional<String> killed = kill.fire();
        if (killed.isPresent()) {
            memory.rejoin = LocalView.RejoinState.NEEDS_REWIND;
        }
        LOG.warn("{}: lease fence: leader key not renewed since {}, ttl - safety_margin {} ms: {}", settings.name(),
                memory.lastRenewSent.map(Instant::toString).orElse("never"), ha.demoteAfter().toMillis(),
                killed.orElse("no primary postgres running"));
        wakeUp();
    }

    private void submit(Action action) {
        if (clock.instant().isBefore(retryAfter)) {
            logLine("waiting until " + retryAfter + " to retry after: " + lastFailure);
            return;
        }
        if (!job.compareAndSet(null, action.describe())) {
            return;
        }
        worker.execute(() -> {
            try {
                runner.run(action);
            } catch (RuntimeException e) {
                LOG.warn("{} failed: {}", action.describe(), e.getMessage());
                // Back off: a failing initdb or clone repeated every loop_wait only floods the log.
                lastFailure = action.describe() + " failed";
                retryAfter = clock.instant().plus(RETRY_BACKOFF);
            } finally {
                job.set(null);
                wakeUp();
            }
        });
    }

    private LocalView localView() {
        seen = probe.look();
        pendingRestart = seen.pendingRestart();
        return new LocalView(settings.name(), process.dataDirPresent(), seen.state(), seen.role(), seen.timeline(),
                seen.lsn(), seen.systemId(), memory.lastRenewSent, memory.following, memory.rejoin,
                Optional.ofNullable(job.get()), settings.tags());
    }

    private void publish(LocalView local) {
        var pg = settings.postgresSettings();
        dcs.publishMember(new MemberState(local.name(), local.role(), local.state(), settings.apiUrl(), pg.listen(),
                pg.port(), local.timeline(), local.lsn(), local.tags(), pendingRestart, memory.activity));
        if (local.isRunningPrimary()) {
            dcs.publishStatus(local.lsn());
        }
    }

    /** The primary keeps a slot for every other member, so a promoted replica still holds WAL for the others. */
    private void makeSlots(ClusterView view) {
        for (MemberState m : view.members()) {
            String slot = Replica.slotNameFor(m.name());
            if (!m.name().equals(settings.name()) && slotsMade.add(slot)) {
                try {
                    runner.localQueries().createPhysicalSlot(slot);
                } catch (RuntimeException e) {
                    slotsMade.remove(slot);
                    LOG.debug("slot {}: {}", slot, e.getMessage());
                }
            }
        }
    }

    /** One line per cycle; an unchanged line is repeated at most every 10 s so a quiet cluster stays readable. */
    private void logLine(String line) {
        long now = System.currentTimeMillis();
        if (!line.equals(lastLine) || now - lastLineAt >= REPEAT_LOG_MILLIS) {
            LOG.info("{}: {}", settings.name(), line);
            lastLine = line;
            lastLineAt = now;
        }
    }

    @Override
    public void close() {
        running = false;
        wakeUp();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (watch != null) {
            try {
                watch.close();
            } catch (Exception e) {
                LOG.debug("closing the watch: {}", e.getMessage());
            }
        }
        worker.shutdownNow();
        fence.close();
        probe.close();
    }

    /** A data directory of a stopped server without standby.signal: it last ran as a primary. */
    private static boolean formerPrimaryDown(PostgresProcess process, java.nio.file.Path pgData) {
        return process.dataDirPresent() && !process.isRunning()
                && !java.nio.file.Files.exists(pgData.resolve("standby.signal"));
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
