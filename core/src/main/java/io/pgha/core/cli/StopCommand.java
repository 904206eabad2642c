package io.pgha.core.cli;

import io.pgha.core.agent.DataDirLock;
import io.pgha.core.agent.NodeAgent;
import io.pgha.core.config.PghaConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pgha stop}: stop the local agent (SIGTERM to the PID in its lock file); Postgres only with --postgres. */
@Command(name = "stop", mixinStandardHelpOptions = true,
        description = "Stop the agent on this node. Postgres keeps running unless --postgres is given.")
final class StopCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    NodeTarget target;

    @Option(names = "--postgres", description = "Stop Postgres too (fast shutdown).")
    boolean postgres;

    @Override
    public Integer call() throws IOException {
        var err = spec.commandLine().getErr();
        Optional<PghaConfig> config = target.localConfig(spec.commandLine());
        if (config.isEmpty()) {
            err.println("pgha stop: cannot read the configuration (use -c FILE)");
            return ExitCodes.USAGE;
        }
        Path dataDir = config.get().node().dataDir();
        Optional<ProcessHandle> agent = DataDirLock.readPid(dataDir.resolve("pgha.lock"))
                .flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive);
        if (agent.isEmpty()) {
            err.println("pgha stop: no agent runs on " + dataDir);
            return ExitCodes.FAILED;
        }
        if (postgres) {
            Files.writeString(dataDir.resolve(NodeAgent.STOP_POSTGRES_MARKER), "requested by pgha stop\n");
        }
        agent.get().destroy();
        try {
            agent.get().onExit().get(2, TimeUnit.MINUTES);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            err.println("pgha stop: agent pid " + agent.get().pid() + " did not exit within 2 minutes");
            return ExitCodes.FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCodes.FAILED;
        }
        spec.commandLine().getOut().println("stopped agent pid " + agent.get().pid()
                + (postgres ? " and its postgres" : " (postgres keeps running)"));
        return ExitCodes.OK;
    }
}
