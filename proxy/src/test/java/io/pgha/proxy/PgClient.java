package io.pgha.proxy;

import io.netty.buffer.Unpooled;
import io.pgha.proxy.net.PgWire;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** A blocking test client that speaks just enough to talk to {@link FakePostgres} through the proxy. */
final class PgClient implements AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    private PgClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    static PgClient connect(InetSocketAddress address) throws IOException {
        Socket s = new Socket();
        s.setSoTimeout(10_000);
        s.connect(address, 5_000);
        return new PgClient(s);
    }

    /** Sends a StartupMessage (the proxy's gate) without waiting for anything. */
    PgClient sendStartup() throws IOException {
        out.write(PgWire.startupBytes("app"));
        out.flush();
        return this;
    }

    /** Sends a StartupMessage and returns the name the backend answers with. */
    String startup() throws IOException {
        return sendStartup().readLine();
    }

    String echo(String text) throws IOException {
        send(text + "\n");
        return readLine();
    }

    void send(String raw) throws IOException {
        out.write(raw.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("closed by the proxy after " + line.size() + " byte(s)");
            }
            line.write(b);
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    /** Whether the proxy closed the connection (EOF or reset) without sending anything more, within 10 s. */
    boolean closedByPeer() throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true;
        }
    }

    /** Reads one ErrorResponse and returns {@code SQLSTATE message}. */
    String readError() throws IOException {
        int type = in.read();
        if (type != 'E') {
            throw new IOException("expected an ErrorResponse, got type " + type);
        }
        int length = in.readInt();
        byte[] body = new byte[length - 4];
        in.readFully(body);
        var buf = Unpooled.buffer().writeByte('E').writeInt(length).writeBytes(body);
        try {
            return PgWire.sqlState(buf) + " " + PgWire.field(buf, 'M');
        } finally {
            buf.release();
        }
    }

    InputStream input() {
        return in;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
