package io.pgha.core.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/** Reads YAML text into a {@link YamlNode} tree with locations, reporting syntax errors and duplicate keys. */
final class YamlTree {
    private static final YAMLFactory FACTORY = new YAMLFactory();

    private YamlTree() {
    }

    /**
     * Parses {@code text}. An empty document is an empty mapping. Returns empty when the text is not valid YAML; the
     * syntax error is then in {@code diagnostics}, at the line and column the parser gave.
     */
    static Optional<YamlNode> parse(String text, Diagnostics diagnostics) {
        try (JsonParser parser = FACTORY.createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return Optional.of(YamlNode.Mapping.empty(Location.START));
            }
            YamlNode root = read(parser, diagnostics, "");
            if (parser.nextToken() != null) {
                // A second document would otherwise be ignored without a word.
                diagnostics.mismatch(locationOf(parser), "<yaml>", "a second document", "one YAML document");
            }
            return Optional.of(root);
        } catch (JsonProcessingException e) {
            syntaxError(e, diagnostics);
            return Optional.empty();
        } catch (IOException e) {
            diagnostics.error(Location.START, "<yaml>", "cannot be parsed: " + e.getMessage());
            return Optional.empty();
        }
    }

    private static void syntaxError(JsonProcessingException e, Diagnostics diagnostics) {
        if (e.getCause() instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
            String context = marked.getContext() == null ? "" : marked.getContext() + ": ";
            Location at = new Location(marked.getProblemMark().getLine() + 1, marked.getProblemMark().getColumn() + 1);
            diagnostics.error(at, "<yaml>", "invalid YAML: " + context + marked.getProblem());
            return;
        }
        JsonLocation loc = e.getLocation();
        Location at = loc == null ? Location.START : new Location(Math.max(1, loc.getLineNr()),
                Math.max(1, loc.getColumnNr()));
        String message = e.getOriginalMessage() == null ? "unreadable" : e.getOriginalMessage().lines().findFirst()
                .orElse("unreadable");
        diagnostics.error(at, "<yaml>", "invalid YAML: " + message);
    }

    private static YamlNode read(JsonParser parser, Diagnostics diagnostics, String path) throws IOException {
        Location at = locationOf(parser);
        JsonToken token = parser.currentToken();
        if (token == JsonToken.START_OBJECT) {
            return readMapping(parser, diagnostics, path, at);
        }
        if (token == JsonToken.START_ARRAY) {
            List<YamlNode> items = new ArrayList<>();
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                items.add(read(parser, diagnostics, path + "[" + items.size() + "]"));
            }
            return new YamlNode.Sequence(items, at);
        }
        return new YamlNode.Scalar(parser.getText(), kindOf(token), at);
    }

    private static YamlNode readMapping(JsonParser parser, Diagnostics diagnostics, String path, Location at)
            throws IOException {
        Map<String, YamlNode> entries = new LinkedHashMap<>();
        Map<String, Location> keys = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            Location keyAt = locationOf(parser);
            String keyPath = path.isEmpty() ? key : path + "." + key;
            parser.nextToken();
            YamlNode value = read(parser, diagnostics, keyPath);
            if (keys.containsKey(key)) {
                diagnostics.error(keyAt, keyPath, "duplicate key '" + key + "', first given at line "
                        + keys.get(key).line());
                continue;
            }
            entries.put(key, value);
            keys.put(key, keyAt);
        }
        return new YamlNode.Mapping(entries, keys, at);
    }

    private static Location locationOf(JsonParser parser) {
        JsonLocation loc = parser.currentTokenLocation();
        return new Location(Math.max(1, loc.getLineNr()), Math.max(1, loc.getColumnNr()));
    }

    private static YamlNode.ScalarKind kindOf(JsonToken token) {
        switch (token) {
            case VALUE_NUMBER_INT:
                return YamlNode.ScalarKind.INTEGER;
            case VALUE_NUMBER_FLOAT:
                return YamlNode.ScalarKind.FLOAT;
            case VALUE_TRUE:
            case VALUE_FALSE:
                return YamlNode.ScalarKind.BOOLEAN;
            case VALUE_NULL:
                return YamlNode.ScalarKind.NULL;
            default:
                return YamlNode.ScalarKind.STRING;
        }
    }
}
