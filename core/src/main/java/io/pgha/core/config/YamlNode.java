package io.pgha.core.config;

import java.util.List;
import java.util.Map;

/** The parsed YAML document as a tree that keeps where every node starts, so errors can point at it. */
sealed interface YamlNode {
    Location location();

    /** A short description for "found ..." messages; scalars describe themselves with their text. */
    String describe();

    /** What kind of scalar the YAML parser saw (YAML resolves {@code on}, {@code yes}, {@code true} to booleans). */
    enum ScalarKind { STRING, INTEGER, FLOAT, BOOLEAN, NULL }

    /** A scalar with its source text; {@code text} is what the user wrote, without quotes. */
    record Scalar(String text, ScalarKind kind, Location location) implements YamlNode {
        @Override
        public String describe() {
            return kind == ScalarKind.STRING ? "'" + text + "'" : text;
        }

        boolean isNull() {
            return kind == ScalarKind.NULL;
        }
    }

    /** A mapping; keys keep their order and their own locations. */
    record Mapping(Map<String, YamlNode> entries, Map<String, Location> keyLocations, Location location)
            implements YamlNode {
        public Mapping {
            entries = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(entries));
            keyLocations = Map.copyOf(keyLocations);
        }

        static Mapping empty(Location at) {
            return new Mapping(Map.of(), Map.of(), at);
        }

        @Override
        public String describe() {
            return "a mapping";
        }
    }

    /** A sequence. */
    record Sequence(List<YamlNode> items, Location location) implements YamlNode {
        public Sequence {
            items = List.copyOf(items);
        }

        @Override
        public String describe() {
            return "a list";
        }
    }
}
