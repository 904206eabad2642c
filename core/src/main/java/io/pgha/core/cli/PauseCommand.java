package io.pgha.core.cli;

import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** {@code pgha pause}: Maintenance mode: nothing is promoted or demoted automatically until pgha resume. */
@Command(name = "pause", mixinStandardHelpOptions = true,
        description = "Maintenance mode: nothing is promoted or demoted automatically until pgha resume.")
final class PauseCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    NodeTarget target;

    @Override
    public Integer call() throws InterruptedException {
        return NodeRequest.post(spec.commandLine(), target.client(spec.commandLine()), "/pause", "{}",
                Duration.ofSeconds(10));
    }
}
