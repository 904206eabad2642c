package io.pgha.store.api;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.pgha.store.EtcdErrors;
import io.pgha.store.proto.AuthDisableRequest;
import io.pgha.store.proto.AuthDisableResponse;
import io.pgha.store.proto.AuthEnableRequest;
import io.pgha.store.proto.AuthEnableResponse;
import io.pgha.store.proto.AuthGrpc;
import io.pgha.store.proto.AuthRoleAddRequest;
import io.pgha.store.proto.AuthRoleAddResponse;
import io.pgha.store.proto.AuthRoleDeleteRequest;
import io.pgha.store.proto.AuthRoleDeleteResponse;
import io.pgha.store.proto.AuthRoleGetRequest;
import io.pgha.store.proto.AuthRoleGetResponse;
import io.pgha.store.proto.AuthRoleGrantPermissionRequest;
import io.pgha.store.proto.AuthRoleGrantPermissionResponse;
import io.pgha.store.proto.AuthRoleListRequest;
import io.pgha.store.proto.AuthRoleListResponse;
import io.pgha.store.proto.AuthRoleRevokePermissionRequest;
import io.pgha.store.proto.AuthRoleRevokePermissionResponse;
import io.pgha.store.proto.AuthUserAddRequest;
import io.pgha.store.proto.AuthUserAddResponse;
import io.pgha.store.proto.AuthUserChangePasswordRequest;
import io.pgha.store.proto.AuthUserChangePasswordResponse;
import io.pgha.store.proto.AuthUserDeleteRequest;
import io.pgha.store.proto.AuthUserDeleteResponse;
import io.pgha.store.proto.AuthUserGetRequest;
import io.pgha.store.proto.AuthUserGetResponse;
import io.pgha.store.proto.AuthUserGrantRoleRequest;
import io.pgha.store.proto.AuthUserGrantRoleResponse;
import io.pgha.store.proto.AuthUserListRequest;
import io.pgha.store.proto.AuthUserListResponse;
import io.pgha.store.proto.AuthUserRevokeRoleRequest;
import io.pgha.store.proto.AuthUserRevokeRoleResponse;
import io.pgha.store.proto.AuthenticateRequest;
import io.pgha.store.proto.AuthenticateResponse;

/**
 * {@code etcdserverpb.Auth} for a store where authentication is off and no user or role exists: every answer is
 * the one etcd 3.4 gives in that state (Authenticate: "authentication is not enabled", AuthEnable: "root user does
 * not exist", lookups of users and roles: not found, lists: empty). Creating users or roles is not supported.
 */
final class AuthService extends AuthGrpc.AuthImplBase {
    static final String ROOT_MISSING = "etcdserver: root user does not exist";
    static final String USER_NOT_FOUND = "etcdserver: user name not found";
    static final String ROLE_NOT_FOUND = "etcdserver: role name not found";
    static final String UNSUPPORTED = "pgha: etcd users and roles are not supported";

    private final Headers headers;

    AuthService(Headers headers) {
        this.headers = headers;
    }

    private static StatusRuntimeException precondition(String message) {
        return Status.FAILED_PRECONDITION.withDescription(message).asRuntimeException();
    }

    @Override
    public void authEnable(AuthEnableRequest request, StreamObserver<AuthEnableResponse> observer) {
        observer.onError(precondition(ROOT_MISSING));
    }

    @Override
    public void authDisable(AuthDisableRequest request, StreamObserver<AuthDisableResponse> observer) {
        Replies.call(headers::current, h -> AuthDisableResponse.newBuilder().setHeader(h).build(), observer);
    }

    @Override
    public void authenticate(AuthenticateRequest request, StreamObserver<AuthenticateResponse> observer) {
        observer.onError(Replies.error(EtcdErrors.AUTH_NOT_ENABLED));
    }

    @Override
    public void userList(AuthUserListRequest request, StreamObserver<AuthUserListResponse> observer) {
        Replies.call(headers::current, h -> AuthUserListResponse.newBuilder().setHeader(h).build(), observer);
    }

    @Override
    public void roleList(AuthRoleListRequest request, StreamObserver<AuthRoleListResponse> observer) {
        Replies.call(headers::current, h -> AuthRoleListResponse.newBuilder().setHeader(h).build(), observer);
    }

    @Override
    public void userGet(AuthUserGetRequest request, StreamObserver<AuthUserGetResponse> observer) {
        observer.onError(precondition(USER_NOT_FOUND));
    }

    @Override
    public void userDelete(AuthUserDeleteRequest request, StreamObserver<AuthUserDeleteResponse> observer) {
        observer.onError(precondition(USER_NOT_FOUND));
    }

    @Override
    public void userChangePassword(AuthUserChangePasswordRequest request,
            StreamObserver<AuthUserChangePasswordResponse> observer) {
        observer.onError(precondition(USER_NOT_FOUND));
    }

    @Override
    public void userGrantRole(AuthUserGrantRoleRequest request, StreamObserver<AuthUserGrantRoleResponse> observer) {
        observer.onError(precondition(USER_NOT_FOUND));
    }

    @Override
    public void userRevokeRole(AuthUserRevokeRoleRequest request,
            StreamObserver<AuthUserRevokeRoleResponse> observer) {
        observer.onError(precondition(USER_NOT_FOUND));
    }

    @Override
    public void roleGet(AuthRoleGetRequest request, StreamObserver<AuthRoleGetResponse> observer) {
        observer.onError(precondition(ROLE_NOT_FOUND));
    }

    @Override
    public void roleDelete(AuthRoleDeleteRequest request, StreamObserver<AuthRoleDeleteResponse> observer) {
        observer.onError(precondition(ROLE_NOT_FOUND));
    }

    @Override
    public void roleGrantPermission(AuthRoleGrantPermissionRequest request,
            StreamObserver<AuthRoleGrantPermissionResponse> observer) {
        observer.onError(precondition(ROLE_NOT_FOUND));
    }

    @Override
    public void roleRevokePermission(AuthRoleRevokePermissionRequest request,
            StreamObserver<AuthRoleRevokePermissionResponse> observer) {
        observer.onError(precondition(ROLE_NOT_FOUND));
    }

    @Override
    public void userAdd(AuthUserAddRequest request, StreamObserver<AuthUserAddResponse> observer) {
        observer.onError(Replies.unimplemented(UNSUPPORTED));
    }

    @Override
    public void roleAdd(AuthRoleAddRequest request, StreamObserver<AuthRoleAddResponse> observer) {
        observer.onError(Replies.unimplemented(UNSUPPORTED));
    }
}
