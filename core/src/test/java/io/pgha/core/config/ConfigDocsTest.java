package io.pgha.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** docs/configuration.md keeps up with the code: every key is in its section's table, and its example is valid. */
class ConfigDocsTest {
    private static final Path DOC = Path.of("../docs/configuration.md");
    /** Keys whose children are the user's own names, not ours. */
    private static final Set<String> USER_MAPS = Set.of("parameters");

    @Test
    void everyKeyIsDocumentedInItsSection() throws IOException, ConfigException {
        String doc = Files.readString(DOC);
        PghaConfig example = ConfigLoader.parse("example", Files.readString(ConfigLoaderTest.EXAMPLE),
                ConfigLoaderTest.exampleEnvironment());
        JsonNode effective = new YAMLMapper().readTree(ConfigRenderer.effective(example));
        List<String> missing = new ArrayList<>();
        effective.fields().forEachRemaining(section -> {
            String heading = "## `" + section.getKey() + "`";
            assertThat(doc).as("section heading %s", heading).contains(heading);
            int start = doc.indexOf(heading);
            int end = doc.indexOf("\n## ", start + 1);
            String block = doc.substring(start, end < 0 ? doc.length() : end);
            for (String key : leafKeys(section.getValue(), "")) {
                if (!block.contains("| `" + key + "` |")) {
                    missing.add(section.getKey() + "." + key);
                }
            }
        });
        assertThat(missing).as("keys without a row in docs/configuration.md").isEmpty();
    }

    @Test
    void theReadmeCarriesTheSameReferenceRows() throws IOException {
        String readme = Files.readString(Path.of("../README.md"));
        List<String> missing = Files.readAllLines(DOC).stream()
                .filter(line -> line.startsWith("| `"))
                .filter(line -> !readme.contains(line))
                .toList();
        assertThat(missing).as("rows of docs/configuration.md missing from README.md").isEmpty();
    }

    @Test
    void theDocumentedExampleIsValid() throws IOException, ConfigException {
        String doc = Files.readString(DOC);
        int start = doc.lastIndexOf("```yaml\n") + "```yaml\n".length();
        String yaml = doc.substring(start, doc.indexOf("```", start));
        PghaConfig c = ConfigLoader.parse("doc", yaml, ConfigLoaderTest.exampleEnvironment());
        assertThat(c.cluster().members()).hasSize(3);
    }

    private static List<String> leafKeys(JsonNode node, String prefix) {
        List<String> keys = new ArrayList<>();
        node.fields().forEachRemaining(field -> {
            String key = prefix + field.getKey();
            if (field.getValue().isObject() && !USER_MAPS.contains(field.getKey())) {
                keys.addAll(leafKeys(field.getValue(), key + "."));
            } else {
                keys.add(key);
            }
        });
        return keys;
    }
}
