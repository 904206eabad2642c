package io.pgha.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Each bad configuration yields exactly these lines, in the one error format. */
class ConfigErrorsTest {
    private static final String FILE = "pgha.yml";

    private FakeEnvironment env = new FakeEnvironment();

    private List<String> errors(String yaml) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(FILE, yaml, env));
        assertThat(e).as("expected the configuration to be rejected").isNotNull();
        return e.errors().stream().map(ConfigError::format).toList();
    }

    @Test
    void stringWhereAPortIsExpected() {
        assertThat(errors("postgres:\n  port: fivefourfourtwo\n"))
                .containsExactly("pgha.yml:2:9: postgres.port: found 'fivefourfourtwo', expected a port number"
                        + " (1-65535)");
    }

    @Test
    void portOutOfRange() {
        assertThat(errors("rest:\n  port: 70000\n"))
                .containsExactly("pgha.yml:2:9: rest.port: found 70000, expected a port number (1-65535)");
    }

    @Test
    void negativeDuration() {
        assertThat(errors("ha:\n  loop_wait: -1s\n"))
                .containsExactly("pgha.yml:2:14: ha.loop_wait: found '-1s', expected a positive duration");
    }

    @Test
    void malformedDuration() {
        assertThat(errors("ha:\n  ttl: 3 seconds\n"))
                .containsExactly("pgha.yml:2:8: ha.ttl: found '3 seconds', expected a duration such as 500ms, 10s,"
                        + " 2m or 1h");
    }

    @Test
    void misspeltKeyGetsTheNearestValidKey() {
        assertThat(errors("ha:\n  loop_wiat: 1s\n"))
                .containsExactly("pgha.yml:2:3: ha.loop_wiat: unknown key 'loop_wiat', did you mean 'loop_wait'?");
    }

    @Test
    void unknownTopLevelSection() {
        assertThat(errors("bakup:\n  enabled: true\n"))
                .containsExactly("pgha.yml:1:1: bakup: unknown key 'bakup', did you mean 'backup'?");
    }

    @Test
    void unknownKeyFarFromAnyListsTheValidOnes() {
        assertThat(errors("tls:\n  colour: blue\n"))
                .containsExactly("pgha.yml:2:3: tls.colour: unknown key 'colour', expected one of enabled, cert_file,"
                        + " key_file, ca_file");
    }

    @Test
    void nodeNameMissingWhenTheHostNameIsUnavailable() {
        env = new FakeEnvironment().withoutHostName();
        assertThat(errors("node:\n  address: 10.0.0.11\n"))
                .containsExactly("pgha.yml:1:1: node.name: found nothing (the host name is unavailable),"
                        + " expected a node name");
    }

    @Test
    void portCollisionBetweenPostgresAndTheProxy() {
        assertThat(errors("postgres:\n  port: 5432\n"))
                .containsExactly("pgha.yml:2:9: proxy.rw_port: found 5432, expected a port other than postgres.port"
                        + " (5432) on the same address");
    }

    @Test
    void portCollisionOnTheSameAddress() {
        assertThat(errors("rest:\n  port: 2379\n"))
                .containsExactly("pgha.yml:2:9: rest.port: found 2379, expected a port other than store.client_port"
                        + " (2379) on the same address");
    }

    @Test
    void samePortOnDifferentAddressesIsFine() throws ConfigException {
        PghaConfig config = ConfigLoader.parse(FILE, "proxy:\n  listen: 10.0.0.100\n  stats_port: 8008\n", env);
        assertThat(config.proxy().statsPort()).isEqualTo(config.rest().port());
    }

    @Test
    void duplicateMemberNames() {
        String yaml = "cluster:\n  members:\n    - {name: db1, address: 10.0.0.11}\n"
                + "    - {name: db1, address: 10.0.0.12}\n";
        assertThat(errors(yaml))
                .containsExactly("pgha.yml:4:14: cluster.members[1].name: found 'db1' a second time,"
                        + " expected unique member names");
    }

    @Test
    void ttlTooSmallForLoopWaitAndTwoRetries() {
        assertThat(errors("ha:\n  ttl: 3s\n  loop_wait: 2s\n"))
                .containsExactly("pgha.yml:2:8: ha.ttl: found 3s, expected at least ha.loop_wait"
                        + " + 2 * ha.retry_timeout = 4s");
    }

    @Test
    void ttlBelowTwoSeconds() {
        assertThat(errors("ha:\n  ttl: 1500ms\n  loop_wait: 100ms\n  retry_timeout: 200ms\n  safety_margin: 500ms\n"))
                .containsExactly("pgha.yml:2:8: ha.ttl: found 1500ms, expected at least 2s");
    }

    @Test
    void safetyMarginNotBelowTtl() {
        assertThat(errors("ha:\n  safety_margin: 5s\n"))
                .containsExactly("pgha.yml:2:18: ha.safety_margin: found 5s, expected less than ha.ttl (5s)");
    }

    @Test
    void unreadableSecretFile() {
        assertThat(errors("postgres:\n  replication:\n    password_file: /etc/pgha/repl.pw\n"))
                .containsExactly("pgha.yml:3:20: postgres.replication.password_file: found '/etc/pgha/repl.pw'"
                        + " (no such file), expected a readable file");
    }

    @Test
    void secretFileWithoutPermission() {
        env.withUnreadableFile("/etc/pgha/token");
        assertThat(errors("cluster:\n  token_file: /etc/pgha/token\n"))
                .containsExactly("pgha.yml:2:15: cluster.token_file: found '/etc/pgha/token' (permission denied),"
                        + " expected a readable file");
    }

    @Test
    void inlinePasswordIsRejectedWithoutEchoingIt() {
        List<String> errors = errors("postgres:\n  superuser:\n    password: hunter2\n");
        assertThat(errors).containsExactly("pgha.yml:3:5: postgres.superuser.password: found an inline password,"
                + " expected password_file or the environment variable PGHA_SUPERUSER_PASSWORD");
        assertThat(String.join("\n", errors)).doesNotContain("hunter2");
    }

    @Test
    void invalidYamlSyntaxReportsTheParsersPosition() {
        assertThat(errors("ha:\n  ttl: 3s\n    loop_wait: 1s\n"))
                .containsExactly("pgha.yml:3:14: <yaml>: invalid YAML: mapping values are not allowed here");
    }

    @Test
    void badEnumValue() {
        assertThat(errors("ha:\n  synchronous_mode: sometimes\n"))
                .containsExactly("pgha.yml:2:21: ha.synchronous_mode: found 'sometimes', expected one of off, on,"
                        + " strict");
    }

    @Test
    void badSize() {
        assertThat(errors("ha:\n  maximum_lag_on_failover: 16 MiB\n"))
                .containsExactly("pgha.yml:2:28: ha.maximum_lag_on_failover: found '16 MiB', expected a size such as"
                        + " 0, 512kB, 16MB or 1GB");
    }

    @Test
    void badCidr() {
        assertThat(errors("hardening:\n  allowed_client_cidrs:\n    - 10.0.0.0/8\n    - 10.0.0.0/33\n"))
                .containsExactly("pgha.yml:4:7: hardening.allowed_client_cidrs[1]: found '10.0.0.0/33', expected a"
                        + " CIDR such as 10.0.0.0/8 or fd00::/8");
    }

    @Test
    void cronWithTooFewFields() {
        assertThat(errors("backup:\n  schedule:\n    full: '0 1 * *'\n"))
                .containsExactly("pgha.yml:3:11: backup.schedule.full: found '0 1 * *', expected a cron expression"
                        + " with 5 fields (minute hour day-of-month month day-of-week)");
    }

    @Test
    void cronValueOutOfRange() {
        assertThat(errors("backup:\n  schedule:\n    diff: '0 25 * * 1-6'\n"))
                .containsExactly("pgha.yml:3:11: backup.schedule.diff: found '0 25 * * 1-6', expected a cron"
                        + " expression whose hour field is *, a value, a range or a step within 0-23 (got '25')");
    }

    @Test
    void tlsEnabledWithoutFiles() {
        env.withFile("/etc/pgha/ca.pem", "-----BEGIN CERTIFICATE-----");
        assertThat(errors("tls:\n  enabled: true\n  key_file: /etc/pgha/node.key\n  ca_file: /etc/pgha/ca.pem\n"))
                .containsExactly(
                        "pgha.yml:1:1: tls.cert_file: found nothing, expected a readable PEM file when tls.enabled"
                                + " is true",
                        "pgha.yml:3:13: tls.key_file: found '/etc/pgha/node.key' (missing or unreadable),"
                                + " expected a readable PEM file");
    }

    @Test
    void wrongTypeForASection() {
        assertThat(errors("ha: [1, 2]\n"))
                .containsExactly("pgha.yml:1:5: ha: found a list, expected a mapping");
    }

    @Test
    void duplicateKey() {
        assertThat(errors("ha:\n  ttl: 3s\n  ttl: 4s\n"))
                .containsExactly("pgha.yml:3:3: ha.ttl: duplicate key 'ttl', first given at line 2");
    }

    @Test
    void electionTimeoutBoundsReversed() {
        assertThat(errors("store:\n  election_timeout_min: 1s\n  election_timeout_max: 500ms\n"))
                .containsExactly("pgha.yml:2:25: store.election_timeout_min: found 1s, expected less than"
                        + " store.election_timeout_max (500ms)");
    }

    @Test
    void badClusterName() {
        assertThat(errors("cluster:\n  name: Prod_DB\n"))
                .containsExactly("pgha.yml:2:9: cluster.name: found 'Prod_DB', expected a name of lower-case"
                        + " letters, digits and '-' (1-63)");
    }

    @Test
    void managedPostgresParameter() {
        assertThat(errors("postgres:\n  parameters:\n    max_connections: 200\n    port: 5433\n"))
                .containsExactly("pgha.yml:4:11: postgres.parameters.port: found a parameter pgha sets itself,"
                        + " expected postgres.port instead");
    }

    @Test
    void relativePath() {
        assertThat(errors("node:\n  data_dir: var/lib/pgha\n"))
                .containsExactly("pgha.yml:2:13: node.data_dir: found 'var/lib/pgha', expected an absolute path");
    }

    @Test
    void restUsernameWithoutPassword() {
        assertThat(errors("rest:\n  username: admin\n"))
                .containsExactly("pgha.yml:2:13: rest.password_file: found nothing, expected a password file or"
                        + " PGHA_REST_PASSWORD, since rest.username is set");
    }

    @Test
    void unreadableRestPasswordIsReportedOnceNotAlsoAsMissing() {
        assertThat(errors("rest:\n  username: admin\n  password_file: /etc/pgha/rest.pw\n"))
                .containsExactly("pgha.yml:3:18: rest.password_file: found '/etc/pgha/rest.pw' (no such file),"
                        + " expected a readable file");
    }

    @Test
    void nodeThatIsNotAMemberOfTheListedCluster() {
        String yaml = "cluster:\n  members:\n    - {name: db1, address: 10.0.0.11}\n"
                + "    - {name: db2, address: 10.0.0.12}\nnode:\n  name: db9\n";
        assertThat(errors(yaml)).containsExactly("pgha.yml:6:9: node.name: found 'db9', expected one of"
                + " cluster.members (db1, db2), or cluster.join to add this node");
    }

    @Test
    void secondYamlDocument() {
        assertThat(errors("ha:\n  ttl: 3s\n---\nha:\n  ttl: 4s\n"))
                .containsExactly("pgha.yml:4:1: <yaml>: found a second document, expected one YAML document");
    }

    @Test
    void documentThatIsNotAMapping() {
        assertThat(errors("- just\n- a list\n"))
                .containsExactly("pgha.yml:1:1: <root>: found a list, expected a mapping of sections");
    }

    @Test
    void severalErrorsAreReportedTogetherInFileOrder() {
        String yaml = "cluster:\n  name: pgha\nha:\n  loop_wiat: 1s\n  synchronous_mode: sometimes\n"
                + "postgres:\n  port: 99999\n  superuser:\n    password: secret\nproxy:\n  hold_timeout: soon\n";
        assertThat(errors(yaml)).containsExactly(
                "pgha.yml:4:3: ha.loop_wiat: unknown key 'loop_wiat', did you mean 'loop_wait'?",
                "pgha.yml:5:21: ha.synchronous_mode: found 'sometimes', expected one of off, on, strict",
                "pgha.yml:7:9: postgres.port: found 99999, expected a port number (1-65535)",
                "pgha.yml:9:5: postgres.superuser.password: found an inline password, expected password_file or the"
                        + " environment variable PGHA_SUPERUSER_PASSWORD",
                "pgha.yml:11:17: proxy.hold_timeout: found 'soon', expected a duration such as 500ms, 10s, 2m or 1h");
    }
}
