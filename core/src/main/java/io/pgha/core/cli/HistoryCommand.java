package io.pgha.core.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgha.core.agent.RestClient;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** {@code pgha history}: the timeline switches ({@code GET /history}), like {@code patronictl history}. */
@Command(name = "history", mixinStandardHelpOptions = true,
        description = "Show the timeline history: every failover and switchover.")
final class HistoryCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    NodeTarget target;

    @Override
    public Integer call() throws InterruptedException {
        RestClient client = target.client(spec.commandLine());
        try {
            RestClient.Answer a = client.get("/history");
            if (a.code() != 200) {
                spec.commandLine().getErr().println("pgha history: " + a.body() + " (HTTP " + a.code() + ")");
                return ExitCodes.FAILED;
            }
            var out = spec.commandLine().getOut();
            out.printf("%-4s %-14s %-32s %-30s %s%n", "TL", "LSN", "Reason", "Timestamp", "New Leader");
            for (JsonNode e : new ObjectMapper().readTree(a.body())) {
                out.printf("%-4s %-14s %-32s %-30s %s%n", e.path(0).asText(), e.path(1).asText(), e.path(2).asText(),
                        e.path(3).asText(), e.path(4).asText());
            }
            return ExitCodes.OK;
        } catch (IOException e) {
            spec.commandLine().getErr().println("pgha history: cannot read " + client.base() + "/history: "
                    + e.getMessage());
            return ExitCodes.FAILED;
        }
    }
}
