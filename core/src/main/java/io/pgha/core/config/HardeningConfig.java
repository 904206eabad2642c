package io.pgha.core.config;

import java.util.List;

/**
 * The {@code hardening} section, applied by {@code pgha apply}.
 *
 * @param enabled apply hardening at all, default false
 * @param ufw manage the UFW firewall, default true
 * @param cis apply the CIS controls, default true
 * @param allowedClientCidrs networks allowed to reach the proxy and Postgres ports; empty means anywhere
 */
public record HardeningConfig(boolean enabled, boolean ufw, boolean cis, List<Cidr> allowedClientCidrs) {
    public HardeningConfig {
        allowedClientCidrs = List.copyOf(allowedClientCidrs);
    }
}
