/**
 * The node agent: composes the replicated store, its etcd API, the HA loop, the Postgres manager, the REST API and
 * the proxy into one process per node ({@code pgha run}). {@link io.pgha.core.agent.NodeAgent} starts them in order
 * and stops them in reverse; {@link io.pgha.core.agent.HaLoop} runs one decision per cycle and hands long actions to
 * a single worker; {@link io.pgha.core.agent.JoinService} lets a new node enter the store's Raft group when it
 * presents the cluster token. Postgres outlives the agent unless asked otherwise (STYLE P15).
 */
package io.pgha.core.agent;
