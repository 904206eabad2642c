package io.pgha.core.config;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An amount of bytes, written like PostgreSQL sizes with 1024-based units: {@code 16MB}, {@code 1kB}, {@code 1GB};
 * a bare integer is bytes (Patroni's {@code maximum_lag_on_failover: 1048576} keeps working).
 *
 * @param bytes the amount, never negative
 */
public record ByteSize(long bytes) {
    private static final Pattern FORMAT = Pattern.compile("(\\d{1,18})\\s*(B|kB|MB|GB|TB)?", Pattern.CASE_INSENSITIVE);
    private static final String[] UNITS = {"TB", "GB", "MB", "kB"};

    public ByteSize {
        if (bytes < 0) {
            throw new IllegalArgumentException("a size cannot be negative: " + bytes);
        }
    }

    public static ByteSize ofMegabytes(long mb) {
        return new ByteSize(mb * 1024 * 1024);
    }

    /** Parses {@code text}; empty if it is not a size. */
    public static Optional<ByteSize> parse(String text) {
        Matcher m = FORMAT.matcher(text.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        long amount = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "B" : m.group(2).toUpperCase(Locale.ROOT);
        int shift = switchShift(unit);
        if (shift > 0 && amount > (Long.MAX_VALUE >> shift)) {
            return Optional.empty();
        }
        return Optional.of(new ByteSize(amount << shift));
    }

    private static int switchShift(String unit) {
        switch (unit) {
            case "KB":
                return 10;
            case "MB":
                return 20;
            case "GB":
                return 30;
            case "TB":
                return 40;
            default:
                return 0;
        }
    }

    /** The largest unit that represents the size exactly: {@code 1MB}, {@code 1536kB}, {@code 100B}. */
    @Override
    public String toString() {
        for (int i = 0; i < UNITS.length; i++) {
            long unit = 1L << (10 * (UNITS.length - i));
            if (bytes != 0 && bytes % unit == 0) {
                return bytes / unit + UNITS[i];
            }
        }
        return bytes + "B";
    }
}
