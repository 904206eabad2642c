package io.pgha.core.postgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A timeline history file ({@code pg_wal/0000000N.history}), which Postgres writes on promotion: one line per
 * ancestor timeline, {@code <parent tli> <switch LSN> <reason>}, oldest first.
 */
public final class TimelineHistory {
    private TimelineHistory() {
    }

    /** One switch away from {@code timeline} at {@code switchLsn}. */
    public record Switch(long timeline, Lsn switchLsn, String reason) {
    }

    /** The file name of {@code timeline}'s history. */
    public static String fileName(long timeline) {
        return String.format(Locale.ROOT, "%08X.history", timeline);
    }

    /** Reads the history of {@code timeline} from {@code dataDir}; timeline 1 has none. */
    public static List<Switch> read(Path dataDir, long timeline) {
        if (timeline <= 1) {
            return List.of();
        }
        Path file = dataDir.resolve("pg_wal").resolve(fileName(timeline));
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new PostgresException("cannot read the timeline history " + file + ": " + e.getMessage(), e);
        }
    }

    /** Parses the file's text; comment and blank lines are skipped, as Postgres does. */
    public static List<Switch> parse(String text) {
        List<Switch> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            String[] f = l.split("\\s+", 3);
            if (f.length < 2) {
                throw new PostgresException("malformed timeline history line: " + l);
            }
            out.add(new Switch(Long.parseLong(f[0]), Lsn.parse(f[1]), f.length > 2 ? f[2].strip() : ""));
        }
        return out;
    }
}
