package io.pgha.core.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 network in CIDR notation, {@code 10.0.0.0/8} or {@code fd00::/8}; a bare address is a single host
 * ({@code /32} or {@code /128}). Parsing never resolves names.
 *
 * @param address the network address as written
 * @param prefix the prefix length
 */
public record Cidr(String address, int prefix) {
    private static final String OCTET = "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
    private static final Pattern IPV4 = Pattern.compile(OCTET + "(\\." + OCTET + "){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    /** Parses {@code text}; empty if it is not a CIDR. */
    public static Optional<Cidr> parse(String text) {
        String t = text.trim();
        int slash = t.indexOf('/');
        String addr = slash < 0 ? t : t.substring(0, slash);
        boolean v4 = IPV4.matcher(addr).matches();
        if (!v4 && !(IPV6.matcher(addr).matches() && isIpv6Literal(addr))) {
            return Optional.empty();
        }
        int max = v4 ? 32 : 128;
        if (slash < 0) {
            return Optional.of(new Cidr(addr, max));
        }
        String bits = t.substring(slash + 1);
        if (!bits.matches("\\d{1,3}") || Integer.parseInt(bits) > max) {
            return Optional.empty();
        }
        return Optional.of(new Cidr(addr, Integer.parseInt(bits)));
    }

    private static boolean isIpv6Literal(String addr) {
        try {
            // Only literals reach here (the pattern requires a colon), so this never queries DNS.
            return InetAddress.getByName(addr).getAddress().length == 16;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return address + "/" + prefix;
    }
}
