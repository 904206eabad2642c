package io.pgha.core.postgres;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** How far a clone is: pg_basebackup's {@code --progress} line, e.g. {@code 22312/32123 kB (69%), 0/1 tablespace}. */
public record CloneProgress(long doneKb, long totalKb, int percent) {
    private static final Pattern LINE = Pattern.compile("\\s*(\\d+)/(\\d+) kB \\((\\d+)%\\).*");

    /** Parses one progress line; empty for any other output line. */
    public static Optional<CloneProgress> parse(String line) {
        Matcher m = LINE.matcher(line);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new CloneProgress(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)),
                Integer.parseInt(m.group(3))));
    }

    @Override
    public String toString() {
        return doneKb + "/" + totalKb + " kB (" + percent + "%)";
    }
}
