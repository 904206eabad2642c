package io.pgha.store.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.pgha.store.proto.LeaseGrantRequest;
import io.pgha.store.proto.LogEntry;
import io.pgha.store.proto.PutRequest;
import io.pgha.store.proto.RangeRequest;
import io.pgha.store.proto.WatchCreateRequest;
import io.pgha.store.proto.WatchResponse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

class SnapshotFormatTest {

    private static byte[] snapshotOf(MvccStoreState s) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        s.writeSnapshot(out);
        return out.toByteArray();
    }

    private static MvccStoreState populated() {
        MvccStoreState s = new MvccStoreState();
        s.apply(LogEntry.newBuilder().setLeaseGrant(LeaseGrantRequest.newBuilder().setID(5).setTTL(10)).build());
        s.apply(LogEntry.newBuilder().setPut(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("a"))
                .setValue(ByteString.copyFromUtf8("1")).setLease(5)).build());
        return s;
    }

    @Test
    void startsWithMagicAndVersion() throws IOException {
        ByteBuffer b = ByteBuffer.wrap(snapshotOf(populated()));
        assertThat(b.getInt()).isEqualTo(SnapshotFormat.MAGIC);
        assertThat(b.getInt()).isEqualTo(1);
        assertThat(b.getLong()).as("revision").isEqualTo(2);
    }

    @Test
    void refusesForeignVersionsAndTruncatedSnapshots() throws IOException {
        byte[] good = snapshotOf(populated());
        byte[] future = good.clone();
        future[7] = 2;
        MvccStoreState target = new MvccStoreState();
        assertThatThrownBy(() -> target.readSnapshot(new ByteArrayInputStream(future)))
                .isInstanceOf(IOException.class).hasMessageContaining("version 2");
        byte[] foreign = good.clone();
        foreign[0] = 'X';
        assertThatThrownBy(() -> target.readSnapshot(new ByteArrayInputStream(foreign)))
                .isInstanceOf(IOException.class).hasMessageContaining("magic");
        byte[] cut = Arrays.copyOf(good, good.length - 3);
        assertThatThrownBy(() -> target.readSnapshot(new ByteArrayInputStream(cut))).isInstanceOf(IOException.class);
        assertThat(target.revision()).as("a refused snapshot changes nothing").isEqualTo(1);
    }

    @Test
    void restoringReplacesStateAndCancelsOpenWatchesWithAReason() throws IOException {
        MvccStoreState target = new MvccStoreState();
        List<WatchResponse> got = new ArrayList<>();
        target.watch(WatchCreateRequest.newBuilder().setKey(ByteString.copyFromUtf8("a")).build(), r -> {
            synchronized (got) {
                got.add(r);
            }
        });
        target.readSnapshot(new ByteArrayInputStream(snapshotOf(populated())));
        assertThat(target.range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("a")).build()).getKvs(0)
                .getLease()).isEqualTo(5);
        assertThat(target.leaseTtls()).containsEntry(5L, 10L);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            synchronized (got) {
                if (got.size() >= 2) {
                    break;
                }
            }
            LockSupport.parkNanos(1_000_000L);
        }
        synchronized (got) {
            assertThat(got).hasSize(2);
            assertThat(got.get(1).getCanceled()).isTrue();
            assertThat(got.get(1).getCancelReason()).contains("snapshot");
        }
    }
}
