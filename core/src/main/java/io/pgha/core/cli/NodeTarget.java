package io.pgha.core.cli;

import io.pgha.core.agent.RestClient;
import io.pgha.core.config.ConfigException;
import io.pgha.core.config.ConfigLoader;
import io.pgha.core.config.HostPort;
import io.pgha.core.config.PghaConfig;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** Which node's REST API a client command talks to: {@code --host}, else the local configuration's rest address. */
final class NodeTarget {
    @Option(names = "--host", paramLabel = "HOST[:PORT]", description = "A node's REST API (default: this node's).")
    String host;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Configuration file (default: $PGHA_CONFIG, else /etc/pgha/pgha.yml).")
    String config;

    /** The local configuration, if it can be read. */
    Optional<PghaConfig> localConfig(CommandLine cli) {
        PghaCommand root = cli.getParent() == null ? null : cli.getParent().getCommand();
        var env = root == null ? io.pgha.core.config.Environment.system() : root.environment();
        String flag = config != null ? config : root == null ? null : root.config;
        try {
            return Optional.of(ConfigLoader.load(ConfigLoader.locate(Optional.ofNullable(flag), env), env));
        } catch (ConfigException e) {
            return Optional.empty();
        }
    }

    /** The REST login of the local configuration, for the mutating endpoints. */
    Optional<String> authorization(CommandLine cli) {
        return localConfig(cli).flatMap(c -> new io.pgha.core.agent.AgentSettings(c).restAuthorization());
    }

    RestClient client(CommandLine cli) {
        Optional<PghaConfig> local = localConfig(cli);
        int defaultPort = local.map(c -> c.rest().port()).orElse(8008);
        if (host != null) {
            HostPort hp = HostPort.parse(host, defaultPort).orElseThrow(() -> new CommandLine.ParameterException(cli,
                    "--host: found '" + host + "', expected HOST[:PORT]"));
            return withAuth(new RestClient(hp.host(), hp.port()), local);
        }
        RestClient client = local.map(c -> new RestClient(c.rest().listen().equals("0.0.0.0") ? c.node().address()
                : c.rest().listen(), c.rest().port())).orElse(new RestClient("127.0.0.1", defaultPort));
        return withAuth(client, local);
    }

    /** The mutating endpoints need the REST credentials when the local configuration sets them. */
    private static RestClient withAuth(RestClient client, Optional<PghaConfig> local) {
        return local.filter(c -> c.rest().username().isPresent() && c.rest().password().isPresent())
                .map(c -> client.withBasicAuth(c.rest().username().get(), c.rest().password().get().reveal()))
                .orElse(client);
    }
}
