package io.pgha.core.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgha.core.config.ConfigLoader;
import io.pgha.core.config.Environment;
import io.pgha.core.config.HaConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's node files load as they are, and {@code --sync} reaches every node's {@code ha.synchronous_mode}. */
class DemoClusterTest {

    @Test
    void theDefaultDemoIsAsynchronousWithTheProductsHaTimings(@TempDir Path dir) throws Exception {
        DemoCluster.prepare(dir);
        HaConfig defaults = ConfigLoader.load(dir.resolve("node1.yml"), Environment.system()).ha();
        for (String node : new String[] {"node1", "node2", "node3"}) {
            HaConfig ha = ConfigLoader.load(dir.resolve(node + ".yml"), Environment.system()).ha();
            assertThat(ha.synchronousMode()).isEqualTo(HaConfig.SynchronousMode.OFF);
            assertThat(ha.ttl()).isEqualTo(java.time.Duration.ofSeconds(5));
            assertThat(ha.loopWait()).isEqualTo(java.time.Duration.ofMillis(500));
            assertThat(ha).isEqualTo(defaults);
        }
    }

    @Test
    void syncTurnsSynchronousModeOnForEveryNode(@TempDir Path dir) throws Exception {
        DemoCluster.prepare(dir, true);
        for (String node : new String[] {"node1", "node2", "node3"}) {
            assertThat(ConfigLoader.load(dir.resolve(node + ".yml"), Environment.system()).ha().synchronousMode())
                    .isEqualTo(HaConfig.SynchronousMode.ON);
        }
    }
}
