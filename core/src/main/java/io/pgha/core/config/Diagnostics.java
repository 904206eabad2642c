package io.pgha.core.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects the problems of one load instead of stopping at the first, and remembers where each field was given so
 * that rules spanning several fields can point at the right line.
 */
final class Diagnostics {
    private final String file;
    private final List<ConfigError> errors = new ArrayList<>();
    private final Map<String, Location> locations = new HashMap<>();

    Diagnostics(String file) {
        this.file = file;
    }

    void error(Location at, String path, String message) {
        errors.add(new ConfigError(file, at, path, message));
    }

    /** Reports a value that does not fit: {@code found FOUND, expected EXPECTED}. */
    void mismatch(Location at, String path, String found, String expected) {
        error(at, path, "found " + found + ", expected " + expected);
    }

    void remember(String path, Location at) {
        locations.put(path, at);
    }

    /** Where exactly {@code path} was given; empty when it was not. */
    java.util.Optional<Location> givenAt(String path) {
        return java.util.Optional.ofNullable(locations.get(path));
    }

    /** Where {@code path} was given, else where its nearest given parent was, else the file start. */
    Location locationOf(String path) {
        String p = path;
        while (true) {
            Location at = locations.get(p);
            if (at != null) {
                return at;
            }
            int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
            if (cut <= 0) {
                return Location.START;
            }
            p = p.substring(0, cut);
        }
    }

    boolean hasErrors() {
        return !errors.isEmpty();
    }

    /** The errors in file order; a stable sort keeps the reporting order for errors at the same place. */
    List<ConfigError> errors() {
        List<ConfigError> sorted = new ArrayList<>(errors);
        sorted.sort(Comparator.comparingInt((ConfigError e) -> e.location().line())
                .thenComparingInt(e -> e.location().column()));
        return List.copyOf(sorted);
    }
}
