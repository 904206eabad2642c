package io.pgha.core.dcs;

import com.google.protobuf.ByteString;

/** The key layout under {@code /pgha/<cluster>/} (ARCHITECTURE.md "Store key layout"). */
record DcsKeys(String cluster) {
    String prefix() {
        return "/pgha/" + cluster + "/";
    }

    ByteString leader() {
        return key("leader");
    }

    ByteString initialize() {
        return key("initialize");
    }

    ByteString member(String name) {
        return key("members/" + name);
    }

    ByteString status() {
        return key("status");
    }

    ByteString history() {
        return key("history");
    }

    ByteString sync() {
        return key("sync");
    }

    ByteString witness(String name) {
        return key("witnesses/" + name);
    }

    ByteString failover() {
        return key("failover");
    }

    ByteString key(String suffix) {
        return ByteString.copyFromUtf8(prefix() + suffix);
    }

    /** The etcd range end that covers every key with the prefix: the prefix with its last byte incremented. */
    ByteString prefixEnd() {
        byte[] p = prefix().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        p[p.length - 1]++;
        return ByteString.copyFrom(p);
    }

    /** The name relative to the prefix, e.g. {@code members/a}; null for a key outside it. */
    String relative(ByteString key) {
        String k = key.toStringUtf8();
        return k.startsWith(prefix()) ? k.substring(prefix().length()) : null;
    }
}
