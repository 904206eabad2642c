package io.pgha.store.api;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** An HTTP/1.1 client for the JSON gateway, as Patroni uses it: POST JSON, read chunked streams line by line. */
final class HttpJson {
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    HttpJson(String base) {
        this.base = base;
    }

    record Reply(int status, String body, String contentType) {
    }

    Reply post(String path, String body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    Reply get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10)).GET().build());
    }

    private Reply send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body(), r.headers().firstValue("Content-Type").orElse(""));
    }

    /**
     * Opens a streaming call on a connection of its own, as Patroni's client does for a watch; its lines are
     * collected as they arrive. No retry: a connection the server drops unanswered fails the test.
     */
    Stream stream(String path, String body) throws IOException, InterruptedException {
        HttpClient own = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<InputStream> r = own.send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        return new Stream(r);
    }

    /** A chunked response being read. */
    static final class Stream implements AutoCloseable {
        private static final String END = "\u0000end";
        final int status;
        final String transferEncoding;
        private final InputStream body;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

        Stream(HttpResponse<InputStream> response) {
            this.status = response.statusCode();
            this.transferEncoding = response.headers().firstValue("Transfer-Encoding").orElse("");
            this.body = response.body();
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        lines.add(line);
                    }
                } catch (IOException e) {
                    // closed by the test
                }
                lines.add(END);
            }, "http-stream-reader");
            reader.setDaemon(true);
            reader.start();
        }

        /** The next line, or null when none arrives within the timeout or the response ended. */
        String next(long timeoutMillis) throws InterruptedException {
            String line = lines.poll(timeoutMillis, TimeUnit.MILLISECONDS);
            if (END.equals(line)) {
                lines.add(END);
                return null;
            }
            return line;
        }

        /** Every line until the response ends, failing if it does not end within the timeout. */
        List<String> untilEnd(long timeoutSeconds) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
            List<String> got = new ArrayList<>();
            while (true) {
                String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == null) {
                    throw new AssertionError("stream did not end within " + timeoutSeconds + " s; got " + got);
                }
                if (END.equals(line)) {
                    return got;
                }
                got.add(line);
            }
        }

        @Override
        public void close() throws IOException {
            body.close();
        }
    }
}
