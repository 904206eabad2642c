/**
 * Test fixtures published in raft-store's test-jar: {@link io.pgha.store.testing.InMemoryKv}, a deliberately simple
 * reference model of pgha's etcd semantics (also the DCS fake of other modules' tests), and
 * {@link io.pgha.store.testing.KvStoreContract}, the behaviour every {@link io.pgha.store.KvStore} must show.
 */
package io.pgha.store.testing;
