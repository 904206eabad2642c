package io.pgha.store.apply;

import com.google.protobuf.ByteString;
import io.pgha.store.lease.Lease;
import io.pgha.store.lease.Lessor;
import io.pgha.store.mvcc.KeyVersion;
import io.pgha.store.mvcc.MvccStore;
import io.pgha.store.proto.KeyValue;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The snapshot format, version 1, big-endian ({@link DataOutputStream}):
 * <pre>
 * int magic "PGHS" · int version (1) · long revision · long compactRevision
 * int keyCount, then per key in key order: bytes key · int versionCount, then per version, oldest first:
 *     long main · int sub · byte live (0 tombstone, 1 value)
 *     [if live: long createRevision · long modRevision · long version · long lease · bytes value]
 * int leaseCount, then per lease in ID order: long id · long grantedTtl · int keyCount · bytes key...
 * int end marker "END!"
 * bytes = int length · raw bytes
 * </pre>
 * A reader refuses an unknown magic or version rather than guessing. Never Java serialization.
 */
final class SnapshotFormat {
    static final int MAGIC = 0x50474853;
    static final int VERSION = 1;
    static final int END = 0x454E4421;

    private SnapshotFormat() {
    }

    /** What a snapshot holds. */
    record Contents(long revision, long compactRevision, Map<ByteString, List<KeyVersion>> history,
            Map<Long, Long> leaseTtls, Map<Long, List<ByteString>> leaseKeys) {
    }

    static void write(OutputStream os, MvccStore kv, Lessor lessor) throws IOException {
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(os));
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        out.writeLong(kv.revision());
        out.writeLong(kv.compactRevision());
        Map<ByteString, List<KeyVersion>> history = kv.exportHistory();
        out.writeInt(history.size());
        for (Map.Entry<ByteString, List<KeyVersion>> e : history.entrySet()) {
            writeBytes(out, e.getKey());
            out.writeInt(e.getValue().size());
            for (KeyVersion v : e.getValue()) {
                out.writeLong(v.main());
                out.writeInt(v.sub());
                out.writeByte(v.tombstone() ? 0 : 1);
                if (!v.tombstone()) {
                    out.writeLong(v.kv().getCreateRevision());
                    out.writeLong(v.kv().getModRevision());
                    out.writeLong(v.kv().getVersion());
                    out.writeLong(v.kv().getLease());
                    writeBytes(out, v.kv().getValue());
                }
            }
        }
        Collection<Lease> leases = lessor.leases();
        out.writeInt(leases.size());
        for (Lease l : leases) {
            out.writeLong(l.id());
            out.writeLong(l.ttl());
            List<ByteString> keys = l.keys();
            out.writeInt(keys.size());
            for (ByteString k : keys) {
                writeBytes(out, k);
            }
        }
        out.writeInt(END);
        out.flush();
    }

    static Contents read(InputStream is) throws IOException {
        DataInputStream in = new DataInputStream(new BufferedInputStream(is));
        if (in.readInt() != MAGIC) {
            throw new IOException("not a pgha store snapshot (bad magic)");
        }
        int version = in.readInt();
        if (version != VERSION) {
            throw new IOException("unsupported pgha store snapshot version " + version);
        }
        long revision = in.readLong();
        long compacted = in.readLong();
        int keyCount = in.readInt();
        Map<ByteString, List<KeyVersion>> history = new LinkedHashMap<>();
        for (int i = 0; i < keyCount; i++) {
            ByteString key = readBytes(in);
            int n = in.readInt();
            List<KeyVersion> versions = new ArrayList<>(n);
            for (int j = 0; j < n; j++) {
                long main = in.readLong();
                int sub = in.readInt();
                KeyValue kv = null;
                if (in.readByte() != 0) {
                    kv = KeyValue.newBuilder().setKey(key).setCreateRevision(in.readLong())
                            .setModRevision(in.readLong()).setVersion(in.readLong()).setLease(in.readLong())
                            .setValue(readBytes(in)).build();
                }
                versions.add(new KeyVersion(main, sub, kv));
            }
            history.put(key, versions);
        }
        int leaseCount = in.readInt();
        Map<Long, Long> ttls = new LinkedHashMap<>();
        Map<Long, List<ByteString>> keys = new LinkedHashMap<>();
        for (int i = 0; i < leaseCount; i++) {
            long id = in.readLong();
            ttls.put(id, in.readLong());
            int n = in.readInt();
            List<ByteString> attached = new ArrayList<>(n);
            for (int j = 0; j < n; j++) {
                attached.add(readBytes(in));
            }
            keys.put(id, attached);
        }
        if (in.readInt() != END) {
            throw new IOException("truncated or corrupt pgha store snapshot (no end marker)");
        }
        return new Contents(revision, compacted, history, ttls, keys);
    }

    private static void writeBytes(DataOutputStream out, ByteString b) throws IOException {
        out.writeInt(b.size());
        b.writeTo(out);
    }

    private static ByteString readBytes(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            throw new IOException("corrupt pgha store snapshot (negative length)");
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return ByteString.copyFrom(b);
    }
}
