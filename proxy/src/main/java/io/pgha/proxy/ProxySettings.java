package io.pgha.proxy;

import java.time.Duration;
import java.util.Objects;

/**
 * How the proxy listens and routes. Build with {@link #builder()}; the defaults are the documented ones.
 *
 * @param listenAddress        address all three listeners bind to
 * @param rwPort               RW listener port (0: ephemeral, for tests)
 * @param roPort               RO listener port (0: ephemeral)
 * @param statsPort            stats/UI HTTP port (0: ephemeral, negative: no stats listener)
 * @param roMaxLagBytes        replicas lagging more than this are not chosen for RO
 * @param roFallbackToPrimary  whether RO goes to the primary when no replica qualifies
 * @param holdTimeout          how long a held RW connection waits for a primary before it is closed
 * @param maxConnections       client connections per listener; more are refused with SQLSTATE 53300
 * @param connectTimeout       backend connect timeout
 * @param leaderConfirmTimeout the HA {@code ttl}: RW fails closed when the leader was not confirmed for longer
 * @param handshakeTimeout     how long a new client may take to send its first 8 bytes
 * @param writeLowWaterMark    a channel becomes writable again below this many pending bytes
 * @param writeHighWaterMark   a channel becomes unwritable (and its peer stops reading) above this many pending bytes
 */
public record ProxySettings(String listenAddress, int rwPort, int roPort, int statsPort, long roMaxLagBytes,
                            boolean roFallbackToPrimary, Duration holdTimeout, int maxConnections,
                            Duration connectTimeout, Duration leaderConfirmTimeout, Duration handshakeTimeout,
                            int writeLowWaterMark, int writeHighWaterMark) {

    public ProxySettings {
        Objects.requireNonNull(listenAddress, "listenAddress");
        requirePositive(holdTimeout, "holdTimeout");
        requirePositive(connectTimeout, "connectTimeout");
        requirePositive(leaderConfirmTimeout, "leaderConfirmTimeout");
        requirePositive(handshakeTimeout, "handshakeTimeout");
        if (maxConnections <= 0) {
            throw new IllegalArgumentException("maxConnections must be positive: " + maxConnections);
        }
        if (writeLowWaterMark <= 0 || writeHighWaterMark < writeLowWaterMark) {
            throw new IllegalArgumentException("need 0 < writeLowWaterMark <= writeHighWaterMark, got "
                    + writeLowWaterMark + ", " + writeHighWaterMark);
        }
        if (roMaxLagBytes < 0) {
            throw new IllegalArgumentException("roMaxLagBytes must not be negative: " + roMaxLagBytes);
        }
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this record's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.listenAddress = listenAddress;
        b.rwPort = rwPort;
        b.roPort = roPort;
        b.statsPort = statsPort;
        b.roMaxLagBytes = roMaxLagBytes;
        b.roFallbackToPrimary = roFallbackToPrimary;
        b.holdTimeout = holdTimeout;
        b.maxConnections = maxConnections;
        b.connectTimeout = connectTimeout;
        b.leaderConfirmTimeout = leaderConfirmTimeout;
        b.handshakeTimeout = handshakeTimeout;
        b.writeLowWaterMark = writeLowWaterMark;
        b.writeHighWaterMark = writeHighWaterMark;
        return b;
    }

    /** Mutable builder; defaults: 0.0.0.0, 5432/5433/8404, 1 MiB lag, fallback on, 30 s hold, 1000 connections. */
    public static final class Builder {
        private String listenAddress = "0.0.0.0";
        private int rwPort = 5432;
        private int roPort = 5433;
        private int statsPort = 8404;
        private long roMaxLagBytes = 1024 * 1024;
        private boolean roFallbackToPrimary = true;
        private Duration holdTimeout = Duration.ofSeconds(30);
        private int maxConnections = 1000;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration leaderConfirmTimeout = Duration.ofSeconds(30);
        private Duration handshakeTimeout = Duration.ofSeconds(10);
        private int writeLowWaterMark = 32 * 1024;
        private int writeHighWaterMark = 64 * 1024;

        private Builder() {
        }

        public Builder listenAddress(String v) {
            listenAddress = v;
            return this;
        }

        /** Sets the RW, RO and stats ports at once. */
        public Builder ports(int rw, int ro, int stats) {
            rwPort = rw;
            roPort = ro;
            statsPort = stats;
            return this;
        }

        public Builder roMaxLagBytes(long v) {
            roMaxLagBytes = v;
            return this;
        }

        public Builder roFallbackToPrimary(boolean v) {
            roFallbackToPrimary = v;
            return this;
        }

        public Builder holdTimeout(Duration v) {
            holdTimeout = v;
            return this;
        }

        public Builder maxConnections(int v) {
            maxConnections = v;
            return this;
        }

        public Builder connectTimeout(Duration v) {
            connectTimeout = v;
            return this;
        }

        public Builder leaderConfirmTimeout(Duration v) {
            leaderConfirmTimeout = v;
            return this;
        }

        public Builder handshakeTimeout(Duration v) {
            handshakeTimeout = v;
            return this;
        }

        /** Write-buffer water marks of every proxied channel, in bytes. */
        public Builder writeWaterMarks(int low, int high) {
            writeLowWaterMark = low;
            writeHighWaterMark = high;
            return this;
        }

        public ProxySettings build() {
            return new ProxySettings(listenAddress, rwPort, roPort, statsPort, roMaxLagBytes, roFallbackToPrimary,
                    holdTimeout, maxConnections, connectTimeout, leaderConfirmTimeout, handshakeTimeout,
                    writeLowWaterMark, writeHighWaterMark);
        }
    }
}
