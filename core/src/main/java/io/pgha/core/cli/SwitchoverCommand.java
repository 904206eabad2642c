package io.pgha.core.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgha.core.agent.RestClient;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pgha switchover}: planned handover of the primary role ({@code POST /switchover}, Patroni's body). */
@Command(name = "switchover", mixinStandardHelpOptions = true,
        description = "Planned handover of the primary role to a healthy replica.")
final class SwitchoverCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    NodeTarget target;

    @Option(names = "--leader", paramLabel = "NAME", description = "The current leader (default: read from the "
            + "cluster); the switchover is refused if it is not the leader.")
    String leader;

    @Option(names = "--candidate", paramLabel = "NAME", description = "The member to hand over to (default: the "
            + "best eligible replica).")
    String candidate;

    @Option(names = "--scheduled", paramLabel = "TIME", description = "When, as ISO 8601 with a time zone (e.g. "
            + "2026-11-22T03:00:00+00:00); default now.")
    String scheduled;

    // patronictl asks for confirmation unless --force; pgha never prompts, so scripts written for patronictl that pass
    // --force keep working. It does not relax any eligibility check (that is `pgha failover --force`).
    @Option(names = "--force", description = "Accepted for patronictl compatibility: pgha never asks for "
            + "confirmation. Does not skip any check.")
    boolean force;

    @Override
    public Integer call() throws InterruptedException {
        RestClient client = target.client(spec.commandLine());
        String from = leader;
        if (from == null) {
            try {
                Optional<String> current = NodeRequest.leader(client);
                if (current.isEmpty()) {
                    spec.commandLine().getErr().println("pgha switchover: the cluster has no leader; use pgha "
                            + "failover --candidate NAME");
                    return ExitCodes.FAILED;
                }
                from = current.get();
            } catch (IOException e) {
                spec.commandLine().getErr().println("pgha switchover: cannot read " + client.base() + "/cluster: "
                        + e.getMessage());
                return ExitCodes.FAILED;
            }
        }
        ObjectNode body = new ObjectMapper().createObjectNode().put("leader", from);
        if (candidate != null) {
            body.put("candidate", candidate);
        }
        if (scheduled != null && !scheduled.equals("now")) {
            body.put("scheduled_at", scheduled);
        }
        return NodeRequest.post(spec.commandLine(), client, "/switchover", body.toString(), Duration.ofSeconds(90));
    }
}
