package io.pgha.core.cli;

import io.pgha.core.agent.RestClient;
import io.pgha.core.config.ConfigException;
import io.pgha.core.config.DynamicConfig;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code pgha show-config}: Print the dynamic, cluster-wide configuration stored in the cluster. */
@Command(name = "show-config", mixinStandardHelpOptions = true,
        description = "Print the dynamic, cluster-wide configuration stored in the cluster (YAML).")
final class ShowConfigCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    NodeTarget target;

    @Override
    public Integer call() throws InterruptedException {
        RestClient client = target.client(spec.commandLine());
        try {
            RestClient.Answer a = client.getConfig();
            if (a.code() != 200) {
                spec.commandLine().getErr().println("pgha show-config: " + client.base() + "/config answered "
                        + a.code() + ": " + a.body().strip());
                return ExitCodes.FAILED;
            }
            spec.commandLine().getOut().print(DynamicConfig.toYaml(DynamicConfig.parse(a.body())));
            spec.commandLine().getOut().flush();
            return ExitCodes.OK;
        } catch (IOException | ConfigException e) {
            spec.commandLine().getErr().println("pgha show-config: cannot read " + client.base() + "/config: "
                    + e.getMessage());
            return ExitCodes.FAILED;
        }
    }
}
