package io.pgha.core.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The cluster-wide part of the configuration that lives in the store ({@code /pgha/<cluster>/config}) after
 * bootstrap: {@code postgres.parameters}, the {@code ha} timings and {@code backup.schedule}. It is a JSON document in
 * the same shape (and with the same keys and value syntax) as those sections of {@code pgha.yml}, and is validated by
 * the same binder and rules as the file, so a value the file would refuse is refused here too, before it is written.
 */
public final class DynamicConfig {
    /** The {@code ha} keys that are cluster-wide; {@code ha.tags} stay per node. */
    static final Set<String> HA_KEYS = Set.of("ttl", "loop_wait", "retry_timeout", "safety_margin",
            "maximum_lag_on_failover", "synchronous_mode", "synchronous_node_count", "use_pg_rewind",
            "reclone_on_rewind_failure", "primary_start_timeout");
    private static final Set<String> LOCAL_SECTIONS = Set.of("cluster", "node", "store", "rest", "proxy",
            "hardening", "tls");
    private static final String WHERE = "dynamic configuration";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final YAMLMapper YAML = YAMLMapper.builder().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES).build();

    private DynamicConfig() {
    }

    /** The document a new cluster starts with: the bootstrap node's file values of the dynamic keys. */
    public static ObjectNode seed(PghaConfig c) {
        ObjectNode doc = JSON.createObjectNode();
        ObjectNode params = doc.putObject("postgres").putObject("parameters");
        c.postgres().parameters().forEach(params::put);
        HaConfig ha = c.ha();
        doc.putObject("ha").put("ttl", DurationSyntax.format(ha.ttl()))
                .put("loop_wait", DurationSyntax.format(ha.loopWait()))
                .put("retry_timeout", DurationSyntax.format(ha.retryTimeout()))
                .put("safety_margin", DurationSyntax.format(ha.safetyMargin()))
                .put("maximum_lag_on_failover", ha.maximumLagOnFailover().toString())
                .put("synchronous_mode", ha.synchronousMode().name().toLowerCase(java.util.Locale.ROOT))
                .put("synchronous_node_count", ha.synchronousNodeCount())
                .put("use_pg_rewind", ha.usePgRewind())
                .put("reclone_on_rewind_failure", ha.recloneOnRewindFailure())
                .put("primary_start_timeout", DurationSyntax.format(ha.primaryStartTimeout()));
        doc.putObject("backup").putObject("schedule").put("full", c.backup().schedule().full().expression())
                .put("diff", c.backup().schedule().diff().expression());
        return doc;
    }

    /** Parses a stored (JSON) or user-written (YAML or JSON) document; a non-mapping is an error. */
    public static ObjectNode parse(String text) throws ConfigException {
        JsonNode n;
        try {
            n = YAML.readTree(text);
        } catch (IOException e) {
            throw problem("<yaml>", "found text that is not YAML or JSON (" + firstLine(e.getMessage())
                    + "), expected a mapping such as {postgres: {parameters: {work_mem: 8MB}}}");
        }
        if (n == null || n.isNull() || n.isMissingNode()) {
            return JSON.createObjectNode();
        }
        if (!n.isObject()) {
            throw problem("<root>", "found " + n.getNodeType().name().toLowerCase(java.util.Locale.ROOT)
                    + ", expected a mapping of sections (postgres, ha, backup)");
        }
        return (ObjectNode) n;
    }

    /**
     * Applies one {@code --set PATH=VALUE}: {@code postgresql.} is accepted for {@code postgres.} (Patroni's spelling),
     * and the value {@code null} (kept in the patch) removes the key when the patch is merged.
     */
    public static ObjectNode set(ObjectNode doc, String assignment) throws ConfigException {
        int eq = assignment.indexOf('=');
        if (eq <= 0) {
            throw problem("--set", "found '" + assignment + "', expected PATH=VALUE such as"
                    + " postgres.parameters.work_mem=8MB");
        }
        String path = assignment.substring(0, eq).strip();
        if (path.startsWith("postgresql.")) {
            path = "postgres." + path.substring("postgresql.".length());
        }
        String[] parts = path.split("\\.", -1);
        ObjectNode out = doc.deepCopy();
        ObjectNode at = out;
        for (int i = 0; i < parts.length; i++) {
            if (parts[i].isEmpty()) {
                throw problem("--set", "found the path '" + path + "', expected dot-separated keys");
            }
            if (i < parts.length - 1) {
                JsonNode next = at.get(parts[i]);
                at = next != null && next.isObject() ? (ObjectNode) next : at.putObject(parts[i]);
            }
        }
        String value = assignment.substring(eq + 1).strip();
        if (value.equals("null")) {
            at.putNull(parts[parts.length - 1]);
        } else {
            at.put(parts[parts.length - 1], value);
        }
        return out;
    }

    /** JSON merge patch (RFC 7386, as Patroni's {@code PATCH /config}): objects merge, {@code null} deletes. */
    public static ObjectNode merge(ObjectNode base, JsonNode patch) {
        ObjectNode out = base.deepCopy();
        Iterator<Map.Entry<String, JsonNode>> it = patch.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode current = out.get(e.getKey());
            if (e.getValue().isNull()) {
                out.remove(e.getKey());
            } else if (e.getValue().isObject() && current != null && current.isObject()) {
                out.set(e.getKey(), merge((ObjectNode) current, e.getValue()));
            } else if (e.getValue().isObject()) {
                out.set(e.getKey(), merge(JSON.createObjectNode(), e.getValue()));
            } else {
                out.set(e.getKey(), e.getValue());
            }
        }
        return out;
    }

    /**
     * Every problem of {@code doc}, one line each ({@code FIELD: found X, expected Y}); empty when it is valid. Keys
     * that belong in each node's file are refused; the rest goes through the file's binder and rules.
     */
    public static List<String> problems(ObjectNode doc) {
        List<String> out = new ArrayList<>();
        doc.fields().forEachRemaining(e -> {
            String key = e.getKey();
            if (LOCAL_SECTIONS.contains(key)) {
                out.add(key + ": found a per-node section, expected only postgres.parameters, ha timings and"
                        + " backup.schedule (set " + key + " in each node's pgha.yml)");
            }
        });
        perNodeKeys(doc, "postgres", Set.of("parameters"), out);
        perNodeKeys(doc, "ha", HA_KEYS, out);
        perNodeKeys(doc, "backup", Set.of("schedule"), out);
        if (!out.isEmpty()) {
            return out;
        }
        try {
            ConfigLoader.parse(WHERE, YAML.writeValueAsString(doc), Validation.ENV);
        } catch (ConfigException e) {
            e.errors().forEach(err -> out.add(err.path() + ": " + err.message()));
        } catch (JsonProcessingException e) {
            out.add("<root>: " + e.getOriginalMessage());
        }
        return out;
    }

    private static void perNodeKeys(ObjectNode doc, String section, Set<String> allowed, List<String> out) {
        JsonNode s = doc.path(section);
        if (!s.isObject()) {
            return;
        }
        Set<String> valid = known(section);
        s.fieldNames().forEachRemaining(k -> {
            if (!allowed.contains(k) && valid.contains(k)) {
                out.add(section + "." + k + ": found a per-node key, expected only " + String.join(", ",
                        allowed.stream().sorted().map(a -> section + "." + a).toList()) + " here (set " + section
                        + "." + k + " in each node's pgha.yml)");
            }
        });
    }

    /** Keys the file accepts in {@code section}; unknown ones are left to the binder, which suggests a spelling. */
    private static Set<String> known(String section) {
        return switch (section) {
            case "postgres" -> Set.of("bin_dir", "data_dir", "port", "listen", "os_user", "socket_dir", "hba",
                    "superuser", "replication", "users", "databases");
            case "ha" -> Set.of("tags");
            default -> Set.of("enabled", "stanza", "repo_path", "retention_full");
        };
    }

    /** {@code postgres.parameters} of {@code doc}, as text. */
    public static Map<String, String> parameters(ObjectNode doc) {
        Map<String, String> out = new LinkedHashMap<>();
        doc.path("postgres").path("parameters").fields().forEachRemaining(e -> out.put(e.getKey(),
                e.getValue().asText()));
        return out;
    }

    public static String toJson(JsonNode doc) {
        return doc.toString();
    }

    public static String toYaml(JsonNode doc) {
        try {
            return YAML.writeValueAsString(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The change from {@code before} to {@code after}, one line per leaf key that differs: {@code -} its old value,
     * {@code +} its new one, sorted by path; empty when nothing changed.
     */
    public static List<String> diff(JsonNode before, JsonNode after) {
        Map<String, String> a = new java.util.TreeMap<>();
        Map<String, String> b = new java.util.TreeMap<>();
        flatten("", before, a);
        flatten("", after, b);
        java.util.TreeSet<String> keys = new java.util.TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        List<String> out = new ArrayList<>();
        for (String k : keys) {
            String old = a.get(k);
            String now = b.get(k);
            if (old != null && !old.equals(now)) {
                out.add("-" + k + ": " + old);
            }
            if (now != null && !now.equals(old)) {
                out.add("+" + k + ": " + now);
            }
        }
        return out;
    }

    private static void flatten(String prefix, JsonNode n, Map<String, String> out) {
        if (n == null || n.isMissingNode() || n.isNull()) {
            return;
        }
        if (n.isObject()) {
            n.fields().forEachRemaining(e -> flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(),
                    e.getValue(), out));
        } else {
            out.put(prefix, n.asText());
        }
    }

    private static ConfigException problem(String path, String message) {
        return new ConfigException(List.of(new ConfigError(WHERE, Location.START, path, message)));
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }

    /** The host seen by the validation: node keys are not part of the document, so their defaults must just bind. */
    private static final class Validation implements Environment {
        static final Validation ENV = new Validation();

        @Override
        public Optional<String> variable(String name) {
            return Optional.empty();
        }

        @Override
        public Optional<String> hostName() {
            return Optional.of("dynamic");
        }

        @Override
        public Optional<String> hostAddress() {
            return Optional.of("127.0.0.1");
        }

        @Override
        public Optional<Path> postgresBinDir() {
            return Optional.empty();
        }

        @Override
        public String readFile(Path file) throws IOException {
            throw new java.nio.file.NoSuchFileException(file.toString());
        }

        @Override
        public boolean isReadableFile(Path file) {
            return false;
        }
    }
}
