package io.pgha.core.faults;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

/**
 * A client that writes straight to every node's Postgres (no proxy) every 50 ms, one thread and one connection per
 * node, and records which node acknowledged which write and when. A failed write closes the connection; the next
 * one reconnects. Short socket timeouts make a frozen server's writes fail on the client side, so a write counts as
 * accepted only if its acknowledgement reached the client.
 */
final class WriteRecorder implements AutoCloseable {
    static final String TABLE = "fault_writes";

    /** One attempt: wall-clock start and end in microseconds since the epoch. */
    record Write(String node, long seq, long startMicros, long endMicros, boolean ok, String error) {
    }

    private final List<Write> writes = Collections.synchronizedList(new ArrayList<>());
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLong seq = new AtomicLong();
    private volatile boolean running = true;

    /**
     * @param targets  node name to JDBC URL
     * @param user     the user
     * @param password its password
     */
    WriteRecorder(Map<String, String> targets, String user, String password) {
        targets.forEach((node, url) -> {
            Thread t = new Thread(() -> writeLoop(node, url, user, password), "writer-" + node);
            t.setDaemon(true);
            threads.add(t);
        });
        threads.forEach(Thread::start);
    }

    static void createTable(Connection c) throws SQLException {
        try (var s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (node text, seq bigint, at timestamptz DEFAULT now())");
        }
    }

    private void writeLoop(String node, String url, String user, String password) {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        props.setProperty("connectTimeout", "2");
        props.setProperty("loginTimeout", "2");
        props.setProperty("socketTimeout", "2");
        Connection c = null;
        while (running) {
            long n = seq.incrementAndGet();
            long start = micros();
            try {
                if (c == null) {
                    c = DriverManager.getConnection(url, props);
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + TABLE + " (node, seq) VALUES (?, ?)")) {
                    ps.setString(1, node);
                    ps.setLong(2, n);
                    ps.executeUpdate();
                }
                writes.add(new Write(node, n, start, micros(), true, ""));
            } catch (SQLException e) {
                writes.add(new Write(node, n, start, micros(), false, String.valueOf(e.getMessage())));
                close(c);
                c = null;
            }
            LockSupport.parkNanos(50_000_000L);
        }
        close(c);
    }

    private static void close(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                // already broken
            }
        }
    }

    static long micros() {
        return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
    }

    List<Write> writes() {
        synchronized (writes) {
            return List.copyOf(writes);
        }
    }

    /** Accepted writes of {@code node} started at or after {@code fromMicros}. */
    List<Write> accepted(String node, long fromMicros) {
        return writes().stream().filter(w -> w.ok() && w.node().equals(node) && w.startMicros() >= fromMicros)
                .toList();
    }

    /** The sequence numbers of acknowledged writes (of any node) that {@code c}'s server does not hold. */
    List<Long> lostOn(Connection c) throws SQLException {
        java.util.Set<Long> present = new java.util.HashSet<>();
        try (var s = c.createStatement(); var rs = s.executeQuery("SELECT seq FROM " + TABLE)) {
            while (rs.next()) {
                present.add(rs.getLong(1));
            }
        }
        return writes().stream().filter(w -> w.ok() && !present.contains(w.seq())).map(Write::seq).toList();
    }

    /**
     * The first pair of nodes whose accepted writes interleave: for two nodes A and B, every write A accepted must
     * have ended before B's first accepted write started, or the other way round.
     */
    static Optional<String> overlap(List<Write> all) {
        Map<String, List<Write>> byNode = all.stream().filter(Write::ok)
                .collect(Collectors.groupingBy(Write::node));
        for (var a : byNode.entrySet()) {
            for (var b : byNode.entrySet()) {
                if (a.getKey().compareTo(b.getKey()) >= 0) {
                    continue;
                }
                if (!before(a.getValue(), b.getValue()) && !before(b.getValue(), a.getValue())) {
                    return Optional.of(a.getKey() + " accepted writes " + span(a.getValue()) + " and "
                            + b.getKey() + " accepted writes " + span(b.getValue()));
                }
            }
        }
        return Optional.empty();
    }

    private static boolean before(List<Write> first, List<Write> second) {
        long lastEnd = first.stream().mapToLong(Write::endMicros).max().orElse(Long.MIN_VALUE);
        long firstStart = second.stream().mapToLong(Write::startMicros).min().orElse(Long.MAX_VALUE);
        return lastEnd < firstStart;
    }

    private static String span(List<Write> ws) {
        return Instant.EPOCH.plus(ws.stream().mapToLong(Write::startMicros).min().orElse(0), ChronoUnit.MICROS) + ".."
                + Instant.EPOCH.plus(ws.stream().mapToLong(Write::endMicros).max().orElse(0), ChronoUnit.MICROS)
                + " (" + ws.size() + ")";
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Thread t : threads) {
            t.join(10_000);
        }
    }
}
