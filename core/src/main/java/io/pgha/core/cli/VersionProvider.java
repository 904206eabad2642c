package io.pgha.core.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the JAR manifest, or "development" when running from classes. */
final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = PghaCommand.class.getPackage().getImplementationVersion();
        return new String[] {"pgha " + (v == null ? "development" : v)};
    }
}
