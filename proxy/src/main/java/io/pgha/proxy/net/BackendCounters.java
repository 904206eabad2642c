package io.pgha.proxy.net;

import java.util.concurrent.atomic.LongAdder;

/**
 * Traffic counters of one backend member. Bytes are added on the event loops without locks; the session counts are
 * changed only under the {@link Switchboard}'s lock, which is also what makes least-connections choices consistent.
 */
final class BackendCounters {
    final LongAdder bytesToBackend = new LongAdder();
    final LongAdder bytesFromBackend = new LongAdder();
    long active;
    long total;
}
