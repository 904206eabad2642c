package io.pgha.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Loading good configurations: defaults, derived defaults, secrets, Patroni-style values, the shipped example. */
class ConfigLoaderTest {
    static final Path EXAMPLE = Path.of("../packaging/src/main/resources/pgha.example.yml");

    /** An environment holding every secret file the shipped example names. */
    static FakeEnvironment exampleEnvironment() {
        return new FakeEnvironment()
                .withFile("/etc/pgha/cluster.token", "t0ken\n")
                .withFile("/etc/pgha/superuser.pw", "su-secret\n")
                .withFile("/etc/pgha/replication.pw", "repl-secret\n")
                .withFile("/etc/pgha/app.pw", "app-secret\n")
                .withFile("/etc/pgha/rest.pw", "rest-secret\n");
    }

    @Test
    void emptyFileMeansEveryDefault() throws ConfigException {
        PghaConfig c = ConfigLoader.parse("pgha.yml", "", new FakeEnvironment());

        assertThat(c.cluster().name()).isEqualTo("pgha");
        assertThat(c.cluster().members()).isEmpty();
        assertThat(c.node()).isEqualTo(new NodeConfig("db1", "10.0.0.11", Path.of("/var/lib/pgha")));
        assertThat(c.store()).isEqualTo(new StoreConfig(2379, 2380, Duration.ofMillis(500), Duration.ofSeconds(1),
                10_000, Duration.ofSeconds(2), Duration.ofMinutes(10)));
        assertThat(c.postgres().dataDir()).isEqualTo(Path.of("/var/lib/pgha/pgdata"));
        assertThat(c.postgres().socketDir()).isEqualTo(Path.of("/var/lib/pgha/run"));
        assertThat(c.postgres().listen()).isEqualTo("10.0.0.11");
        assertThat(c.postgres().port()).isEqualTo(5442);
        assertThat(c.postgres().binDir()).contains(Path.of("/usr/lib/postgresql/16/bin"));
        assertThat(c.postgres().superuser()).isEqualTo(new PostgresConfig.Login("postgres", Optional.empty()));
        assertThat(c.postgres().replication().username()).isEqualTo("replicator");
        assertThat(c.ha()).isEqualTo(new HaConfig(Duration.ofSeconds(5), Duration.ofMillis(500),
                Duration.ofSeconds(1), Duration.ofSeconds(2), ByteSize.ofMegabytes(1), HaConfig.SynchronousMode.OFF,
                1, true, true, Duration.ZERO, new HaConfig.Tags(false, false, false, false, 1)));
        assertThat(c.rest()).isEqualTo(new RestConfig("10.0.0.11", 8008, Optional.empty(), Optional.empty()));
        assertThat(c.proxy()).isEqualTo(new ProxyConfig(true, "0.0.0.0", 5432, 5433, 8404, ByteSize.ofMegabytes(1),
                true, Duration.ofSeconds(5), 1000, Duration.ofSeconds(2)));
        assertThat(c.backup()).isEqualTo(new BackupConfig(false, "pgha", Path.of("/var/lib/pgbackrest"), 2,
                new BackupConfig.Schedule(new CronSchedule("0 1 * * 0"), new CronSchedule("0 1 * * 1-6"))));
        assertThat(c.hardening()).isEqualTo(new HardeningConfig(false, true, true, List.of()));
        assertThat(c.tls()).isEqualTo(new TlsConfig(false, Optional.empty(), Optional.empty(), Optional.empty()));
    }

