package io.pgha.core.config;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks {@code postgres.parameters} values against what the running Postgres says it accepts ({@code pg_settings}:
 * type, unit, range, enum values), with the units and spellings Postgres itself takes, so that a value Postgres would
 * refuse at reload (and silently keep the old one) is refused before it is written to the store.
 */
public final class ParameterCheck {
    private static final Pattern NUMBER_UNIT = Pattern.compile("\\s*([-+]?[0-9]+(?:\\.[0-9]+)?)\\s*([A-Za-z]*)\\s*");
    private static final Map<String, Long> MEMORY = Map.of("B", 1L, "kB", 1024L, "MB", 1024L * 1024,
            "GB", 1024L * 1024 * 1024, "TB", 1024L * 1024 * 1024 * 1024);
    private static final Map<String, Double> TIME = Map.of("us", 0.001, "ms", 1.0, "s", 1000.0, "min", 60_000.0,
            "h", 3_600_000.0, "d", 86_400_000.0);
    private static final List<String> BOOLEANS = List.of("on", "off", "true", "false", "yes", "no", "1", "0");

    /**
     * One row of {@code pg_settings}.
     *
     * @param name     the parameter
     * @param vartype  bool, integer, real, string or enum
     * @param unit     the base unit (kB, 8kB, MB, B, ms, s, min), or empty
     * @param min      the minimum, for numbers
     * @param max      the maximum, for numbers
     * @param enumvals the allowed values, for enums
     * @param context  postmaster (needs a restart), sighup, user...
     */
    public record Spec(String name, String vartype, String unit, String min, String max, List<String> enumvals,
                       String context) {
        /** Whether a change takes a Postgres restart rather than a reload. */
        public boolean needsRestart() {
            return context.equals("postmaster");
        }
    }

    private ParameterCheck() {
    }

    /** Problems of {@code parameters} against {@code specs} (by name), as {@code FIELD: found X, expected Y}. */
    public static List<String> problems(Map<String, String> parameters, Map<String, Spec> specs) {
        List<String> out = new ArrayList<>();
        parameters.forEach((name, value) -> {
            String field = "postgres.parameters." + name;
            Spec spec = specs.get(name);
            if (spec == null) {
                if (!name.contains(".")) {
                    String hint = NearestKey.suggest(name, specs.keySet()).map(s -> ", did you mean '" + s + "'?")
                            .orElse("");
                    out.add(field + ": unknown parameter '" + name + "' (not in pg_settings)" + hint);
                }
                return;
            }
            expected(spec, value).ifPresent(expected -> out.add(field + ": found '" + value + "', expected "
                    + expected));
        });
        return out;
    }

    /** What {@code spec} expects, when {@code value} does not fit it. */
    static Optional<String> expected(Spec spec, String value) {
        return switch (spec.vartype()) {
            case "bool" -> BOOLEANS.contains(value.strip().toLowerCase(Locale.ROOT)) ? Optional.empty()
                    : Optional.of("on or off");
            case "enum" -> spec.enumvals().stream().anyMatch(v -> v.equalsIgnoreCase(value.strip()))
                    ? Optional.empty() : Optional.of("one of " + String.join(", ", spec.enumvals()));
            case "integer", "real" -> number(spec, value);
            default -> Optional.empty();
        };
    }

    private static Optional<String> number(Spec spec, String value) {
        String unitKind = MEMORY.containsKey(baseUnit(spec.unit())) ? "memory" : TIME.containsKey(spec.unit())
                ? "time" : "";
        String what = (spec.vartype().equals("integer") ? "an integer" : "a number")
                + (unitKind.equals("memory") ? " with an optional unit B, kB, MB, GB or TB"
                : unitKind.equals("time") ? " with an optional unit us, ms, s, min, h or d" : "")
                + range(spec);
        Matcher m = NUMBER_UNIT.matcher(value);
        if (!m.matches()) {
            return Optional.of(what);
        }
        BigDecimal number = new BigDecimal(m.group(1));
        String unit = m.group(2);
        double inBase;
        if (unit.isEmpty()) {
            if (spec.vartype().equals("integer") && number.scale() > 0) {
                return Optional.of(what);
            }
            inBase = number.doubleValue();
        } else if (unitKind.equals("memory") && MEMORY.containsKey(unit)) {
            inBase = number.doubleValue() * MEMORY.get(unit) / unitBytes(spec.unit());
        } else if (unitKind.equals("time") && TIME.containsKey(unit)) {
            inBase = number.doubleValue() * TIME.get(unit) / TIME.get(spec.unit());
        } else {
            return Optional.of(what);
        }
        double min = parse(spec.min(), Double.NEGATIVE_INFINITY);
        double max = parse(spec.max(), Double.POSITIVE_INFINITY);
        return inBase < min || inBase > max ? Optional.of(what) : Optional.empty();
    }

    private static String range(Spec spec) {
        if (spec.min() == null || spec.max() == null || spec.min().isEmpty()) {
            return "";
        }
        String unit = spec.unit() == null || spec.unit().isEmpty() ? "" : " " + spec.unit();
        return " between " + spec.min() + " and " + spec.max() + unit;
    }

    /** {@code 8kB} is a base unit of 8 kB (shared_buffers, wal_buffers): the unit name without its multiplier. */
    private static String baseUnit(String unit) {
        return unit == null ? "" : unit.replaceFirst("^[0-9]+", "");
    }

    private static double unitBytes(String unit) {
        Matcher m = Pattern.compile("([0-9]*)([A-Za-z]+)").matcher(unit);
        if (!m.matches()) {
            return 1;
        }
        long times = m.group(1).isEmpty() ? 1 : Long.parseLong(m.group(1));
        return (double) times * MEMORY.get(m.group(2));
    }

    private static double parse(String s, double fallback) {
        try {
            return s == null || s.isEmpty() ? fallback : Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
