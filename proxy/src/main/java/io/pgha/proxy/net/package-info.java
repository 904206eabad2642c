/**
 * The data path. {@link io.pgha.proxy.net.FrontendHandler} (client side) and
 * {@link io.pgha.proxy.net.BackendHandler} (Postgres side) share one event loop per session, start with auto-read
 * off, push back through write-buffer water marks, and release every buffer they drop.
 * {@link io.pgha.proxy.net.Switchboard} holds the table in force and every live session, so that a leader change or a
 * lapse of leader confirmation closes exactly the sessions it must, and no session slips between the two.
 */
package io.pgha.proxy.net;
