/**
 * Client side of the {@code sallyport} command: log in to a broker, request, decide and list access, and verify the
 * audit chain, all over the REST API described in {@code api/openapi.yaml}.
 *
 * <h2>Security guarantees</h2>
 * The access token is kept only in {@code $SALLYPORT_HOME/session.json} (mode 0600, directory 0700, written
 * atomically) and is printed by {@code sallyport token} alone; it is sent only to the broker URL it was issued by.
 * With {@code --ca FILE} the client trusts that CA and nothing else.
 *
 * <h2>Restrictions</h2>
 * Commands are single-threaded and short-lived. Exit codes are decided in {@link ClientExitCodes} only.
 */
package org.sallyport.broker.cli.client;
