package io.pgha.core.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgha.core.dcs.MemberState;
import io.pgha.core.postgres.Lsn;
import io.pgha.core.postgres.PostgresState;
import io.pgha.core.postgres.Role;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A node counts as gone only when both its Postgres and its REST port refuse, on real loopback sockets. */
class RefusedPortsTest {
    private final RefusedPorts ports = new RefusedPorts(Duration.ofMillis(300));

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static MemberState member(int pgPort, int restPort) {
        return new MemberState("a", Role.PRIMARY, PostgresState.RUNNING, "http://127.0.0.1:" + restPort + "/patroni",
                "127.0.0.1", pgPort, 1, Lsn.ZERO, Map.of(), false, "");
    }

    @Test
    void bothPortsClosedIsGone() throws IOException {
        assertThat(ports.gone(member(closedPort(), closedPort()))).isTrue();
    }

    @Test
    void aListeningPostgresOrAgentIsNotGone() throws IOException {
        try (ServerSocket listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int open = listening.getLocalPort();
            assertThat(ports.gone(member(open, closedPort()))).as("postgres still listens").isFalse();
            assertThat(ports.gone(member(closedPort(), open))).as("the agent still listens").isFalse();
        }
    }

    @Test
    void aMissingOrIncompleteRecordIsNotProofOfDeath() throws IOException {
        assertThat(ports.gone(new MemberState("a", Role.PRIMARY, PostgresState.RUNNING, "", "", 0, 1, Lsn.ZERO,
                Map.of(), false, ""))).isFalse();
        assertThat(ports.gone(member(closedPort(), 0))).as("no REST port in its record").isFalse();
    }
}
