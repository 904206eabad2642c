/** Declarative host tasks with check, diff and apply: CIS controls and UFW rules. */
package io.pgha.hardening;
