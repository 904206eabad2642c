package io.pgha.core.config;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A classic five-field cron expression: minute, hour, day of month, month, day of week. Each field takes {@code *},
 * numbers, ranges {@code a-b}, steps {@code * /n} or {@code a-b/n}, and comma lists; month and day of week also take
 * names ({@code JAN}, {@code SUN}); day of week 0 and 7 are both Sunday.
 *
 * @param expression the expression as written, with single spaces
 */
public record CronSchedule(String expression) {
    private static final List<String> FIELD_NAMES = List.of("minute", "hour", "day of month", "month", "day of week");
    private static final int[] MIN = {0, 0, 1, 1, 0};
    private static final int[] MAX = {59, 23, 31, 12, 7};
    private static final List<String> MONTHS = List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP",
            "OCT", "NOV", "DEC");
    private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");

    /** What is wrong with {@code text}, phrased to follow "expected", or empty when it is a valid expression. */
    public static Optional<String> problem(String text) {
        String[] fields = text.trim().split("\\s+");
        if (fields.length != 5) {
            return Optional.of("a cron expression with 5 fields (minute hour day-of-month month day-of-week)");
        }
        for (int i = 0; i < fields.length; i++) {
            for (String part : fields[i].split(",", -1)) {
                if (!validPart(part, i)) {
                    return Optional.of("a cron expression whose " + FIELD_NAMES.get(i) + " field is *, a value, a range"
                            + " or a step within " + MIN[i] + "-" + MAX[i] + " (got '" + fields[i] + "')");
                }
            }
        }
        return Optional.empty();
    }

    /** Parses {@code text}; empty if {@link #problem(String)} finds something wrong. */
    public static Optional<CronSchedule> parse(String text) {
        if (problem(text).isPresent()) {
            return Optional.empty();
        }
        return Optional.of(new CronSchedule(String.join(" ", text.trim().split("\\s+"))));
    }

    private static boolean validPart(String part, int field) {
        String range = part;
        int slash = part.indexOf('/');
        if (slash >= 0) {
            String step = part.substring(slash + 1);
            if (!step.matches("\\d{1,2}") || Integer.parseInt(step) == 0) {
                return false;
            }
            range = part.substring(0, slash);
        }
        if ("*".equals(range)) {
            return true;
        }
        int dash = range.indexOf('-');
        if (dash < 0) {
            return value(range, field) >= 0;
        }
        int from = value(range.substring(0, dash), field);
        int to = value(range.substring(dash + 1), field);
        return from >= 0 && to >= 0 && from <= to;
    }

    /** The numeric value of one field value, or -1 when it is not valid for the field. */
    private static int value(String text, int field) {
        String upper = text.toUpperCase(Locale.ROOT);
        int v;
        if (field == 3 && MONTHS.contains(upper)) {
            v = MONTHS.indexOf(upper) + 1;
        } else if (field == 4 && DAYS.contains(upper)) {
            v = DAYS.indexOf(upper);
        } else if (text.matches("\\d{1,2}")) {
            v = Integer.parseInt(text);
        } else {
            return -1;
        }
        return v >= MIN[field] && v <= MAX[field] ? v : -1;
    }

    @Override
    public String toString() {
        return expression;
    }
}
