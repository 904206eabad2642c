/**
 * The HA decision as a pure function (STYLE P2): {@link io.pgha.core.ha.HaDecider#decide} maps one
 * {@link io.pgha.core.dcs.ClusterView} and one {@link io.pgha.core.ha.LocalView} to one {@link io.pgha.core.ha.Action}.
 * The branches live in small deciders: {@code LeaderRace} (bootstrap and leader races), {@code LeaderDuties}
 * (renew, demote), {@code ReplicaDuties} (join, start, follow, promote) and {@code Recovery} (rewind, re-clone);
 * {@code Candidates} is the single eligibility rule and ranking they share.
 */
package io.pgha.core.ha;
