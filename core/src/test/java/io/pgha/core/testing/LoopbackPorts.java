package io.pgha.core.testing;

import io.pgha.core.agent.NodeYaml;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ports for test nodes on loopback addresses. The kernel may hand the same ephemeral port to two binds in a row once
 * the first socket is closed, so every port given out here is remembered and never given out again by this JVM:
 * two ports of one node (or of two nodes) cannot collide.
 */
public final class LoopbackPorts {
    private static final int ATTEMPTS = 200;
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private LoopbackPorts() {
    }

    /** One port free on {@code address} now. */
    public static int free(String address) throws IOException {
        return freeOnAll(List.of(address), 1).get(0);
    }

    /** One port free on every address now: a joiner asks the founder on its own {@code rest.port}. */
    public static int freeOnAll(List<String> addresses) throws IOException {
        return freeOnAll(addresses, 1).get(0);
    }

    /** {@code count} distinct ports, each free on every address now. */
    public static List<Integer> freeOnAll(List<String> addresses, int count) throws IOException {
        List<Integer> ports = new ArrayList<>();
        for (int attempt = 0; attempt < ATTEMPTS * count && ports.size() < count; attempt++) {
            int port;
            try (ServerSocket first = new ServerSocket(0, 1, InetAddress.getByName(addresses.get(0)))) {
                port = first.getLocalPort();
            }
            if (freeEverywhere(port, addresses) && HANDED_OUT.add(port)) {
                ports.add(port);
            }
        }
        if (ports.size() < count) {
            throw new IOException("no " + count + " ports free on every one of " + addresses);
        }
        return ports;
    }

    /** Six ports of the node's own on {@code address}, and the REST port shared by the cluster. */
    public static NodeYaml.Ports forNode(String address, int restPort) throws IOException {
        List<Integer> p = freeOnAll(List.of(address), 6);
        return new NodeYaml.Ports(p.get(0), p.get(1), p.get(2), p.get(3), p.get(4), p.get(5), restPort);
    }

    private static boolean freeEverywhere(int port, List<String> addresses) {
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (String a : addresses) {
                held.add(new ServerSocket(port, 1, InetAddress.getByName(a)));
            }
            return true;
        } catch (IOException e) {
            return false;
        } finally {
            for (ServerSocket s : held) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // a listening socket that never accepted: nothing to lose
                }
            }
        }
    }
}
