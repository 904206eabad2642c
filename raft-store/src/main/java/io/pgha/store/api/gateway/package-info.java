/**
 * etcd 3.4's HTTP/1.1 JSON gateway (grpc-gateway v1 rules) as a Netty handler: each {@code /v3/...} path is bound
 * to a gRPC service method and called in-process on the same service objects the gRPC server uses, so both
 * transports answer identically. JSON uses proto field names, int64 as strings and base64 bytes; streams are
 * chunked, one {@code {"result":...}} line per message.
 */
package io.pgha.store.api.gateway;
