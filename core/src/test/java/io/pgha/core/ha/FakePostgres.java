package io.pgha.core.ha;

import io.pgha.core.postgres.Lsn;
import io.pgha.core.postgres.PostgresException;
import io.pgha.core.postgres.PostgresProcess;
import io.pgha.core.postgres.PostgresQueries;
import io.pgha.core.postgres.PostgresSettings;
import io.pgha.core.postgres.PostgresState;
import io.pgha.core.postgres.ReplicationRow;
import io.pgha.core.postgres.ShutdownMode;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** A hand-written fake Postgres for both ports: a few fields a test sets, no SQL parsing. */
final class FakePostgres implements PostgresProcess, PostgresQueries {
    boolean dataDir = true;
    PostgresState state = PostgresState.STOPPED;
    boolean inRecovery;
    boolean answering = true;
    Lsn lsn = Lsn.ZERO;
    long timeline = 1;
    String systemId = "7300";

    @Override
    public void initdb() {
        dataDir = true;
    }

    @Override
    public void start(Duration timeout) {
        state = PostgresState.RUNNING;
    }

    @Override
    public void stop(ShutdownMode mode, Duration timeout) {
        state = PostgresState.STOPPED;
    }

    @Override
    public void promote(Duration timeout) {
        inRecovery = false;
        timeline++;
    }

    @Override
    public void reload() {
    }

    @Override
    public PostgresState state() {
        return state;
    }

    @Override
    public boolean dataDirPresent() {
        return dataDir;
    }

    private void answer() {
        if (!answering) {
            throw new PostgresException("connection refused");
        }
    }

    @Override
    public boolean isInRecovery() {
        answer();
        return inRecovery;
    }

    @Override
    public Optional<Lsn> currentLsn() {
        answer();
        return inRecovery ? Optional.empty() : Optional.of(lsn);
    }

    @Override
    public Optional<Lsn> receivedLsn() {
        answer();
        return inRecovery ? Optional.of(lsn) : Optional.empty();
    }

    @Override
    public Optional<Lsn> replayedLsn() {
        return receivedLsn();
    }

    @Override
    public long timeline() {
        answer();
        return timeline;
    }

    @Override
    public String systemIdentifier() {
        answer();
        return systemId;
    }

    @Override
    public String setting(String name) {
        return "";
    }

    @Override
    public List<ReplicationRow> replication() {
        return List.of();
    }

    @Override
    public void createOrUpdateRole(String name, PostgresSettings.Secret password, boolean replication) {
    }

    @Override
    public void createDatabase(String name, String owner) {
    }

    @Override
    public void createPhysicalSlot(String name) {
    }

    @Override
    public void dropSlot(String name) {
    }

    @Override
    public void checkpoint() {
    }

    @Override
    public void execute(String sql) {
    }

    @Override
    public Optional<String> queryString(String sql) {
        return Optional.empty();
    }
}
