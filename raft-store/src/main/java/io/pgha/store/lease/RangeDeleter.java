package io.pgha.store.lease;

import com.google.protobuf.ByteString;
import java.util.List;

/** Deletes keys of a revoked lease, all in one revision (none if the list is empty). */
@FunctionalInterface
public interface RangeDeleter {
    void deleteKeys(List<ByteString> sortedKeys);
}
