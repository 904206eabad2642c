package io.pgha.store.api;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.pgha.store.EtcdErrors;
import io.pgha.store.StoreCluster;
import io.pgha.store.StoreCluster.StoreMember;
import io.pgha.store.proto.ClusterGrpc;
import io.pgha.store.proto.Member;
import io.pgha.store.proto.MemberAddRequest;
import io.pgha.store.proto.MemberAddResponse;
import io.pgha.store.proto.MemberListRequest;
import io.pgha.store.proto.MemberListResponse;
import io.pgha.store.proto.MemberPromoteRequest;
import io.pgha.store.proto.MemberPromoteResponse;
import io.pgha.store.proto.MemberRemoveRequest;
import io.pgha.store.proto.MemberRemoveResponse;
import io.pgha.store.proto.MemberUpdateRequest;
import io.pgha.store.proto.MemberUpdateResponse;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@code etcdserverpb.Cluster} over {@link StoreCluster}. Headers carry no revision (as etcd's, observed).
 * MemberUpdate (changing a member's peer URLs) is not supported by the Raft layer and answers UNIMPLEMENTED for a
 * known member.
 */
final class ClusterService extends ClusterGrpc.ClusterImplBase {
    static final String BAD_URLS = "etcdserver: given member URLs are invalid";

    private final StoreCluster cluster;
    private final Headers headers;

    ClusterService(StoreCluster cluster, Headers headers) {
        this.cluster = cluster;
        this.headers = headers;
    }

    static Member toProto(StoreMember m) {
        return Member.newBuilder().setID(m.id()).setName(m.name()).addAllPeerURLs(m.peerUrls())
                .addAllClientURLs(m.clientUrls()).setIsLearner(m.learner()).build();
    }

    private static List<Member> toProto(List<StoreMember> members) {
        return members.stream().map(ClusterService::toProto).toList();
    }

    @Override
    public void memberList(MemberListRequest request, StreamObserver<MemberListResponse> observer) {
        Replies.call(() -> CompletableFuture.completedFuture(cluster.members()), ms -> MemberListResponse.newBuilder()
                .setHeader(headers.withoutRevision()).addAllMembers(toProto(ms)).build(), observer);
    }

    @Override
    public void memberAdd(MemberAddRequest request, StreamObserver<MemberAddResponse> observer) {
        if (request.getPeerURLsCount() == 0 || !request.getPeerURLsList().stream().allMatch(MemberUrls::valid)) {
            observer.onError(Status.INVALID_ARGUMENT.withDescription(BAD_URLS).asRuntimeException());
            return;
        }
        String peerUrl = request.getPeerURLs(0);
        Replies.call(() -> cluster.addMember("", peerUrl, List.of(), request.getIsLearner()), ms -> {
            MemberAddResponse.Builder b = MemberAddResponse.newBuilder().setHeader(headers.withoutRevision())
                    .addAllMembers(toProto(ms));
            ms.stream().filter(m -> m.peerUrls().contains(peerUrl)).findFirst()
                    .ifPresent(m -> b.setMember(toProto(m)));
            return b.build();
        }, observer);
    }

    @Override
    public void memberRemove(MemberRemoveRequest request, StreamObserver<MemberRemoveResponse> observer) {
        Replies.call(() -> cluster.removeMember(request.getID()), ms -> MemberRemoveResponse.newBuilder()
                .setHeader(headers.withoutRevision()).addAllMembers(toProto(ms)).build(), observer);
    }

    @Override
    public void memberPromote(MemberPromoteRequest request, StreamObserver<MemberPromoteResponse> observer) {
        Replies.call(() -> cluster.promoteMember(request.getID()), ms -> MemberPromoteResponse.newBuilder()
                .setHeader(headers.withoutRevision()).addAllMembers(toProto(ms)).build(), observer);
    }

    @Override
    public void memberUpdate(MemberUpdateRequest request, StreamObserver<MemberUpdateResponse> observer) {
        boolean known = cluster.members().stream().anyMatch(m -> m.id() == request.getID());
        if (!known) {
            observer.onError(Replies.error(EtcdErrors.MEMBER_NOT_FOUND));
            return;
        }
        observer.onError(Replies.unimplemented("pgha: changing a member's peer URLs is not supported; "
                + "remove the member and add it again"));
    }

    /** etcd's types.NewURLs check: absolute http(s) URLs with a host and port, no path. */
    static final class MemberUrls {
        private MemberUrls() {
        }

        static boolean valid(String url) {
            try {
                URI u = new URI(url);
                return ("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null
                        && u.getPort() > 0 && (u.getPath() == null || u.getPath().isEmpty());
            } catch (java.net.URISyntaxException e) {
                return false;
            }
        }
    }
}
