package io.pgha.core.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.pgha.core.dcs.ClusterView;
import io.pgha.core.dcs.MemberState;
import io.pgha.core.dcs.SyncState;
import io.pgha.core.postgres.Lsn;
import io.pgha.core.postgres.PostgresState;
import io.pgha.core.postgres.Role;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Live WAL positions read from the peers' REST API before a leader race, over real HTTP on loopback. */
class PeerPositionsTest {

    private static MemberState replica(String name, String apiUrl, long lsn) {
        return new MemberState(name, Role.REPLICA, PostgresState.RUNNING, apiUrl, "127.0.0.1", 5442, 1, new Lsn(lsn),
                Map.of(), false, "");
    }

    private static HttpServer serving(String body) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/patroni", ex -> {
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.start();
        return server;
    }

    @Test
    void aPeerThatAnswersGivesItsFurthestPositionOneThatDoesNotIsLeftOut() throws IOException {
        HttpServer b = serving("{\"state\":\"running\",\"role\":\"replica\",\"xlog\":{\"received_location\":5000,"
                + "\"replayed_location\":4000}}");
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        try {
            String url = "http://127.0.0.1:" + b.getAddress().getPort();
            Map<String, Lsn> read = new PeerPositions(Duration.ofMillis(500)).read(List.of(replica("b", url, 100),
                    replica("c", "http://127.0.0.1:" + closed, 100), replica("d", "not a url", 100)));
            assertThat(read).containsExactly(Map.entry("b", new Lsn(5000)));
        } finally {
            b.stop(0);
        }
    }

    @Test
    void theStatusBodyIsReadAsPatroniWritesIt() {
        assertThat(PeerPositions.position("{\"xlog\":{\"location\":77}}")).contains(new Lsn(77));
        assertThat(PeerPositions.position("{\"xlog\":{}}")).isEmpty();
        assertThat(PeerPositions.position("not json")).isEmpty();
    }

    @Test
    void aFresherPositionReplacesThePublishedOneButNeverMovesItBack() {
        ClusterView view = new ClusterView("t", 9, Optional.empty(), Optional.empty(),
                List.of(replica("b", "", 100), replica("c", "", 300)), Optional.empty(), Optional.empty(),
                SyncState.empty(), List.of(), Optional.empty());
        ClusterView fresh = view.withPositions(Map.of("b", new Lsn(400), "c", new Lsn(200)));
        assertThat(fresh.member("b").map(MemberState::lsn)).contains(new Lsn(400));
        assertThat(fresh.member("c").map(MemberState::lsn)).contains(new Lsn(300));
    }
}
