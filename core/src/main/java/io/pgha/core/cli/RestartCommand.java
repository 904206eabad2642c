package io.pgha.core.cli;

import io.pgha.core.agent.RestClient;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code pgha restart MEMBER}: restart one member's Postgres ({@code POST /restart} on that member). */
@Command(name = "restart", mixinStandardHelpOptions = true,
        description = "Restart the Postgres of one member (its role is kept).")
final class RestartCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    NodeTarget target;

    @Parameters(index = "0", paramLabel = "MEMBER", description = "The member to restart.")
    String member;

    @Option(names = "--pending", description = "Only if a changed parameter needs a restart.")
    boolean pending;

    @Override
    public Integer call() throws InterruptedException {
        Optional<RestClient> node = NodeRequest.member(spec.commandLine(), target.client(spec.commandLine()), member);
        if (node.isEmpty()) {
            return ExitCodes.FAILED;
        }
        return NodeRequest.post(spec.commandLine(), node.get(), "/restart",
                pending ? "{\"restart_pending\":true}" : "{}", Duration.ofMinutes(6));
    }
}
