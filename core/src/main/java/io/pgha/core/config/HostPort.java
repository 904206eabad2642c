package io.pgha.core.config;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A host (name, IPv4 address or bracketed IPv6 address) and a port.
 *
 * @param host the host name or address, without brackets
 * @param port 1..65535
 */
public record HostPort(String host, int port) {
    private static final Pattern FORMAT = Pattern.compile("(?:\\[([0-9A-Fa-f:.]+)]|([A-Za-z0-9.-]+))(?::(\\d{1,5}))?");

    /** Parses {@code host[:port]}, using {@code defaultPort} when no port is given; empty if malformed. */
    public static Optional<HostPort> parse(String text, int defaultPort) {
        Matcher m = FORMAT.matcher(text.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        String host = m.group(1) != null ? m.group(1) : m.group(2);
        int port = m.group(3) == null ? defaultPort : Integer.parseInt(m.group(3));
        if (port < 1 || port > 65_535 || host.startsWith("-") || host.startsWith(".")) {
            return Optional.empty();
        }
        return Optional.of(new HostPort(host, port));
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
