package io.pgha.core.cli;

import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** {@code pgha resume}: Leave maintenance mode: automatic failover resumes. */
@Command(name = "resume", mixinStandardHelpOptions = true,
        description = "Leave maintenance mode: automatic failover resumes.")
final class ResumeCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    NodeTarget target;

    @Override
    public Integer call() throws InterruptedException {
        return NodeRequest.post(spec.commandLine(), target.client(spec.commandLine()), "/resume", "{}",
                Duration.ofSeconds(10));
    }
}
