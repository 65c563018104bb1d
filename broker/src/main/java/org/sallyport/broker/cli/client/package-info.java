/**
 * Client side of the {@code sallyport} command: log in to a broker, request, decide and list access, verify the audit
 * chain, all over the REST API described in {@code api/openapi.yaml}, and reach devices with the stock OpenSSH client.
 *
 * <h2>Security guarantees</h2>
 * The access token is kept only in {@code $SALLYPORT_HOME/session.json} (mode 0600, directory 0700, written
 * atomically) and is printed by {@code sallyport token} alone; it is sent only to the broker URL it was issued by.
 * With {@code --ca FILE} the client trusts that CA and nothing else. For vendor technicians, login also saves an SSH
 * certificate (valid no longer than the token) and a known_hosts pinning the gateway; {@code connect} and
 * {@code ssh-config} always run ssh with strict host key checking and with agent, X11 and port forwarding off, and
 * {@code logout} deletes the certificate.
 *
 * <h2>Restrictions</h2>
 * Commands are single-threaded and short-lived. Exit codes are decided in {@link ClientExitCodes} only.
 */
package org.sallyport.broker.cli.client;
