package io.pgha.store.raft;

import com.google.protobuf.ByteString;
import io.pgha.store.EtcdErrors;
import io.pgha.store.StoreException;
import io.pgha.store.Watch;
import io.pgha.store.WatchListener;
import io.pgha.store.apply.StoreState;
import io.pgha.store.proto.DeleteRangeResponse;
import io.pgha.store.proto.KeyValue;
import io.pgha.store.proto.LeaseGrantResponse;
import io.pgha.store.proto.LeaseLeasesResponse;
import io.pgha.store.proto.LeaseRevokeResponse;
import io.pgha.store.proto.LeaseStatus;
import io.pgha.store.proto.LeaseTimeToLiveRequest;
import io.pgha.store.proto.LeaseTimeToLiveResponse;
import io.pgha.store.proto.LogEntry;
import io.pgha.store.proto.LogReply;
import io.pgha.store.proto.PutRequest;
import io.pgha.store.proto.PutResponse;
import io.pgha.store.proto.RangeRequest;
import io.pgha.store.proto.RangeResponse;
import io.pgha.store.proto.ResponseHeader;
import io.pgha.store.proto.WatchCreateRequest;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A test-only {@link StoreState} that is just rich enough to check the Raft plumbing: single-key put, delete and
 * range, and leases that delete their keys. Not etcd: no txn, no history, no watches.
 */
final class TinyState implements StoreState {
    private final TreeMap<String, KeyValue> kv = new TreeMap<>();
    private final Map<Long, Long> leases = new HashMap<>();
    private long revision = 1;

    @Override
    public synchronized LogReply apply(LogEntry entry) {
        switch (entry.getCommandCase()) {
            case PUT:
                return put(entry.getPut());
            case DELETE_RANGE:
                boolean deleted = kv.remove(entry.getDeleteRange().getKey().toStringUtf8()) != null;
                revision += deleted ? 1 : 0;
                return LogReply.newBuilder().setDeleteRange(DeleteRangeResponse.newBuilder()
                        .setHeader(header()).setDeleted(deleted ? 1 : 0)).build();
            case LEASE_GRANT:
                long id = entry.getLeaseGrant().getID();
                if (leases.containsKey(id)) {
                    return LogReply.newBuilder().setError(EtcdErrors.LEASE_EXISTS.toProto()).build();
                }
                long ttl = Math.max(2, entry.getLeaseGrant().getTTL());
                leases.put(id, ttl);
                return LogReply.newBuilder().setLeaseGrant(LeaseGrantResponse.newBuilder()
                        .setHeader(header()).setID(id).setTTL(ttl)).build();
            case LEASE_REVOKE:
                if (!revoke(entry.getLeaseRevoke().getID())) {
                    return LogReply.newBuilder().setError(EtcdErrors.LEASE_NOT_FOUND.toProto()).build();
                }
                return LogReply.newBuilder().setLeaseRevoke(LeaseRevokeResponse.newBuilder().setHeader(header()))
                        .build();
            case LEASE_EXPIRE:
                revoke(entry.getLeaseExpire().getID());
                return LogReply.newBuilder().setLeaseRevoke(LeaseRevokeResponse.newBuilder().setHeader(header()))
                        .build();
            default:
                return LogReply.newBuilder()
                        .setError(new StoreException(EtcdErrors.UNIMPLEMENTED, "TinyState: unsupported").toProto())
                        .build();
        }
    }

    private LogReply put(PutRequest put) {
        if (put.getLease() != 0 && !leases.containsKey(put.getLease())) {
            return LogReply.newBuilder().setError(EtcdErrors.LEASE_NOT_FOUND.toProto()).build();
        }
        revision++;
        String key = put.getKey().toStringUtf8();
        KeyValue old = kv.get(key);
        kv.put(key, KeyValue.newBuilder().setKey(put.getKey()).setValue(put.getValue()).setLease(put.getLease())
                .setModRevision(revision).setCreateRevision(old == null ? revision : old.getCreateRevision())
                .setVersion(old == null ? 1 : old.getVersion() + 1).build());
        return LogReply.newBuilder().setPut(PutResponse.newBuilder().setHeader(header())).build();
    }

    private boolean revoke(long id) {
        if (leases.remove(id) == null) {
            return false;
        }
        if (kv.values().removeIf(v -> v.getLease() == id)) {
            revision++;
        }
        return true;
    }

    private ResponseHeader header() {
        return ResponseHeader.newBuilder().setRevision(revision).build();
    }

    @Override
    public synchronized RangeResponse range(RangeRequest request) {
        if (request.getKey().isEmpty()) {
            throw EtcdErrors.EMPTY_KEY;
        }
        RangeResponse.Builder response = RangeResponse.newBuilder().setHeader(header());
        String from = request.getKey().toStringUtf8();
        if (request.getRangeEnd().isEmpty()) {
            KeyValue one = kv.get(from);
            if (one != null) {
                response.addKvs(one);
            }
        } else {
            response.addAllKvs(kv.subMap(from, request.getRangeEnd().toStringUtf8()).values());
        }
        return response.setCount(response.getKvsCount()).build();
    }

    @Override
    public synchronized LeaseTimeToLiveResponse timeToLive(LeaseTimeToLiveRequest request) {
        Long ttl = leases.get(request.getID());
        LeaseTimeToLiveResponse.Builder response = LeaseTimeToLiveResponse.newBuilder().setHeader(header())
                .setID(request.getID()).setTTL(ttl == null ? -1 : ttl).setGrantedTTL(ttl == null ? 0 : ttl);
        kv.values().stream().filter(v -> v.getLease() == request.getID()).forEach(v -> response.addKeys(v.getKey()));
        return response.build();
    }

    @Override
    public synchronized LeaseLeasesResponse leases() {
        LeaseLeasesResponse.Builder response = LeaseLeasesResponse.newBuilder().setHeader(header());
        leases.keySet().forEach(id -> response.addLeases(LeaseStatus.newBuilder().setID(id)));
        return response.build();
    }

    @Override
    public synchronized Map<Long, Long> leaseTtls() {
        return Map.copyOf(leases);
    }

    @Override
    public synchronized long revision() {
        return revision;
    }

    @Override
    public long compactRevision() {
        return 0;
    }

    @Override
    public Watch watch(WatchCreateRequest request, WatchListener listener) {
        throw new UnsupportedOperationException("TinyState has no watches");
    }

    @Override
    public synchronized void writeSnapshot(OutputStream out) throws IOException {
        DataOutputStream data = new DataOutputStream(out);
        data.writeInt(1);
        data.writeLong(revision);
        data.writeInt(kv.size());
        for (KeyValue v : kv.values()) {
            byte[] bytes = v.toByteArray();
            data.writeInt(bytes.length);
            data.write(bytes);
        }
        data.writeInt(leases.size());
        for (Map.Entry<Long, Long> lease : leases.entrySet()) {
            data.writeLong(lease.getKey());
            data.writeLong(lease.getValue());
        }
        data.flush();
    }

    @Override
    public synchronized void readSnapshot(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        if (data.readInt() != 1) {
            throw new IOException("unknown snapshot version");
        }
        kv.clear();
        leases.clear();
        revision = data.readLong();
        for (int i = data.readInt(); i > 0; i--) {
            KeyValue v = KeyValue.parseFrom(data.readNBytes(data.readInt()));
            kv.put(v.getKey().toStringUtf8(), v);
        }
        for (int i = data.readInt(); i > 0; i--) {
            leases.put(data.readLong(), data.readLong());
        }
    }

    static ByteString bytes(String s) {
        return ByteString.copyFromUtf8(s);
    }
}
