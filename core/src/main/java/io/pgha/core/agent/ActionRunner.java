package io.pgha.core.agent;

import io.pgha.core.config.PostgresConfig;
import io.pgha.core.dcs.MemberState;
import io.pgha.core.ha.Action;
import io.pgha.core.ha.LocalView;
import io.pgha.core.postgres.JdbcPostgresQueries;
import io.pgha.core.postgres.PostgresConfigFiles;
import io.pgha.core.postgres.PostgresProcess;
import io.pgha.core.postgres.PostgresQueries;
import io.pgha.core.postgres.PostgresSettings;
import io.pgha.core.postgres.Replica;
import io.pgha.core.postgres.ShutdownMode;
import io.pgha.core.postgres.Upstream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out the Postgres side of an {@link Action} on the single worker thread: initdb, clone, start, follow,
 * promote, stop, rewind. It never touches the store (the loop thread owns the store session); what it learns goes
 * into {@link LocalMemory}. Every method blocks until the action is done or failed; failures throw.
 */
final class ActionRunner {
    private static final Logger LOG = LoggerFactory.getLogger(ActionRunner.class);
    private static final Duration START = Duration.ofMinutes(5);
    private static final Duration CLONE = Duration.ofHours(6);

    private final AgentSettings settings;
    private final PostgresSettings pg;
    private final PostgresProcess process;
    private final Replica replica;
    private final PostgresConfigFiles files;
    private final LocalMemory memory;

    ActionRunner(AgentSettings settings, PostgresProcess process, Replica replica, LocalMemory memory) {
        this.settings = settings;
        this.pg = settings.postgresSettings();
        this.process = process;
        this.replica = replica;
        this.files = new PostgresConfigFiles(pg, settings.name());
        this.memory = memory;
    }

    PostgresQueries localQueries() {
        return queries(pg.listen(), pg.port());
    }

    PostgresQueries queries(String host, int port) {
        return new JdbcPostgresQueries(host, port, pg.superuser(), pg.superuserPassword(), Duration.ofSeconds(5));
    }

    /** Runs the Postgres side of {@code action}; quick store-only actions are not passed here. */
    void run(Action action) {
        if (action instanceof Action.Bootstrap) {
            bootstrap();
        } else if (action instanceof Action.CloneFrom c) {
            cloneFrom(c.source());
        } else if (action instanceof Action.StartAsReplica s) {
            files.write(s.leader().map(this::upstream), true);
            process.start(START);
            memory.following = s.leader().map(MemberState::name);
        } else if (action instanceof Action.StartAsPrimary) {
            files.write(Optional.empty(), false);
            process.start(START);
            memory.following = Optional.empty();
        } else if (action instanceof Action.Follow f) {
            replica.follow(upstream(f.leader()), process);
            memory.following = Optional.of(f.leader().name());
        } else if (action instanceof Action.Promote) {
            long t0 = System.nanoTime();
            resetStandbyNames();
            long t1 = System.nanoTime();
            process.promote(START);
            LOG.info("promoted: standby names reset in {} ms, pg_ctl promote in {} ms", (t1 - t0) / 1_000_000,
                    (System.nanoTime() - t1) / 1_000_000);
            memory.following = Optional.empty();
            memory.rejoin = LocalView.RejoinState.NONE;
        } else if (action instanceof Action.Demote d && d.mode() == Action.StopMode.GRACEFUL) {
            gracefulStop();
        } else if (action instanceof Action.Demote d) {
            process.stop(ShutdownMode.IMMEDIATE, START);
            memory.rejoin = LocalView.RejoinState.NEEDS_REWIND;
        } else if (action instanceof Action.Rewind r) {
            rewind(r.leader());
        } else if (action instanceof Action.Reclone r) {
            process.stop(ShutdownMode.IMMEDIATE, START);
            wipeDataDir();
            cloneFrom(r.leader());
            memory.rejoin = LocalView.RejoinState.NONE;
        }
    }

    /**
     * A planned switchover: a checkpoint while writes still flow (so the shutdown checkpoint is quick), then a fast
     * shutdown, which sends every WAL record up to the shutdown checkpoint to the connected standbys before it exits.
     * The candidate then forks its new timeline after our last record, so this node follows it without pg_rewind.
     */
    private void gracefulStop() {
        try {
            localQueries().checkpoint();
        } catch (RuntimeException e) {
            LOG.warn("switchover: checkpoint before shutdown failed ({}); shutting down anyway", e.getMessage());
        }
        process.stop(ShutdownMode.FAST, START);
        memory.rejoin = LocalView.RejoinState.NONE;
        memory.following = Optional.empty();
        LOG.info("switchover: postgres shut down cleanly; rejoining as a replica without pg_rewind");
    }

