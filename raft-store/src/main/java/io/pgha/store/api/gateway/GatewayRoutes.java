package io.pgha.store.api.gateway;

import com.google.protobuf.Message;
import io.grpc.MethodDescriptor;
import io.pgha.store.proto.AuthGrpc;
import io.pgha.store.proto.ClusterGrpc;
import io.pgha.store.proto.KVGrpc;
import io.pgha.store.proto.LeaseGrpc;
import io.pgha.store.proto.MaintenanceGrpc;
import io.pgha.store.proto.WatchGrpc;
import java.util.HashMap;
import java.util.Map;

/**
 * The {@code google.api.http} bindings of etcd 3.4's rpc.proto: every path is {@code POST} with {@code body: "*"}.
 * HashKV shares {@code /v3/maintenance/hash} with Hash in etcd 3.4, where Hash wins; it is not reachable.
 */
final class GatewayRoutes {
    private static final Map<String, MethodDescriptor<Message, Message>> ROUTES = build();

    private GatewayRoutes() {
    }

    /** The method bound to a {@code /v3/...} path, or null. */
    static MethodDescriptor<Message, Message> find(String path) {
        return ROUTES.get(path);
    }

    /** The empty request message of a method, to parse JSON into. */
    static Message requestPrototype(MethodDescriptor<Message, Message> method) {
        return (Message) ((MethodDescriptor.PrototypeMarshaller<?>) method.getRequestMarshaller())
                .getMessagePrototype();
    }

    private static Map<String, MethodDescriptor<Message, Message>> build() {
        Map<String, MethodDescriptor<Message, Message>> m = new HashMap<>();
        put(m, "/v3/kv/range", KVGrpc.getRangeMethod());
        put(m, "/v3/kv/put", KVGrpc.getPutMethod());
        put(m, "/v3/kv/deleterange", KVGrpc.getDeleteRangeMethod());
        put(m, "/v3/kv/txn", KVGrpc.getTxnMethod());
        put(m, "/v3/kv/compaction", KVGrpc.getCompactMethod());
        put(m, "/v3/watch", WatchGrpc.getWatchMethod());
        put(m, "/v3/lease/grant", LeaseGrpc.getLeaseGrantMethod());
        put(m, "/v3/lease/revoke", LeaseGrpc.getLeaseRevokeMethod());
        put(m, "/v3/kv/lease/revoke", LeaseGrpc.getLeaseRevokeMethod());
        put(m, "/v3/lease/keepalive", LeaseGrpc.getLeaseKeepAliveMethod());
        put(m, "/v3/lease/timetolive", LeaseGrpc.getLeaseTimeToLiveMethod());
        put(m, "/v3/kv/lease/timetolive", LeaseGrpc.getLeaseTimeToLiveMethod());
        put(m, "/v3/lease/leases", LeaseGrpc.getLeaseLeasesMethod());
        put(m, "/v3/kv/lease/leases", LeaseGrpc.getLeaseLeasesMethod());
        put(m, "/v3/cluster/member/add", ClusterGrpc.getMemberAddMethod());
        put(m, "/v3/cluster/member/remove", ClusterGrpc.getMemberRemoveMethod());
        put(m, "/v3/cluster/member/update", ClusterGrpc.getMemberUpdateMethod());
        put(m, "/v3/cluster/member/list", ClusterGrpc.getMemberListMethod());
        put(m, "/v3/cluster/member/promote", ClusterGrpc.getMemberPromoteMethod());
        put(m, "/v3/maintenance/alarm", MaintenanceGrpc.getAlarmMethod());
        put(m, "/v3/maintenance/status", MaintenanceGrpc.getStatusMethod());
        put(m, "/v3/maintenance/defragment", MaintenanceGrpc.getDefragmentMethod());
        put(m, "/v3/maintenance/hash", MaintenanceGrpc.getHashMethod());
        put(m, "/v3/maintenance/snapshot", MaintenanceGrpc.getSnapshotMethod());
        put(m, "/v3/maintenance/transfer-leadership", MaintenanceGrpc.getMoveLeaderMethod());
        put(m, "/v3/auth/enable", AuthGrpc.getAuthEnableMethod());
        put(m, "/v3/auth/disable", AuthGrpc.getAuthDisableMethod());
        put(m, "/v3/auth/authenticate", AuthGrpc.getAuthenticateMethod());
        put(m, "/v3/auth/user/add", AuthGrpc.getUserAddMethod());
        put(m, "/v3/auth/user/get", AuthGrpc.getUserGetMethod());
        put(m, "/v3/auth/user/list", AuthGrpc.getUserListMethod());
        put(m, "/v3/auth/user/delete", AuthGrpc.getUserDeleteMethod());
        put(m, "/v3/auth/user/changepw", AuthGrpc.getUserChangePasswordMethod());
        put(m, "/v3/auth/user/grant", AuthGrpc.getUserGrantRoleMethod());
        put(m, "/v3/auth/user/revoke", AuthGrpc.getUserRevokeRoleMethod());
        put(m, "/v3/auth/role/add", AuthGrpc.getRoleAddMethod());
        put(m, "/v3/auth/role/get", AuthGrpc.getRoleGetMethod());
        put(m, "/v3/auth/role/list", AuthGrpc.getRoleListMethod());
        put(m, "/v3/auth/role/delete", AuthGrpc.getRoleDeleteMethod());
        put(m, "/v3/auth/role/grant", AuthGrpc.getRoleGrantPermissionMethod());
        put(m, "/v3/auth/role/revoke", AuthGrpc.getRoleRevokePermissionMethod());
        return Map.copyOf(m);
    }

    @SuppressWarnings("unchecked")
    private static void put(Map<String, MethodDescriptor<Message, Message>> m, String path,
            MethodDescriptor<?, ?> method) {
        m.put(path, (MethodDescriptor<Message, Message>) method);
    }
}
