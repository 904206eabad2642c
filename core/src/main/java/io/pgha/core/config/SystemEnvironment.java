package io.pgha.core.config;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** {@link Environment} of the machine this process runs on. */
final class SystemEnvironment implements Environment {
    static final SystemEnvironment INSTANCE = new SystemEnvironment();

    /** Debian/Ubuntu install each major version under its own directory; RHEL uses /usr/pgsql-N. */
    private static final List<Path> INSTALL_ROOTS = List.of(Path.of("/usr/lib/postgresql"), Path.of("/usr"));

    private SystemEnvironment() {
    }

    @Override
    public Optional<String> variable(String name) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }

    /** Like Patroni's {@code socket.gethostname()}: the kernel's host name, without a DNS lookup when possible. */
    @Override
    public Optional<String> hostName() {
        try {
            String kernel = Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.UTF_8).trim();
            if (!kernel.isEmpty()) {
                return Optional.of(kernel);
            }
        } catch (IOException e) {
            // not Linux, or no /proc: ask Java, which may resolve the name
        }
        try {
            String name = InetAddress.getLocalHost().getHostName();
            return name == null || name.isBlank() ? Optional.empty() : Optional.of(name);
        } catch (UnknownHostException e) {
            return variable("HOSTNAME");
        }
    }

    @Override
    public Optional<String> hostAddress() {
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp() || nic.isLoopback()) {
                    continue;
                }
                for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                    if (address instanceof Inet4Address && !address.isLoopbackAddress()) {
                        return Optional.of(address.getHostAddress());
                    }
                }
            }
        } catch (SocketException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    @Override
    public Optional<Path> postgresBinDir() {
        Optional<Path> packaged = newestPackagedBinDir();
        if (packaged.isPresent()) {
            return packaged;
        }
        return variable("PATH").flatMap(path -> Stream.of(path.split(":"))
                .filter(dir -> !dir.isEmpty())
                .map(Path::of)
                .filter(dir -> Files.isExecutable(dir.resolve("pg_ctl")))
                .findFirst());
    }

    private static Optional<Path> newestPackagedBinDir() {
        Comparator<Path> byVersion = Comparator.comparingInt(SystemEnvironment::majorVersion);
        return INSTALL_ROOTS.stream()
                .filter(Files::isDirectory)
                .flatMap(SystemEnvironment::list)
                .filter(dir -> majorVersion(dir) > 0)
                .map(dir -> dir.resolve("bin"))
                .filter(bin -> Files.isExecutable(bin.resolve("pg_ctl")))
                .max(Comparator.comparing(Path::getParent, byVersion));
    }

    private static Stream<Path> list(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.toList().stream();
        } catch (IOException e) {
            return Stream.empty();
        }
    }

    /** 16 for {@code /usr/lib/postgresql/16} or {@code /usr/pgsql-16}; 0 for anything else. */
    private static int majorVersion(Path dir) {
        String name = dir.getFileName().toString().replaceFirst("^pgsql-", "");
        return name.matches("\\d{1,3}") ? Integer.parseInt(name) : 0;
    }

    @Override
    public String readFile(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    @Override
    public boolean isReadableFile(Path file) {
        return Files.isRegularFile(file) && Files.isReadable(file);
    }
}
