package io.pgha.store.mvcc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.pgha.store.proto.Event;
import java.util.List;
import org.junit.jupiter.api.Test;

class MvccStoreTest {
    private final MvccStore kv = new MvccStore();

    private static ByteString bs(String s) {
        return ByteString.copyFromUtf8(s);
    }

    private void put(String k, String v) {
        WriteTxn w = kv.write();
        w.put(bs(k), bs(v), 0);
        w.commit();
    }

    private void delete(String k) {
        WriteTxn w = kv.write();
        w.deleteRange(KeyRange.single(bs(k)));
        w.commit();
    }

    @Test
    void compactionFreesOldVersionsAndDeletedKeysButKeepsWhatLaterReadsSee() {
        for (int i = 0; i < 5; i++) {
            put("live", "v" + i);
        }
        put("gone", "x");
        delete("gone");
        put("late", "y");
        assertThat(kv.exportHistory().get(bs("live"))).hasSize(5);
        kv.compact(8);
        assertThat(kv.indexedKeys()).isEqualTo(2);
        assertThat(kv.exportHistory().get(bs("live"))).hasSize(1);
        assertThat(kv.rangeAt(KeyRange.single(bs("live")), 8).get(0).getValue()).isEqualTo(bs("v4"));
        assertThat(kv.rangeAt(KeyRange.of(bs("a"), KeyRange.ZERO), 9)).hasSize(2);
    }

    @Test
    void historyEventsComeInRevisionThenWriteOrderWithPreviousValues() {
        WriteTxn w = kv.write();
        w.put(bs("b"), bs("1"), 0);
        w.put(bs("a"), bs("1"), 0);
        w.commit();
        put("a", "2");
        delete("b");
        List<Event> events = kv.events(KeyRange.of(bs("a"), bs("c")), 2, 4);
        assertThat(events).extracting(e -> e.getKv().getKey().toStringUtf8() + "@" + e.getKv().getModRevision())
                .containsExactly("b@2", "a@2", "a@3", "b@4");
        assertThat(events.get(2).getPrevKv().getValue()).isEqualTo(bs("1"));
        assertThat(events.get(3).getType()).isEqualTo(Event.EventType.DELETE);
        assertThat(events.get(3).getPrevKv().getModRevision()).isEqualTo(2);
    }

    @Test
    void writeWithoutEffectDoesNotMoveTheRevision() {
        WriteTxn w = kv.write();
        assertThat(w.deleteRange(KeyRange.of(bs("a"), KeyRange.ZERO))).isEmpty();
        assertThat(w.commit()).isEmpty();
        assertThat(kv.revision()).isEqualTo(1);
    }

    @Test
    void keyRangesFollowEtcdsRules() {
        assertThat(KeyRange.of(bs("a"), ByteString.EMPTY).contains(bs("a"))).isTrue();
        assertThat(KeyRange.of(bs("a"), ByteString.EMPTY).contains(bs("ab"))).isFalse();
        assertThat(KeyRange.of(bs("b"), KeyRange.ZERO).contains(bs("\u00ff"))).isTrue();
        assertThat(KeyRange.of(bs("b"), KeyRange.ZERO).contains(bs("a"))).isFalse();
        assertThat(KeyRange.of(KeyRange.ZERO, KeyRange.ZERO).contains(bs("a"))).isTrue();
        assertThat(KeyRange.of(bs("b"), bs("a")).contains(bs("b"))).isFalse();
    }
}
