package io.pgha.core.config;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** An in-memory {@link Environment}: variables, host facts and files are whatever the test puts in. */
public final class FakeEnvironment implements Environment {
    private final Map<String, String> variables = new HashMap<>();
    private final Map<Path, String> files = new HashMap<>();
    private final Set<Path> unreadable = new HashSet<>();
    private Optional<String> hostName = Optional.of("db1");
    private Optional<String> hostAddress = Optional.of("10.0.0.11");
    private Optional<Path> binDir = Optional.of(Path.of("/usr/lib/postgresql/16/bin"));

    public FakeEnvironment withVariable(String name, String value) {
        variables.put(name, value);
        return this;
    }

    public FakeEnvironment withFile(String path, String content) {
        files.put(Path.of(path), content);
        return this;
    }

    /** A file that exists but this process may not read. */
    public FakeEnvironment withUnreadableFile(String path) {
        unreadable.add(Path.of(path));
        return this;
    }

    public FakeEnvironment withoutHostName() {
        hostName = Optional.empty();
        return this;
    }

    public FakeEnvironment withHostName(String name) {
        hostName = Optional.of(name);
        return this;
    }

    public FakeEnvironment withoutHostAddress() {
        hostAddress = Optional.empty();
        return this;
    }

    @Override
    public Optional<String> variable(String name) {
        return Optional.ofNullable(variables.get(name));
    }

    @Override
    public Optional<String> hostName() {
        return hostName;
    }

    @Override
    public Optional<String> hostAddress() {
        return hostAddress;
    }

    @Override
    public Optional<Path> postgresBinDir() {
        return binDir;
    }

    @Override
    public String readFile(Path file) throws IOException {
        if (unreadable.contains(file)) {
            throw new AccessDeniedException(file.toString());
        }
        String content = files.get(file);
        if (content == null) {
            throw new NoSuchFileException(file.toString());
        }
        return content;
    }

    @Override
    public boolean isReadableFile(Path file) {
        return files.containsKey(file) && !unreadable.contains(file);
    }
}
