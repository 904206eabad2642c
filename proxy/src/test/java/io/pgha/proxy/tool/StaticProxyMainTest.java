package io.pgha.proxy.tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgha.proxy.Backend;
import org.junit.jupiter.api.Test;

class StaticProxyMainTest {

    @Test
    void parsesPortsAndBackends() {
        StaticProxyMain.Args a = StaticProxyMain.parse(new String[] {"--listen", "127.0.0.1", "--rw-port", "16433",
            "--rw-backend", "127.0.0.1:16432", "--ro-backend", "10.0.0.2:5432", "--stats-port", "16435"});
        assertThat(a.listen()).isEqualTo("127.0.0.1");
        assertThat(a.rwPort()).isEqualTo(16433);
        assertThat(a.roPort()).isZero();
        assertThat(a.statsPort()).isEqualTo(16435);
        assertThat(a.rw().sameEndpoint(Backend.primary("primary", "127.0.0.1", 16432))).isTrue();
        assertThat(a.ro()).singleElement().satisfies(b -> {
            assertThat(b.host()).isEqualTo("10.0.0.2");
            assertThat(b.port()).isEqualTo(5432);
        });
    }

    @Test
    void defaultsToLoopbackWithoutStats() {
        StaticProxyMain.Args a = StaticProxyMain.parse(new String[] {"--rw-backend", "db:5432"});
        assertThat(a.listen()).isEqualTo("127.0.0.1");
        assertThat(a.statsPort()).isNegative();
        assertThat(a.ro()).isEmpty();
    }

    @Test
    void rejectsMissingBackendUnknownOptionsAndBadPorts() {
        assertThatThrownBy(() -> StaticProxyMain.parse(new String[] {"--rw-port", "1"}))
                .hasMessageContaining("--rw-backend");
        assertThatThrownBy(() -> StaticProxyMain.parse(new String[] {"--nope", "1"}))
                .hasMessageContaining("unknown option");
        assertThatThrownBy(() -> StaticProxyMain.parse(new String[] {"--rw-backend", "db"}))
                .hasMessageContaining("host:port");
        assertThatThrownBy(() -> StaticProxyMain.parse(new String[] {"--rw-backend", "db:x"}))
                .hasMessageContaining("not a port");
        assertThatThrownBy(() -> StaticProxyMain.parse(new String[] {"--rw-backend"}))
                .hasMessageContaining("missing value");
    }
}