    /** {@code pgha restart}: a fast stop and a start with the same role and files. */
    void restart() {
        process.stop(ShutdownMode.FAST, START);
        process.start(START);
    }

    /** {@code pgha reinit}: wipe the data directory and clone again from {@code leader}. */
    void reinitialize(MemberState leader) {
        process.stop(ShutdownMode.IMMEDIATE, START);
        wipeDataDir();
        cloneFrom(leader);
        memory.rejoin = LocalView.RejoinState.NONE;
    }

    /** Whether {@code action} is long or touches Postgres, and so belongs on the worker. */
    static boolean needsWorker(Action action) {
        return !(action instanceof Action.Noop || action instanceof Action.ClaimInitialize
                || action instanceof Action.AcquireLeader || action instanceof Action.RenewLeader
                || action instanceof Action.ReleaseLeader || action instanceof Action.ClearFailover);
    }

    /**
     * Before a promotion: the standby names copied from the old primary (postgresql.auto.conf travels with
     * pg_basebackup) may name this node itself. In strict mode the new primary starts with {@code *}, so it never
     * acknowledges a commit without a standby; otherwise asynchronously, until the sync duties choose standbys.
     */
    private void resetStandbyNames() {
        boolean strict = settings.haSettings().sync().mode() == io.pgha.core.ha.HaSettings.SynchronousMode.STRICT;
        try {
            PostgresQueries q = localQueries();
            q.execute("ALTER SYSTEM SET synchronous_standby_names = '" + (strict ? "*" : "") + "'");
            q.execute("SELECT pg_reload_conf()");
        } catch (RuntimeException e) {
            LOG.warn("before promote: could not reset synchronous_standby_names: {}", e.getMessage());
        }
    }

    private void bootstrap() {
        LOG.info("bootstrap: initdb of {} (data checksums, scram-sha-256)", pg.dataDir());
        process.initdb();
        files.write(Optional.empty(), false);
        process.start(START);
        PostgresQueries q = localQueries();
        q.createOrUpdateRole(pg.replicationUser(), pg.replicationPassword(), true);
        PostgresConfig conf = settings.config().postgres();
        for (PostgresConfig.User user : conf.users()) {
            q.createOrUpdateRole(user.name(), new PostgresSettings.Secret(user.password()
                    .map(io.pgha.core.config.Secret::reveal).orElse(java.util.UUID.randomUUID().toString())), false);
        }
        for (PostgresConfig.Database db : conf.databases()) {
            q.createDatabase(db.name(), db.owner());
        }
        memory.following = Optional.empty();
        LOG.info("bootstrap: postgres started as primary, roles and databases created");
    }

    private void cloneFrom(MemberState source) {
        String slot = Replica.slotNameFor(settings.name());
        queries(source.host(), source.port()).createPhysicalSlot(slot);
        LOG.info("clone: pg_basebackup from {} ({}:{}) through slot {}", source.name(), source.host(),
                source.port(), slot);
        memory.activity = "creating replica";
        try {
            Duration took = replica.clone(upstream(source), p -> {
                LOG.info("clone from {}: {}", source.name(), p);
                memory.activity = "creating replica (" + p.percent() + "%)";
            }, CLONE);
            LOG.info("clone: done in {} s; starting as a replica of {}", took.toSeconds(), source.name());
            memory.activity = "starting";
            process.start(START);
        } finally {
            memory.activity = "";
        }
        memory.following = Optional.of(source.name());
    }

    private void rewind(MemberState leader) {
        process.stop(ShutdownMode.FAST, START);
        LOG.info("pg_rewind from {}", leader.name());
        if (replica.rewind(upstream(leader), START)) {
            process.start(START);
            memory.rejoin = LocalView.RejoinState.NONE;
            memory.following = Optional.of(leader.name());
        } else {
            memory.rejoin = LocalView.RejoinState.REWIND_FAILED;
            LOG.warn("pg_rewind from {} failed", leader.name());
        }
    }

    private void wipeDataDir() {
        Path data = pg.dataDir();
        if (!Files.exists(data)) {
            return;
        }
        try (Stream<Path> all = Files.walk(data)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).filter(p -> !p.equals(data)).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot empty " + data + ": " + e.getMessage(), e);
        }
    }

    private Upstream upstream(MemberState m) {
        return new Upstream(m.host(), m.port(), Optional.of(Replica.slotNameFor(settings.name())));
    }
}
