/**
 * Watches over the key space, as etcd's watchable store: the apply thread only appends a revision's events to each
 * synced watcher's bounded queue and signals; delivery runs on an executor, one logical consumer per watcher. A
 * watcher that starts in the past, or whose queue overflows, catches up from the retained history in chunks, under
 * the store's read lock, and is cancelled with the compact revision if that history is gone.
 */
package io.pgha.store.watch;