    @Test
    void sectionsGivenAsNullOrCommentsOnlyAreDefaults() throws ConfigException {
        PghaConfig c = ConfigLoader.parse("pgha.yml", "# nothing yet\nha:\nproxy: ~\n", new FakeEnvironment());
        assertThat(c.ha().ttl()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void addressFallsBackToLoopbackWhenTheHostHasNone() throws ConfigException {
        PghaConfig c = ConfigLoader.parse("pgha.yml", "", new FakeEnvironment().withoutHostAddress());
        assertThat(c.node().address()).isEqualTo("127.0.0.1");
        assertThat(c.rest().listen()).isEqualTo("127.0.0.1");
    }

    @Test
    void derivedDefaultsFollowTheNodeSection() throws ConfigException {
        PghaConfig c = ConfigLoader.parse("pgha.yml", "cluster: {name: orders}\nnode:\n  data_dir: /data\n"
                + "  address: 192.168.1.5\n", new FakeEnvironment());
        assertThat(c.postgres().dataDir()).isEqualTo(Path.of("/data/pgdata"));
        assertThat(c.postgres().listen()).isEqualTo("192.168.1.5");
        assertThat(c.backup().stanza()).isEqualTo("orders");
    }

    @Test
    void patroniStyleValuesAreAccepted() throws ConfigException {
        String yaml = "ha:\n  ttl: 30\n  loop_wait: 10\n  retry_timeout: 10\n  maximum_lag_on_failover: 1048576\n"
                + "  synchronous_mode: true\n  use_pg_rewind: yes\n";
        HaConfig ha = ConfigLoader.parse("pgha.yml", yaml, new FakeEnvironment()).ha();
        assertThat(ha.ttl()).isEqualTo(Duration.ofSeconds(30));
        assertThat(ha.maximumLagOnFailover()).isEqualTo(ByteSize.ofMegabytes(1));
        assertThat(ha.synchronousMode()).isEqualTo(HaConfig.SynchronousMode.ON);
    }

    @Test
    void bareOnAndOffAreSynchronousModes() throws ConfigException {
        FakeEnvironment env = new FakeEnvironment();
        assertThat(ConfigLoader.parse("f", "ha: {synchronous_mode: on}", env).ha().synchronousMode())
                .isEqualTo(HaConfig.SynchronousMode.ON);
        assertThat(ConfigLoader.parse("f", "ha: {synchronous_mode: strict}", env).ha().synchronousMode())
                .isEqualTo(HaConfig.SynchronousMode.STRICT);
    }

    @Test
    void secretsComeFromFilesWithoutTheTrailingNewline() throws ConfigException {
        FakeEnvironment env = new FakeEnvironment().withFile("/etc/pgha/repl.pw", "s3cret\n");
        PghaConfig c = ConfigLoader.parse("f", "postgres:\n  replication:\n    password_file: /etc/pgha/repl.pw\n",
                env);
        Secret secret = c.postgres().replication().password().orElseThrow();
        assertThat(secret.reveal()).isEqualTo("s3cret");
        assertThat(secret.toString()).isEqualTo("Secret(file /etc/pgha/repl.pw, ********)").doesNotContain("s3cret");
        assertThat(c.toString()).doesNotContain("s3cret");
    }

    @Test
    void environmentVariableWinsOverTheFile() throws ConfigException {
        FakeEnvironment env = new FakeEnvironment().withVariable("PGHA_CLUSTER_TOKEN", "from-env");
        PghaConfig c = ConfigLoader.parse("f", "cluster:\n  token_file: /nowhere\n", env);
        assertThat(c.cluster().token().orElseThrow().reveal()).isEqualTo("from-env");
        assertThat(c.cluster().token().orElseThrow().envVar()).contains("PGHA_CLUSTER_TOKEN");
    }

    @Test
    void joinTakesTheStoreClientPortByDefault() throws ConfigException {
        PghaConfig c = ConfigLoader.parse("f", "cluster: {join: db1}\nstore: {client_port: 12379}\n",
                new FakeEnvironment());
        assertThat(c.cluster().join()).contains(new HostPort("db1", 12379));
    }

    @Test
    void configFileIsFlagThenEnvironmentThenDefault() {
        FakeEnvironment env = new FakeEnvironment();
        assertThat(ConfigLoader.locate(Optional.empty(), env)).isEqualTo(Path.of("/etc/pgha/pgha.yml"));
        env.withVariable("PGHA_CONFIG", "/srv/env.yml");
        assertThat(ConfigLoader.locate(Optional.empty(), env)).isEqualTo(Path.of("/srv/env.yml"));
        assertThat(ConfigLoader.locate(Optional.of("/srv/flag.yml"), env)).isEqualTo(Path.of("/srv/flag.yml"));
    }

    @Test
    void missingFileIsOneErrorInTheUsualFormat() {
        ConfigException e = org.assertj.core.api.Assertions.catchThrowableOfType(ConfigException.class,
                () -> ConfigLoader.load(Path.of("/etc/pgha/none.yml"), new FakeEnvironment()));
        assertThat(e.errors()).extracting(ConfigError::format)
                .containsExactly("/etc/pgha/none.yml:1:1: <file>: found no such file, expected a readable YAML file");
    }

    @Test
    void theShippedExampleIsValid() throws IOException, ConfigException {
        PghaConfig c = ConfigLoader.parse(EXAMPLE.toString(), Files.readString(EXAMPLE), exampleEnvironment());
        assertThat(c.cluster().members()).extracting(ClusterConfig.Member::name).containsExactly("db1", "db2", "db3");
        assertThat(c.ha().synchronousMode()).isEqualTo(HaConfig.SynchronousMode.ON);
        assertThat(c.postgres().parameters()).containsEntry("hot_standby", "on").containsEntry("shared_buffers", "2GB");
    }

    @Test
    void effectiveOutputLoadsBackToTheSameConfiguration() throws IOException, ConfigException {
        FakeEnvironment env = exampleEnvironment().withVariable("PGHA_REST_PASSWORD", "rest-from-env");
        PghaConfig original = ConfigLoader.parse("a.yml", Files.readString(EXAMPLE), env);

        String effective = ConfigRenderer.effective(original);

        assertThat(ConfigLoader.parse("b.yml", effective, env)).isEqualTo(original);
        assertThat(effective).contains("password_file: /etc/pgha/replication.pw", "ttl: 5s",
                "maximum_lag_on_failover: 1MB", "# rest.password is set from $PGHA_REST_PASSWORD");
        assertThat(effective).doesNotContain("secret", "t0ken", "rest-from-env");
    }

    @Test
    void maskedShowsTheFileAsWrittenButHidesInlineSecrets() {
        String text = "postgres:\n  superuser:\n    password: hunter2  # oops\n    password_file: /etc/pgha/su.pw\n"
                + "cluster: {name: x}\n  token:   abc\n";
        assertThat(ConfigRenderer.masked(text)).isEqualTo("postgres:\n  superuser:\n    password: '********'\n"
                + "    password_file: /etc/pgha/su.pw\ncluster: {name: x}\n  token: '********'\n");
    }

    @Test
    void maskedHidesFlowStyleSecretsToo() {
        assertThat(ConfigRenderer.masked("users:\n  - {name: app, password: s3cret, options: [LOGIN]}\n"))
                .isEqualTo("users:\n  - {name: app, password: '********', options: [LOGIN]}\n");
    }
}
