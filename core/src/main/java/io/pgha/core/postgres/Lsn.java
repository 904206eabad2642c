package io.pgha.core.postgres;

/**
 * A WAL location (pg_lsn) as an unsigned 64-bit byte position. Postgres prints it as two hex halves, {@code 0/3000060}.
 * Comparison is unsigned, as in Postgres.
 */
public record Lsn(long value) implements Comparable<Lsn> {
    public static final Lsn ZERO = new Lsn(0);

    /** Parses Postgres' text form {@code XXX/YYY}; throws {@link IllegalArgumentException} on anything else. */
    public static Lsn parse(String text) {
        int slash = text.indexOf('/');
        if (slash <= 0 || slash == text.length() - 1) {
            throw new IllegalArgumentException("not an LSN (expected hex/hex such as 0/3000060): " + text);
        }
        long hi = Long.parseUnsignedLong(text.substring(0, slash), 16);
        long lo = Long.parseUnsignedLong(text.substring(slash + 1), 16);
        if (hi > 0xFFFFFFFFL || lo > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("LSN half out of range: " + text);
        }
        return new Lsn(hi << 32 | lo);
    }

    /** Bytes by which this position is behind {@code ahead}; 0 if this one is not behind. */
    public long bytesBehind(Lsn ahead) {
        return Long.compareUnsigned(ahead.value, value) > 0 ? ahead.value - value : 0;
    }

    @Override
    public int compareTo(Lsn other) {
        return Long.compareUnsigned(value, other.value);
    }

    @Override
    public String toString() {
        return Long.toHexString(value >>> 32).toUpperCase() + "/" + Long.toHexString(value & 0xFFFFFFFFL).toUpperCase();
    }
}
