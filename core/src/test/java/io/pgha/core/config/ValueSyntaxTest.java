package io.pgha.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** Durations, sizes, cron expressions, CIDRs, host:port and key suggestions. */
class ValueSyntaxTest {
    @Test
    void durations() {
        assertThat(DurationSyntax.parse("500ms")).contains(Duration.ofMillis(500));
        assertThat(DurationSyntax.parse("10s")).contains(Duration.ofSeconds(10));
        assertThat(DurationSyntax.parse("2m")).contains(Duration.ofMinutes(2));
        assertThat(DurationSyntax.parse("1h")).contains(Duration.ofHours(1));
        assertThat(DurationSyntax.parse("30")).contains(Duration.ofSeconds(30));
        assertThat(DurationSyntax.parse("1.5s")).isEmpty();
        assertThat(DurationSyntax.parse("10 sec")).isEmpty();
        assertThat(DurationSyntax.parse("999999999999999d")).isEmpty();
        assertThat(DurationSyntax.format(Duration.ofMillis(3500))).isEqualTo("3500ms");
        assertThat(DurationSyntax.format(Duration.ofSeconds(120))).isEqualTo("2m");
    }

    @Property(tries = 200)
    void durationFormatParsesBack(@ForAll @LongRange(min = 0, max = 10_000_000_000L) long millis) {
        Duration d = Duration.ofMillis(millis);
        assertThat(DurationSyntax.parse(DurationSyntax.format(d))).contains(d);
    }

    @Test
    void sizes() {
        assertThat(ByteSize.parse("16MB")).contains(new ByteSize(16L << 20));
        assertThat(ByteSize.parse("1kB")).contains(new ByteSize(1024));
        assertThat(ByteSize.parse("1GB")).contains(new ByteSize(1L << 30));
        assertThat(ByteSize.parse("100")).contains(new ByteSize(100));
        assertThat(ByteSize.parse("16 MiB")).isEmpty();
        assertThat(ByteSize.parse("-1MB")).isEmpty();
        assertThat(new ByteSize(1536 * 1024).toString()).isEqualTo("1536kB");
    }

    @Property(tries = 200)
    void sizeFormatParsesBack(@ForAll @LongRange(min = 0, max = 1L << 50) long bytes) {
        assertThat(ByteSize.parse(new ByteSize(bytes).toString())).contains(new ByteSize(bytes));
    }

    @Test
    void cronExpressions() {
        assertThat(CronSchedule.problem("0 1 * * 0")).isEmpty();
        assertThat(CronSchedule.problem("*/15 0-6,22,23 1 JAN-JUN mon-fri")).isEmpty();
        assertThat(CronSchedule.problem("0 1 * * 7")).isEmpty();
        assertThat(CronSchedule.problem("60 1 * * 0")).isPresent();
        assertThat(CronSchedule.problem("0 1 0 * 0")).isPresent();
        assertThat(CronSchedule.problem("0 1 * * 1-")).isPresent();
        assertThat(CronSchedule.problem("0 5-1 * * *")).isPresent();
        assertThat(CronSchedule.problem("*/0 * * * *")).isPresent();
        assertThat(CronSchedule.problem("@daily")).isPresent();
    }

    @Test
    void cidrs() {
        assertThat(Cidr.parse("10.0.0.0/8")).contains(new Cidr("10.0.0.0", 8));
        assertThat(Cidr.parse("192.168.1.7")).contains(new Cidr("192.168.1.7", 32));
        assertThat(Cidr.parse("fd00::/8")).contains(new Cidr("fd00::", 8));
        assertThat(Cidr.parse("10.0.0.0/33")).isEmpty();
        assertThat(Cidr.parse("256.0.0.0/8")).isEmpty();
        assertThat(Cidr.parse("example.com/24")).isEmpty();
        assertThat(Cidr.parse("fd00::/129")).isEmpty();
    }

    @Test
    void hostPorts() {
        assertThat(HostPort.parse("db1", 2379)).contains(new HostPort("db1", 2379));
        assertThat(HostPort.parse("10.0.0.11:12379", 2379)).contains(new HostPort("10.0.0.11", 12379));
        assertThat(HostPort.parse("[fd00::1]:2379", 1)).contains(new HostPort("fd00::1", 2379));
        assertThat(HostPort.parse("db1:99999", 2379)).isEmpty();
        assertThat(HostPort.parse("db 1", 2379)).isEmpty();
    }

    @Test
    void nearestKeyCountsATranspositionAsOneEdit() {
        assertThat(NearestKey.distance("loop_wiat", "loop_wait")).isEqualTo(1);
        assertThat(NearestKey.suggest("loop_wiat", java.util.List.of("ttl", "loop_wait"))).contains("loop_wait");
        assertThat(NearestKey.suggest("colour", java.util.List.of("enabled", "cert_file"))).isEmpty();
        assertThat(NearestKey.suggest("TTL", java.util.List.of("ttl"))).contains("ttl");
    }
}
