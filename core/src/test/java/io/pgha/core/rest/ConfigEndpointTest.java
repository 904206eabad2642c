package io.pgha.core.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgha.core.config.ParameterCheck;
import io.pgha.core.dcs.ConfigKey;
import io.pgha.store.testing.InMemoryKv;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** PATCH /config against the store's reference model: validation first, then a compare-and-set. */
class ConfigEndpointTest {
    private static final String SEED = "{\"postgres\":{\"parameters\":{\"work_mem\":\"4MB\"}},\"ha\":{\"ttl\":\"3s\"}}";
    private static final Map<String, ParameterCheck.Spec> PG = Map.of(
            "work_mem", new ParameterCheck.Spec("work_mem", "integer", "kB", "64", "2147483647", List.of(), "user"));

    private final ConfigKey key = new ConfigKey(new InMemoryKv(), "demo", Duration.ofSeconds(5));
    private final ConfigEndpoint endpoint = new ConfigEndpoint(key, () -> PG, Optional.empty());

    @Test
    void getIs502BeforeBootstrapAndThenTheDocumentWithItsRevision() {
        assertThat(endpoint.get().code()).isEqualTo(502);
        assertThat(key.compareAndSet(SEED, 0)).isTrue();
        assertThat(key.compareAndSet(SEED, 0)).as("a second seed").isFalse();
        ConfigEndpoint.Reply r = endpoint.get();
        assertThat(r.code()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(SEED);
        assertThat(r.revision()).contains(key.read().orElseThrow().modRevision());
    }

    @Test
    void aValidPatchIsMergedAndWritten() {
        key.compareAndSet(SEED, 0);
        long rev = key.read().orElseThrow().modRevision();
        ConfigEndpoint.Reply r = endpoint.patch("{\"postgres\":{\"parameters\":{\"work_mem\":\"8MB\"}}}",
                Optional.of("\"" + rev + "\""), Optional.empty());
        assertThat(r.code()).isEqualTo(200);
        assertThat(key.read().orElseThrow().value()).contains("\"work_mem\":\"8MB\"").contains("\"ttl\":\"3s\"");
        assertThat(r.revision().orElseThrow()).isGreaterThan(rev);
    }

    @Test
    void anInvalidValueIs400AndTheKeyIsUnchanged() {
        key.compareAndSet(SEED, 0);
        ConfigKey.Stored before = key.read().orElseThrow();
        ConfigEndpoint.Reply r = endpoint.patch("{\"postgres\":{\"parameters\":{\"work_mem\":\"banana\"}}}",
                Optional.empty(), Optional.empty());
        assertThat(r.code()).isEqualTo(400);
        assertThat(r.body()).startsWith("postgres.parameters.work_mem: found 'banana', expected an integer")
                .endsWith("nothing was written");
        assertThat(endpoint.patch("{\"ha\":{\"ttl\":\"1s\"}}", Optional.empty(), Optional.empty()).code())
                .isEqualTo(400);
        assertThat(endpoint.patch("not json", Optional.empty(), Optional.empty()).code()).isEqualTo(400);
        assertThat(key.read()).contains(before);
    }

    @Test
    void anEditBasedOnAnOldRevisionIs409AndWritesNothing() {
        key.compareAndSet(SEED, 0);
        long read = key.read().orElseThrow().modRevision();
        assertThat(endpoint.patch("{\"ha\":{\"ttl\":\"4s\"}}", Optional.of(String.valueOf(read)), Optional.empty())
                .code()).isEqualTo(200);
        ConfigKey.Stored first = key.read().orElseThrow();
        ConfigEndpoint.Reply second = endpoint.patch("{\"ha\":{\"ttl\":\"5s\"}}", Optional.of(String.valueOf(read)),
                Optional.empty());
        assertThat(second.code()).isEqualTo(409);
        assertThat(second.body()).contains("changed by someone else").contains("nothing was written");
        assertThat(key.read()).contains(first);
    }

    @Test
    void parametersNeedAnAnsweringPostgresAndPatchNeedsTheLoginWhenOneIsSet() {
        key.compareAndSet(SEED, 0);
        ConfigEndpoint down = new ConfigEndpoint(key, () -> {
            throw new java.sql.SQLException("Connection refused");
        }, Optional.of("Basic dTpw"));
        String patch = "{\"postgres\":{\"parameters\":{\"work_mem\":\"8MB\"}}}";
        assertThat(down.patch(patch, Optional.empty(), Optional.empty()).code()).isEqualTo(401);
        ConfigEndpoint.Reply r = down.patch(patch, Optional.empty(), Optional.of("Basic dTpw"));
        assertThat(r.code()).isEqualTo(503);
        assertThat(r.body()).contains("Connection refused");
        assertThat(down.patch("{\"ha\":{\"ttl\":\"4s\"}}", Optional.empty(), Optional.of("Basic dTpw")).code())
                .as("no parameter changed: no need to ask Postgres").isEqualTo(200);
    }
}
