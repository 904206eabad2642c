package io.pgha.core.cli;

import io.pgha.core.config.ConfigError;
import io.pgha.core.config.ConfigException;
import io.pgha.core.config.ConfigLoader;
import io.pgha.core.config.Environment;
import io.pgha.core.config.HostPort;
import io.pgha.core.config.PghaConfig;
import io.pgha.core.agent.AgentStartException;
import io.pgha.core.agent.NodeAgent;
import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** Runs the node agent. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the node agent; bootstraps a new cluster if none exists, or joins one with --join.")
final class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    PghaCommand parent;

    @Option(names = "--join", paramLabel = "HOST[:PORT]", description = "Join the cluster that this member belongs to.")
    String join;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Configuration file (default: $PGHA_CONFIG, else /etc/pgha/pgha.yml).")
    String config;

    @Override
    public Integer call() {
        return runAgent(spec.commandLine().getErr(), parent.environment(), config != null ? config : parent.config,
                join != null ? join : parent.join);
    }

    /**
     * Resolves and validates the configuration before anything starts: a bad file or --join prints every error and
     * exits 2. The agent itself is not in this build, so a good configuration ends in exit 1 with a notice.
     */
    static int runAgent(PrintWriter err, Environment env, String configFlag, String joinFlag) {
        return runAgent(err, env, configFlag, joinFlag, false);
    }

    /** As {@link #runAgent(PrintWriter, Environment, String, String)}, as a witness when {@code witness}. */
    static int runAgent(PrintWriter err, Environment env, String configFlag, String joinFlag, boolean witness) {
        Path file = ConfigLoader.locate(Optional.ofNullable(configFlag), env);
        PghaConfig config;
        try {
            config = ConfigLoader.load(file, env);
        } catch (ConfigException e) {
            e.errors().stream().map(ConfigError::format).forEach(err::println);
            return ExitCodes.USAGE;
        }
        if (joinFlag != null) {
            Optional<HostPort> target = HostPort.parse(joinFlag, config.store().clientPort());
            if (target.isEmpty()) {
                err.println("pgha: --join: found '" + joinFlag + "', expected HOST[:PORT]");
                return ExitCodes.USAGE;
            }
            config = new PghaConfig(config.cluster().withJoin(target.get()), config.node(), config.store(),
                    config.postgres(), config.ha(), config.rest(), config.proxy(), config.backup(),
                    config.hardening(), config.tls());
        }
        return runUntilStopped(err, config, witness);
    }

    /** Starts the agent and blocks until SIGTERM/SIGINT; the shutdown hook stops it (and never Postgres unasked). */
    static int runUntilStopped(PrintWriter err, PghaConfig config) {
        return runUntilStopped(err, config, false);
    }

    private static int runUntilStopped(PrintWriter err, PghaConfig config, boolean witness) {
        NodeAgent agent;
        try {
            agent = witness ? NodeAgent.startWitness(config) : NodeAgent.start(config);
        } catch (AgentStartException e) {
            err.println("pgha: " + e.getMessage());
            err.flush();
            return e.badConfig() ? ExitCodes.USAGE : ExitCodes.FAILED;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            agent.close();
            stopped.countDown();
        }, "pgha-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return ExitCodes.OK;
    }
}
