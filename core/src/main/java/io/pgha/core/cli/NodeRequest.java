package io.pgha.core.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgha.core.agent.RestClient;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine;

/** The shared part of the commands that send one request to the REST API and print its answer (STYLE P10). */
final class NodeRequest {
    private NodeRequest() {
    }

    /** Sends {@code POST path} to {@code client}, prints the answer; exit 0 on 200/202, else 1. */
    static int post(CommandLine cli, RestClient client, String path, String json, Duration timeout)
            throws InterruptedException {
        try {
            RestClient.Answer a = client.post(path, json, timeout);
            (a.ok() ? cli.getOut() : cli.getErr()).println(a.ok() ? a.body() : "pgha " + cli.getCommandName() + ": "
                    + a.body() + " (HTTP " + a.code() + ")");
            return a.ok() ? ExitCodes.OK : ExitCodes.FAILED;
        } catch (IOException e) {
            cli.getErr().println("pgha " + cli.getCommandName() + ": cannot reach " + client.base() + path + ": "
                    + e.getMessage());
            return ExitCodes.FAILED;
        }
    }

    /** The client of member {@code name}'s own REST API, from {@code /cluster}; empty (with a message) if unknown. */
    static Optional<RestClient> member(CommandLine cli, RestClient any, String name) throws InterruptedException {
        try {
            for (JsonNode m : any.cluster().path("members")) {
                if (m.path("name").asText().equals(name) && !m.path("api_url").asText().isEmpty()) {
                    return Optional.of(RestClient.ofUrl(m.path("api_url").asText()));
                }
            }
            cli.getErr().println("pgha " + cli.getCommandName() + ": no member named '" + name + "' in the cluster");
        } catch (IOException | IllegalArgumentException e) {
            cli.getErr().println("pgha " + cli.getCommandName() + ": cannot read " + any.base() + "/cluster: "
                    + e.getMessage());
        }
        return Optional.empty();
    }

    /** The leader's name from {@code /cluster}, if there is one. */
    static Optional<String> leader(RestClient any) throws IOException, InterruptedException {
        JsonNode l = any.cluster().path("leader");
        return l.isTextual() ? Optional.of(l.asText()) : Optional.empty();
    }
}
