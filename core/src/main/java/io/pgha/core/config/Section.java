package io.pgha.core.config;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads the typed values of one YAML mapping. Each getter names a valid key, returns its value or the default, and
 * records a problem (returning the default) when the value does not fit, so one pass finds every error.
 * {@link #finish()} then rejects the keys no getter asked for, suggesting the nearest valid one.
 */
final class Section {
    private static final String DURATION = "a duration such as 500ms, 10s, 2m or 1h";
    private static final Duration ONE_MS = Duration.ofMillis(1);

    private final Diagnostics diagnostics;
    private final Environment env;
    private final String path;
    private final YamlNode.Mapping node;
    /** Where this section's key is (the file start for the root): absent keys are reported here. */
    private final Location anchor;
    private final Set<String> known = new LinkedHashSet<>();
    /** Keys that are recognised only to be rejected (inline secrets), so they are never suggested. */
    private final Set<String> rejected = new LinkedHashSet<>();

    private Section(Diagnostics diagnostics, Environment env, String path, YamlNode.Mapping node, Location anchor) {
        this.diagnostics = diagnostics;
        this.env = env;
        this.path = path;
        this.node = node;
        this.anchor = anchor;
    }

    /** The document root; a document that is not a mapping is reported and read as empty. */
    static Section root(YamlNode root, Diagnostics diagnostics, Environment env) {
        if (root instanceof YamlNode.Mapping m) {
            return new Section(diagnostics, env, "", m, Location.START);
        }
        if (!(root instanceof YamlNode.Scalar s && s.isNull())) {
            diagnostics.mismatch(root.location(), "<root>", root.describe(), "a mapping of sections");
        }
        return new Section(diagnostics, env, "", YamlNode.Mapping.empty(root.location()), Location.START);
    }

    Diagnostics diagnostics() {
        return diagnostics;
    }

    Environment environment() {
        return env;
    }

    String pathOf(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** The nested section {@code key}; absent or null reads as empty. */
    Section section(String key) {
        Optional<YamlNode> value = value(key);
        if (value.isPresent() && value.get() instanceof YamlNode.Mapping m) {
            return new Section(diagnostics, env, pathOf(key), m, locationOf(key));
        }
        value.ifPresent(v -> diagnostics.mismatch(v.location(), pathOf(key), v.describe(), "a mapping"));
        return new Section(diagnostics, env, pathOf(key), YamlNode.Mapping.empty(node.location()), locationOf(key));
    }

    /** The list of mappings {@code key}, one section per item ({@code key[0]}, {@code key[1]}, ...). */
    List<Section> sections(String key) {
        List<Section> result = new ArrayList<>();
        for (Item item : items(key)) {
            if (item.node() instanceof YamlNode.Mapping m) {
                diagnostics.remember(item.path(), m.location());
                result.add(new Section(diagnostics, env, item.path(), m, m.location()));
            } else {
                diagnostics.mismatch(item.node().location(), item.path(), item.node().describe(), "a mapping");
            }
        }
        return result;
    }

    /** Whether {@code key} is given with a non-null value. Does not count as reading it. */
    boolean has(String key) {
        YamlNode v = node.entries().get(key);
        return v != null && !(v instanceof YamlNode.Scalar s && s.isNull());
    }

    Optional<String> optionalString(String key) {
        return scalar(key, "a string").map(YamlNode.Scalar::text);
    }

    String string(String key, String fallback) {
        return optionalString(key).orElse(fallback);
    }

    /** A string that must match {@code format}; {@code expected} describes the format. */
    String matching(String key, String fallback, Pattern format, String expected) {
        return parsed(key, expected, text -> format.matcher(text).matches() ? Optional.of(text) : Optional.empty())
                .orElse(fallback);
    }

    int integer(String key, int fallback, int min, int max) {
        String expected = max == Integer.MAX_VALUE ? "an integer of at least " + min
                : "an integer from " + min + " to " + max;
        return integer(key, fallback, min, max, expected);
    }

    int port(String key, int fallback) {
        return integer(key, fallback, 1, 65_535, "a port number (1-65535)");
    }

    private int integer(String key, int fallback, int min, int max, String expected) {
        return parsed(key, expected, text -> {
            if (!text.matches("-?\\d{1,10}")) {
                return Optional.empty();
            }
            long v = Long.parseLong(text);
            return v >= min && v <= max ? Optional.of((int) v) : Optional.empty();
        }).orElse(fallback);
    }

    boolean bool(String key, boolean fallback) {
        return parsed(key, "true or false", Section::parseBoolean).orElse(fallback);
    }

    private static Optional<Boolean> parseBoolean(String text) {
        switch (text.toLowerCase(Locale.ROOT)) {
            case "true": case "yes": case "on":
                return Optional.of(true);
            case "false": case "no": case "off":
                return Optional.of(false);
            default:
                return Optional.empty();
        }
    }

    /** A duration of at least {@code min}. */
    Duration duration(String key, Duration fallback, Duration min) {
        Optional<YamlNode.Scalar> s = scalar(key, DURATION);
        if (s.isEmpty()) {
            return fallback;
        }
        Optional<Duration> d = DurationSyntax.parse(s.get().text());
        if (d.isEmpty()) {
            diagnostics.mismatch(s.get().location(), pathOf(key), s.get().describe(), DURATION);
            return fallback;
        }
        if (d.get().compareTo(min) < 0) {
            String expected = min.equals(ONE_MS) ? "a positive duration" : min.isZero() ? "a duration of 0s or more"
                    : "a duration of at least " + DurationSyntax.format(min);
            diagnostics.mismatch(s.get().location(), pathOf(key), s.get().describe(), expected);
            return fallback;
        }
        return d.get();
    }

    /** A positive duration. */
    Duration duration(String key, Duration fallback) {
        return duration(key, fallback, ONE_MS);
    }

    ByteSize size(String key, ByteSize fallback) {
        return parsed(key, "a size such as 0, 512kB, 16MB or 1GB", ByteSize::parse).orElse(fallback);
    }

    /** One of the constants of {@code type}, written in lower case; YAML booleans read as {@code on}/{@code off}. */
    <E extends Enum<E>> E choice(String key, E fallback, Class<E> type) {
        StringBuilder names = new StringBuilder();
        for (E constant : type.getEnumConstants()) {
            names.append(names.length() == 0 ? "" : ", ").append(constant.name().toLowerCase(Locale.ROOT));
        }
        return parsed(key, "one of " + names, text -> {
            String name = parseBoolean(text).map(b -> b ? "ON" : "OFF").orElse(text.toUpperCase(Locale.ROOT));
            for (E constant : type.getEnumConstants()) {
                if (constant.name().equals(name)) {
                    return Optional.of(constant);
                }
            }
            return Optional.empty();
        }).orElse(fallback);
    }

    /** An absolute path. */
    Optional<Path> path(String key) {
        return parsed(key, "an absolute path", text -> text.startsWith("/") ? Optional.of(Path.of(text))
                : Optional.empty());
    }

    /** A list of scalars, each converted by {@code parser}; {@code expected} describes one item. */
    <T> List<T> list(String key, String expected, Function<String, Optional<T>> parser) {
        List<T> result = new ArrayList<>();
        for (Item item : items(key)) {
            Optional<T> value = item.node() instanceof YamlNode.Scalar s && !s.isNull()
                    ? parser.apply(s.text()) : Optional.empty();
            if (value.isPresent()) {
                result.add(value.get());
            } else {
                diagnostics.mismatch(item.node().location(), item.path(), item.node().describe(), expected);
            }
        }
        return result;
    }

    /** A mapping of names to scalars (numbers and booleans kept as written). */
    Map<String, String> scalarMap(String key) {
        Map<String, String> result = new LinkedHashMap<>();
        Section inner = section(key);
        inner.node.entries().forEach((name, value) -> {
            inner.known.add(name);
            if (value instanceof YamlNode.Scalar s && !s.isNull()) {
                result.put(name, s.text());
                diagnostics.remember(inner.pathOf(name), s.location());
            } else {
                diagnostics.mismatch(value.location(), inner.pathOf(name), value.describe(),
                        "a string, number or boolean");
            }
        });
        return result;
    }

    /**
     * A secret {@code name} (such as {@code password}): from {@code envVar} if that is set, else from the file named by
     * {@code <name>_file}. Giving the secret itself under {@code name} is rejected, without echoing it.
     */
    Optional<Secret> secret(String name, Optional<String> envVar) {
        rejected.add(name);
        if (node.entries().containsKey(name)) {
            String alternatives = name + "_file" + envVar.map(v -> " or the environment variable " + v).orElse("");
            diagnostics.mismatch(locationOf(name), pathOf(name), "an inline " + name, alternatives);
        }
        Optional<Path> file = path(name + "_file");
        Optional<String> fromEnv = envVar.flatMap(env::variable);
        if (fromEnv.isPresent()) {
            return Optional.of(Secret.fromEnv(envVar.get(), fromEnv.get()));
        }
        return file.flatMap(f -> readSecret(name + "_file", f));
    }

    private Optional<Secret> readSecret(String key, Path file) {
        Location at = node.entries().get(key).location();
        try {
            String value = env.readFile(file).replaceAll("[\\r\\n]+$", "");
            if (value.isEmpty()) {
                diagnostics.mismatch(at, pathOf(key), "an empty file '" + file + "'", "a file containing the secret");
                return Optional.empty();
            }
            return Optional.of(Secret.fromFile(file, value));
        } catch (NoSuchFileException e) {
            diagnostics.mismatch(at, pathOf(key), "'" + file + "' (no such file)", "a readable file");
        } catch (AccessDeniedException e) {
            diagnostics.mismatch(at, pathOf(key), "'" + file + "' (permission denied)", "a readable file");
        } catch (IOException e) {
            diagnostics.mismatch(at, pathOf(key), "'" + file + "' (" + e.getClass().getSimpleName() + ")",
                    "a readable file");
        }
        return Optional.empty();
    }

    /** Where {@code key} was given, else where this section's own key is. */
    Location locationOf(String key) {
        return node.keyLocations().getOrDefault(key, anchor);
    }

    /** Reports every key of this mapping that no getter asked for. Call after all reads. */
    void finish() {
        for (String key : node.entries().keySet()) {
            if (known.contains(key) || rejected.contains(key)) {
                continue;
            }
            String message = NearestKey.suggest(key, known)
                    .map(k -> "unknown key '" + key + "', did you mean '" + k + "'?")
                    .orElse("unknown key '" + key + "', expected one of " + String.join(", ", known));
            diagnostics.error(locationOf(key), pathOf(key), message);
        }
    }

    private <T> Optional<T> parsed(String key, String expected, Function<String, Optional<T>> parser) {
        Optional<YamlNode.Scalar> s = scalar(key, expected);
        if (s.isEmpty()) {
            return Optional.empty();
        }
        Optional<T> value = parser.apply(s.get().text().trim());
        if (value.isEmpty()) {
            diagnostics.mismatch(s.get().location(), pathOf(key), s.get().describe(), expected);
        }
        return value;
    }

    private Optional<YamlNode.Scalar> scalar(String key, String expected) {
        Optional<YamlNode> value = value(key);
        if (value.isPresent() && !(value.get() instanceof YamlNode.Scalar)) {
            diagnostics.mismatch(value.get().location(), pathOf(key), value.get().describe(), expected);
            return Optional.empty();
        }
        return value.map(YamlNode.Scalar.class::cast);
    }

    private List<Item> items(String key) {
        Optional<YamlNode> value = value(key);
        if (value.isEmpty()) {
            return List.of();
        }
        if (!(value.get() instanceof YamlNode.Sequence seq)) {
            diagnostics.mismatch(value.get().location(), pathOf(key), value.get().describe(), "a list");
            return List.of();
        }
        List<Item> result = new ArrayList<>();
        for (int i = 0; i < seq.items().size(); i++) {
            result.add(new Item(pathOf(key) + "[" + i + "]", seq.items().get(i)));
        }
        return result;
    }

    /** The value of {@code key}; a YAML null ({@code key:} or {@code key: ~}) is absent and means the default. */
    private Optional<YamlNode> value(String key) {
        known.add(key);
        YamlNode v = node.entries().get(key);
        if (v == null || v instanceof YamlNode.Scalar s && s.isNull()) {
            return Optional.empty();
        }
        // Scalars are reported where the value is; sections and lists where their key is.
        diagnostics.remember(pathOf(key), v instanceof YamlNode.Scalar ? v.location() : locationOf(key));
        return Optional.of(v);
    }

    private record Item(String path, YamlNode node) {
    }
}
