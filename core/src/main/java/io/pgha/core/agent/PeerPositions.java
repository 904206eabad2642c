package io.pgha.core.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgha.core.dcs.MemberState;
import io.pgha.core.postgres.Lsn;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The replicas' WAL positions as they are now, read from their REST API ({@code GET /patroni}, Patroni's
 * {@code xlog}) before a race for a free leader key, as Patroni does before it promotes: a member's published
 * position is up to a cycle old, and right after the primary died the replica that received its last records must
 * win, or acknowledged commits on it are thrown away. A member that does not answer in time keeps its published
 * position.
 */
final class PeerPositions {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http;
    private final Duration timeout;

    PeerPositions(Duration timeout) {
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** The current positions of those of {@code members} that answered, by name; asked all at once. */
    Map<String, Lsn> read(List<MemberState> members) {
        Map<String, CompletableFuture<Optional<Lsn>>> asked = new HashMap<>();
        for (MemberState m : members) {
            try {
                URI status = URI.create(m.apiUrl() + "/patroni");
                HttpRequest request = HttpRequest.newBuilder(status).timeout(timeout).build();
                asked.put(m.name(), http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                        .thenApply(r -> r.statusCode() == 200 || r.statusCode() == 503 ? position(r.body())
                                : Optional.<Lsn>empty())
                        .exceptionally(e -> Optional.empty()));
            } catch (IllegalArgumentException e) {
                // no usable API URL in the record: keep the published position
            }
        }
        Map<String, Lsn> positions = new HashMap<>();
        asked.forEach((name, answer) -> answer.join().ifPresent(lsn -> positions.put(name, lsn)));
        return positions;
    }

    /** The furthest of {@code xlog.location}, {@code received_location} and {@code replayed_location}. */
    static Optional<Lsn> position(String patroniStatus) {
        try {
            JsonNode xlog = JSON.readTree(patroniStatus).path("xlog");
            long best = -1;
            for (String field : List.of("location", "received_location", "replayed_location")) {
                if (xlog.path(field).canConvertToLong()) {
                    best = Math.max(best, xlog.path(field).asLong());
                }
            }
            return best < 0 ? Optional.empty() : Optional.of(new Lsn(best));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
