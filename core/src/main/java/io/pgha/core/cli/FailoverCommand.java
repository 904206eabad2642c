package io.pgha.core.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pgha failover}: promote a chosen replica when there is no healthy primary ({@code POST /failover}). */
@Command(name = "failover", mixinStandardHelpOptions = true,
        description = "Promote a chosen replica in a cluster without a healthy primary.")
final class FailoverCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    NodeTarget target;

    @Option(names = "--candidate", paramLabel = "NAME", required = true, description = "The replica to promote.")
    String candidate;

    @Option(names = "--force", description = "Promote it even if it lags beyond maximum_lag_on_failover or is tagged "
            + "nofailover (acknowledged writes it has not received are lost).")
    boolean force;

    @Override
    public Integer call() throws InterruptedException {
        String body = new ObjectMapper().createObjectNode().put("candidate", candidate).put("force", force)
                .toString();
        return NodeRequest.post(spec.commandLine(), target.client(spec.commandLine()), "/failover", body,
                Duration.ofSeconds(90));
    }
}
