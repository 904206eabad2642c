package io.pgha.core.agent;

import io.pgha.core.dcs.ClusterView;
import io.pgha.core.dcs.Dcs;
import io.pgha.core.dcs.InitializeKey;
import io.pgha.core.dcs.MemberState;
import io.pgha.core.ha.Action;
import io.pgha.core.ha.Decision;
import io.pgha.core.ha.HaDecider;
import io.pgha.core.ha.HaSettings;
import io.pgha.core.ha.LocalView;
import io.pgha.core.postgres.PostgresProcess;
import io.pgha.core.postgres.Replica;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
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
    private final PostmasterKill kill;
    private final LeaseFence fence;
    private final Thread thread;
    private volatile boolean running = true;
    private AutoCloseable watch;
    private volatile Instant retryAfter = Instant.EPOCH;
    private volatile String lastFailure = "";
    private String lastLine = "";
    private long lastLineAt;

    HaLoop(AgentSettings settings, Dcs dcs, PostgresProcess process, Replica replica, Consumer<NodeStatus> onCycle) {
        this.settings = settings;
        this.ha = settings.haSettings();
        this.dcs = dcs;
        this.process = process;
        this.memory = new LocalMemory();
        this.runner = new ActionRunner(settings, process, replica, memory);
        this.clock = Clock.systemUTC();
        this.probe = new LocalProbe(settings.postgresSettings());
        this.onCycle = onCycle;
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
        ClusterView view = dcs.readClusterView();
        LocalView local = localView();
        Decision decision = HaDecider.decide(view, local, ha, clock.instant());
        logLine(decision.describe());
        Action action = decision.action();
        if (ActionRunner.needsWorker(action)) {
            submit(action);
        } else {
            storeAction(action, view);
        }
        publish(local);
        NodeStatus status = new NodeStatus(view, local, decision, sent);
        last.set(status);
        if (local.isRunningPrimary() && view.isLeader(settings.name())) {
            makeSlots(view);
        }
        onCycle.accept(status);
    }

    private void storeAction(Action action, ClusterView view) {
        Instant sent = clock.instant();
        long sentNanos = System.nanoTime();
        if (action instanceof Action.ClaimInitialize) {
            dcs.tryInitialize(InitializeKey.claimedBy(settings.name()).value());
        } else if (action instanceof Action.AcquireLeader) {
            if (dcs.tryAcquireLeader()) {
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
            } else {
                logLine("leader key renewal failed; the next cycle demotes");
            }
        } else if (action instanceof Action.ReleaseLeader) {
            fence.disarm();
            dcs.releaseLeader();
            memory.lastRenewSent = Optional.empty();
        }
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
        LocalProbe.Seen seen = probe.look();
        return new LocalView(settings.name(), process.dataDirPresent(), seen.state(), seen.role(), seen.timeline(),
                seen.lsn(), seen.systemId(), memory.lastRenewSent, memory.following, memory.rejoin,
                Optional.ofNullable(job.get()), settings.tags());
    }

    private void publish(LocalView local) {
        var pg = settings.postgresSettings();
        dcs.publishMember(new MemberState(local.name(), local.role(), local.state(), settings.apiUrl(), pg.listen(),
                pg.port(), local.timeline(), local.lsn(), local.tags()));
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

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
