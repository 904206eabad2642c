package io.pgha.core.agent;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A client that inserts an increasing sequence of ids into {@code acked(id)} on whichever node answers /primary, one
 * autocommit INSERT at a time, and records every id whose commit was acknowledged. An id is never retried, so an
 * unacknowledged insert that did commit is harmless; a lost acknowledged id is a lost write.
 */
final class AckedWriter implements AutoCloseable {
    private final ProcessCluster cluster;
    private final List<String> nodes;
    private final NavigableSet<Long> acked = new ConcurrentSkipListSet<>();
    private final AtomicLong next = new AtomicLong(1);
    private final Thread thread;
    private volatile boolean running = true;

    AckedWriter(ProcessCluster cluster, List<String> nodes) {
        this.cluster = cluster;
        this.nodes = List.copyOf(nodes);
        this.thread = new Thread(this::run, "acked-writer");
        thread.setDaemon(true);
    }

    /** Creates the table on {@code primary} and starts writing. */
    void start(String primary) throws SQLException {
        try (Connection c = cluster.connect(primary, Duration.ofSeconds(30)); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS acked (id bigint PRIMARY KEY)");
        }
        thread.start();
    }

    private void run() {
        while (running) {
            Optional<String> primary = cluster.primary(nodes);
            if (primary.isEmpty()) {
                LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
                continue;
            }
            try (Connection c = cluster.connect(primary.get(), Duration.ofSeconds(30));
                 Statement s = c.createStatement()) {
                while (running) {
                    long id = next.getAndIncrement();
                    s.executeUpdate("INSERT INTO acked VALUES (" + id + ")");
                    acked.add(id);
                }
            } catch (SQLException e) {
                LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
            }
        }
    }

    int ackedCount() {
        return acked.size();
    }

    /** The acknowledged ids that {@code node} does not have (empty when nothing was lost). */
    Set<Long> missingOn(String node) throws SQLException {
        Set<Long> present = new HashSet<>();
        try (Connection c = cluster.connect(node, Duration.ofSeconds(60)); Statement s = c.createStatement();
             var rs = s.executeQuery("SELECT id FROM acked")) {
            while (rs.next()) {
                present.add(rs.getLong(1));
            }
        }
        Set<Long> missing = new HashSet<>(acked);
        missing.removeAll(present);
        return missing;
    }

    /** Stops writing; an insert in flight finishes or fails first. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(60_000);
    }
}
