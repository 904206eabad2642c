package io.pgha.core.cli;

import io.pgha.core.config.Environment;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** One run of the command line with captured output. */
record CliRun(int exitCode, String out, String err) {
    static CliRun of(Environment env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = PghaCommand.commandLine(env);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }

    /** The lines printed on stderr. */
    java.util.List<String> errLines() {
        return err.lines().toList();
    }
}
