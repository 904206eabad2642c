package io.pgha.core.config;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The duration syntax of the configuration: an integer and a unit, {@code ms}, {@code s}, {@code m}, {@code h} or
 * {@code d} ({@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}); a bare integer is seconds, as in Patroni.
 */
public final class DurationSyntax {
    private static final Pattern FORMAT = Pattern.compile("(-?\\d{1,15})\\s*(ms|s|m|h|d)?");

    private DurationSyntax() {
    }

    /** Parses {@code text}; empty if it is not a duration. Negative durations parse, so callers can say why not. */
    public static Optional<Duration> parse(String text) {
        Matcher m = FORMAT.matcher(text.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            Duration d = of(Long.parseLong(m.group(1)), m.group(2) == null ? "s" : m.group(2));
            d.toMillis();
            return Optional.of(d);
        } catch (ArithmeticException e) {
            return Optional.empty(); // longer than anything that makes sense, and unprintable in milliseconds
        }
    }

    private static Duration of(long amount, String unit) {
        switch (unit) {
            case "ms":
                return Duration.ofMillis(amount);
            case "m":
                return Duration.ofMinutes(amount);
            case "h":
                return Duration.ofHours(amount);
            case "d":
                return Duration.ofDays(amount);
            default:
                return Duration.ofSeconds(amount);
        }
    }

    /** Formats with the largest unit that represents {@code d} exactly: {@code 3s}, {@code 1500ms}, {@code 2m}. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms == 0) {
            return "0s";
        }
        if (ms % 86_400_000L == 0) {
            return ms / 86_400_000L + "d";
        }
        if (ms % 3_600_000L == 0) {
            return ms / 3_600_000L + "h";
        }
        if (ms % 60_000L == 0) {
            return ms / 60_000L + "m";
        }
        if (ms % 1000L == 0) {
            return ms / 1000L + "s";
        }
        return ms + "ms";
    }
}
