package io.pgha.core.faults;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One Linux network namespace per node, each joined to a bridge in the root namespace by a veth pair, in the /24
 * {@code <subnet>.0}: namespace {@code <prefix>nN} holds {@code <prefix>pN} with {@code <subnet>.(10+N)}, the root
 * side {@code <prefix>hN} is a port of {@code <prefix>br}, which has {@code <subnet>.1} so this JVM reaches every
 * node. Cutting a node off takes its root-side link down. {@link #close()} deletes everything, also what a failed
 * setup left.
 */
final class NetworkNamespaces implements AutoCloseable {
    private final String prefix;
    private final String subnet;
    private final int count;

    private NetworkNamespaces(String prefix, String subnet, int count) {
        this.prefix = prefix;
        this.subnet = subnet;
        this.count = count;
    }

    /** {@code subnet} is the first three octets of a /24 nobody else on the host uses, e.g. "10.231.102". */
    static NetworkNamespaces create(String prefix, String subnet, int count) throws IOException {
        NetworkNamespaces ns = new NetworkNamespaces(prefix, subnet, count);
        ns.close();
        try {
            ip("link", "add", ns.bridge(), "type", "bridge");
            ip("addr", "add", subnet + ".1/24", "dev", ns.bridge());
            ip("link", "set", ns.bridge(), "up");
            for (int i = 1; i <= count; i++) {
                String name = ns.namespace(i);
                ip("netns", "add", name);
                ip("link", "add", ns.hostSide(i), "type", "veth", "peer", "name", prefix + "p" + i);
                ip("link", "set", prefix + "p" + i, "netns", name);
                ip("link", "set", ns.hostSide(i), "master", ns.bridge());
                ip("link", "set", ns.hostSide(i), "up");
                ip("-n", name, "addr", "add", ns.address(i) + "/24", "dev", prefix + "p" + i);
                ip("-n", name, "link", "set", prefix + "p" + i, "up");
                ip("-n", name, "link", "set", "lo", "up");
            }
        } catch (IOException | RuntimeException e) {
            ns.close();
            throw e;
        }
        return ns;
    }

    String namespace(int i) {
        return prefix + "n" + i;
    }

    String address(int i) {
        return subnet + "." + (10 + i);
    }

    List<String> addresses() {
        List<String> out = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            out.add(address(i));
        }
        return out;
    }

    /** The command prefix that runs a program inside node {@code i}'s namespace. */
    List<String> exec(int i) {
        return List.of("ip", "netns", "exec", namespace(i));
    }

    void cut(int i) throws IOException {
        ip("link", "set", hostSide(i), "down");
    }

    void heal(int i) throws IOException {
        ip("link", "set", hostSide(i), "up");
    }

    private String bridge() {
        return prefix + "br";
    }

    private String hostSide(int i) {
        return prefix + "h" + i;
    }

    /** Deleting a namespace deletes its veth end and so the pair; the bridge goes last. Errors are ignored. */
    @Override
    public void close() {
        for (int i = 1; i <= count; i++) {
            quietly("netns", "del", namespace(i));
            quietly("link", "del", hostSide(i));
        }
        quietly("link", "del", bridge());
    }

    private static void quietly(String... args) {
        try {
            run(args);
        } catch (IOException e) {
            // absent already
        }
    }

    private static void ip(String... args) throws IOException {
        int code = run(args);
        if (code != 0) {
            throw new IOException("ip " + String.join(" ", args) + " exited " + code);
        }
    }

    private static int run(String... args) throws IOException {
        List<String> argv = new ArrayList<>(List.of("ip"));
        argv.addAll(List.of(args));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", argv) + " hung");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return p.exitValue();
    }
}
