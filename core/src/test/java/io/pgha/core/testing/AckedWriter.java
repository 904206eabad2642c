package io.pgha.core.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A client that inserts 1, 2, 3, ... into {@code acked_writes(v)}, one autocommit insert at a time, directly into
 * whichever node accepts it (it tries the nodes in turn after any failure, as a client behind a load balancer would),
 * and records every value whose commit was acknowledged and by which node. After a fault a test compares
 * {@link #acked()} with what the new primary holds.
 */
public final class AckedWriter implements AutoCloseable {
    public static final String TABLE = "acked_writes";
    private final AgentCluster cluster;
    private final List<String> nodes;
    private final NavigableSet<Long> acked = new ConcurrentSkipListSet<>();
    private final Map<Long, String> ackedBy = new ConcurrentHashMap<>();
    private final AtomicLong next = new AtomicLong(1);
    private final Thread thread;
    private volatile boolean running = true;

    private AckedWriter(AgentCluster cluster, List<String> nodes) {
        this.cluster = cluster;
        this.nodes = List.copyOf(nodes);
        this.thread = new Thread(this::loop, "acked-writer");
        this.thread.setDaemon(true);
    }

    /** Creates the table on {@code primary} and starts writing to every node of the cluster. */
    public static AckedWriter start(AgentCluster cluster, String primary) throws SQLException {
        return start(cluster, primary, cluster.names());
    }

    /** Creates the table on {@code primary} and starts writing to {@code nodes}. */
    public static AckedWriter start(AgentCluster cluster, String primary, List<String> nodes) throws SQLException {
        try (Connection c = cluster.connect(primary, Duration.ofSeconds(30)); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (v bigint PRIMARY KEY, node text)");
        }
        AckedWriter w = new AckedWriter(cluster, nodes);
        w.thread.start();
        return w;
    }

    private void loop() {
        int target = 0;
        while (running) {
            String node = nodes.get(target);
            try (Connection c = cluster.connect(node);
                 PreparedStatement insert = c.prepareStatement("INSERT INTO " + TABLE + " VALUES (?, ?)")) {
                while (running) {
                    long v = next.getAndIncrement();
                    insert.setLong(1, v);
                    insert.setString(2, node);
                    insert.executeUpdate();
                    acked.add(v);
                    ackedBy.put(v, node);
                }
            } catch (SQLException e) {
                // Dead, frozen or read-only: try the next node shortly. The value in flight is never reused.
                target = (target + 1) % nodes.size();
                LockSupport.parkNanos(50_000_000L);
            }
        }
    }

    /** Every acknowledged value so far. */
    public NavigableSet<Long> acked() {
        return new TreeSet<>(acked);
    }

    /** The acknowledged values that {@code node} acknowledged. */
    public Set<Long> ackedBy(String node) {
        Set<Long> out = new TreeSet<>();
        ackedBy.forEach((v, n) -> {
            if (n.equals(node)) {
                out.add(v);
            }
        });
        return out;
    }

    /** How many values were acknowledged. */
    public int count() {
        return acked.size();
    }

    /** The values present in {@code acked_writes} on {@code node}. */
    public NavigableSet<Long> rowsOn(String node) throws SQLException {
        NavigableSet<Long> out = new TreeSet<>();
        try (Connection c = cluster.connect(node); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT v FROM " + TABLE)) {
            while (rs.next()) {
                out.add(rs.getLong(1));
            }
        }
        return out;
    }

    /** Acknowledged values missing on {@code node}. */
    public List<Long> lostOn(String node) throws SQLException {
        Set<Long> present = rowsOn(node);
        List<Long> lost = new ArrayList<>();
        for (long v : acked) {
            if (!present.contains(v)) {
                lost.add(v);
            }
        }
        return lost;
    }

    /** Stops writing and waits for the insert in flight. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
