package io.pgha.core.cli;

import io.pgha.core.agent.RestClient;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code pgha reinit MEMBER}: a replica wipes its data and clones again ({@code POST /reinitialize}). */
@Command(name = "reinit", mixinStandardHelpOptions = true,
        description = "Wipe a replica's data directory and clone it again from the leader.")
final class ReinitCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    NodeTarget target;

    @Parameters(index = "0", paramLabel = "MEMBER", description = "The replica to re-clone.")
    String member;

    @Override
    public Integer call() throws InterruptedException {
        Optional<RestClient> node = NodeRequest.member(spec.commandLine(), target.client(spec.commandLine()), member);
        if (node.isEmpty()) {
            return ExitCodes.FAILED;
        }
        return NodeRequest.post(spec.commandLine(), node.get(), "/reinitialize", "{}", Duration.ofSeconds(30));
    }
}
