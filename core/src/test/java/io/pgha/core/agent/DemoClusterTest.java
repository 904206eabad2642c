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
    void theDefaultDemoIsAsynchronous(@TempDir Path dir) throws Exception {
        DemoCluster.prepare(dir);
        for (String node : new String[] {"node1", "node2", "node3"}) {
            assertThat(ConfigLoader.load(dir.resolve(node + ".yml"), Environment.system()).ha().synchronousMode())
                    .isEqualTo(HaConfig.SynchronousMode.OFF);
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
