package org.sallyport.broker.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.OpenSshCertificate;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.forward.ForwardingFilter;
import org.apache.sshd.server.session.ServerSession;
import org.sallyport.broker.audit.AuditLog;
import org.sallyport.broker.config.BrokerConfig;
import org.sallyport.broker.credentials.CredentialVault;
import org.sallyport.broker.domain.SessionEndReason;
import org.sallyport.broker.workflow.TargetCatalog;
import org.sallyport.recorder.audit.AuditEventDraft;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SSH listener vendors connect to with a stock OpenSSH client.
 *
 * <p>Security guarantees: only public-key authentication with an OpenSSH user certificate signed by the
 * broker's user CA, whose principal is the user part of {@code USER+TARGET}; no password or
 * keyboard-interactive login. No subsystem (sftp, scp), no port forwarding either way, no agent or X11
 * forwarding: each refusal is asked of the {@link SessionGuard} and audited. Shell and exec channels are
 * brokered by {@link BrokeredChannel}.
 */
public final class Gateway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);
    static final AttributeKey<String> USER = new AttributeKey<>();
    static final AttributeKey<String> TARGET = new AttributeKey<>();

    final GatewaySessions sessions;
    final SessionGuard.Factory guards;
    final Recordings recordings;
    final UpstreamConnector upstream;
    final LiveSessions live;
    final AuditLog audit;
    final LiveFeed feed;
    private final SshServer server;
    private final UserCertificateAuthority ca;

    public Gateway(BrokerConfig.Ssh config, SshKeys keys, GatewaySessions sessions, SessionGuard.Factory guards, Recordings recordings,
                   CredentialVault vault, TargetCatalog targets, AuditLog audit, LiveFeed feed, Clock clock) {
        this.sessions = sessions;
        this.guards = guards;
        this.recordings = recordings;
        this.audit = audit;
        this.feed = feed;
        this.ca = new UserCertificateAuthority(keys.userCa(), clock);
        this.upstream = new UpstreamConnector(vault, targets.all());
        this.live = new LiveSessions(clock);
        server = SshServer.setUpDefaultServer();
        server.setHost(config.host());
        server.setPort(config.port());
        server.setKeyPairProvider(KeyPairProvider.wrap(keys.hostKey()));
        SshAlgorithms.vendorSide(server);
        server.setPasswordAuthenticator(null);
        server.setKeyboardInteractiveAuthenticator(null);
        server.setPublickeyAuthenticator(this::authenticate);
        server.setSubsystemFactories(List.of(new RefusedSubsystem(this, "sftp")));
        server.setAgentFactory(null);
        server.setForwardingFilter(new GuardedForwarding());
        server.setShellFactory(channel -> new BrokeredChannel(this, null));
        server.setCommandFactory((channel, command) -> new BrokeredChannel(this, command));
    }

    public LiveFeed feed() {
        return feed;
    }

    public UserCertificateAuthority certificateAuthority() {
        return ca;
    }

    /** Starts listening; returns the bound port. */
    public int start() {
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(new IOException("SSH gateway cannot listen on " + server.getHost() + ":" + server.getPort()
                    + ": " + e.getMessage(), e));
        }
        int n = 0;
        try {
            n = sessions.endOrphans();
        } catch (RuntimeException e) {
            LOG.error("could not close sessions left open by a previous run", e);
        }
        if (n > 0) LOG.warn("{} session(s) left open by a previous run were ended as broker-restart", n);
        return server.getPort();
    }

    public int port() {
        return server.getPort();
    }

    public int liveSessions() {
        return live.size();
    }

    /** Terminates a live session on this broker; false when it is not live here. */
    public boolean terminate(String sessionId, String by) {
        return live.find(sessionId).map(c -> {
            c.terminate(SessionEndReason.TERMINATED_BY_SUPERVISOR, "the session was terminated by a supervisor", "terminated by " + by);
            return true;
        }).orElse(false);
    }

    /** Byte counts so far {in, out} of a session live on this broker. */
    public java.util.Optional<long[]> liveBytes(String sessionId) {
        return live.find(sessionId).map(c -> new long[] {c.bytesIn(), c.bytesOut()});
    }

    /** Ends live sessions of a request whose grants ended early (revoked, cancelled). */
    public void grantsEnded(String requestId, SessionEndReason reason) {
        live.endRequest(requestId, reason);
    }

    /** USER+TARGET with a certificate from our CA naming USER. */
    private boolean authenticate(String username, java.security.PublicKey key, ServerSession session) {
        int plus = username.indexOf('+');
        String user = plus > 0 ? username.substring(0, plus) : username;
        String target = plus > 0 ? username.substring(plus + 1) : "";
        boolean ok = key instanceof OpenSshCertificate cert
                && KeyUtils.compareKeys(cert.getCaPubKey(), ca.publicKey())
                && cert.getType() == OpenSshCertificate.Type.USER
                && cert.getPrincipals().contains(user)
                && !target.isEmpty();
        if (ok) {
            session.setAttribute(USER, user);
            session.setAttribute(TARGET, target);
        } else if (key instanceof OpenSshCertificate || plus > 0) {
            // Plain keys are tried silently by clients before the certificate; only real failures are audited.
            audit.record(new AuditEventDraft(user.isEmpty() ? "anonymous" : user, "gateway.auth-refused", "target", target.isEmpty() ? null : target,
                    Map.of("reason", target.isEmpty() ? "user name must be USER+TARGET" : "not a certificate from the Sallyport user CA for " + user,
                            "remote", String.valueOf(session.getClientAddress()))));
        }
        return ok;
    }

    /**
     * Asks the session guard about a channel this gateway does not broker (subsystems, forwarding, agent,
     * X11), audits the refusal and returns the verdict shown to the vendor. A rule that allows one is still
     * refused: the gateway has no brokered, recorded path for it.
     */
    SessionGuard.Verdict refuseChannel(String user, String target, String kind, String detail) {
        SessionGuard.Verdict v;
        try {
            v = guards.forSession(new SessionGuard.Context(user, target, kind, detail, false)).channelRequest(kind, detail);
        } catch (RuntimeException e) {
            LOG.error("guard unavailable; refusing {}", kind, e);
            v = new SessionGuard.Verdict(SessionGuard.Action.BLOCK, DefaultSessionGuard.RULE_CHANNELS, "the policy is unavailable (fail closed)");
        }
        if (v.action() == SessionGuard.Action.PASS) {
            v = new SessionGuard.Verdict(SessionGuard.Action.BLOCK, v.ruleId(), kind + " is allowed by policy but not supported by this gateway");
        }
        audit.record(new AuditEventDraft(user == null ? "anonymous" : user, "session.channel-refused", "target", target,
                Map.of("kind", kind, "detail", String.valueOf(detail), "rule", v.ruleId(), "reason", v.reason())));
        return v;
    }

    private final class GuardedForwarding implements ForwardingFilter {
        private boolean refuse(org.apache.sshd.common.session.Session session, String kind, String detail) {
            refuseChannel(session.getAttribute(USER), session.getAttribute(TARGET), kind, detail);
            return false;
        }

        @Override
        public boolean canForwardAgent(org.apache.sshd.common.session.Session session, String requestType) {
            return refuse(session, "agent", requestType);
        }

        @Override
        public boolean canForwardX11(org.apache.sshd.common.session.Session session, String requestType) {
            return refuse(session, "x11", requestType);
        }

        @Override
        public boolean canListen(SshdSocketAddress address, org.apache.sshd.common.session.Session session) {
            return refuse(session, "port-forward", "remote " + address);
        }

        @Override
        public boolean canConnect(Type type, SshdSocketAddress address, org.apache.sshd.common.session.Session session) {
            return refuse(session, "port-forward", type + " " + address);
        }
    }

    @Override
    public void close() {
        live.close();
        try {
            live.awaitEmpty(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            server.stop(true);
        } catch (IOException e) {
            LOG.warn("SSH gateway did not stop cleanly", e);
        }
        upstream.close();
    }
}
