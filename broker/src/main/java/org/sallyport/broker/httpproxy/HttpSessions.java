package org.sallyport.broker.httpproxy;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.sallyport.broker.audit.AuditLog;
import org.sallyport.broker.credentials.CredentialVault;
import org.sallyport.broker.domain.GatewaySession;
import org.sallyport.broker.domain.SessionEndReason;
import org.sallyport.broker.domain.Target;
import org.sallyport.broker.gateway.ChannelRecording;
import org.sallyport.broker.gateway.GatewaySessions;
import org.sallyport.broker.gateway.SessionRecordings;
import org.sallyport.broker.store.Store;
import org.sallyport.broker.workflow.TargetCatalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admission and lifetime of HTTP sessions, with the same rules as SSH: a session opens only under an APPROVED,
 * unrevoked grant of that user for that target, inside its window; it ends at the grant's notAfter, on a
 * supervisor's terminate, on revocation or cancellation, after {@link HttpProxySettings#idleTimeout()} without a
 * request, or when its recording fails. A session is addressed by a ticket: 256 random bits that only the vendor's
 * {@code sallyport connect --http} listener holds and adds to each request it tunnels.
 *
 * <p>Security guarantees: a ticket is useless after its session ends (the registry forgets it); tickets never
 * appear in a log line, an audit event or a recording (the recorded request shows it redacted).
 *
 * <p>Threading: {@link #open} and {@link #end} do JDBC and file I/O: call them off the event loop. The time box
 * runs on its own thread every 250 ms against the injected clock.
 */
public final class HttpSessions implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpSessions.class);

    private final Store store;
    private final AuditLog audit;
    private final TargetCatalog targets;
    private final GatewaySessions sessions;
    private final SessionRecordings recordings;
    private final CredentialVault vault;
    private final HttpProxySettings settings;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, HttpSession> byTicket = new ConcurrentHashMap<>();
    private final Map<String, DeviceAuth> deviceAuth = new ConcurrentHashMap<>();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "http-proxy-timebox");
        t.setDaemon(true);
        return t;
    });

    public HttpSessions(Store store, AuditLog audit, TargetCatalog targets, GatewaySessions sessions, SessionRecordings recordings,
                        CredentialVault vault, HttpProxySettings settings, Clock clock) {
        this.store = store;
        this.audit = audit;
        this.targets = targets;
        this.sessions = sessions;
        this.recordings = recordings;
        this.vault = vault;
        this.settings = settings;
        this.clock = clock;
        ticker.scheduleWithFixedDelay(this::tick, 250, 250, TimeUnit.MILLISECONDS);
    }

    public HttpProxySettings settings() {
        return settings;
    }

    /** A newly opened session and the ticket its tunnel presents. */
    public record Opened(HttpSession session, String ticket) {}

    /** Admits {@code username} to {@code targetId}'s web UI now, or throws (audited) saying why. Blocking. */
    public Opened open(String username, String targetId, String remote) {
        GatewaySessions.Admission admission = sessions.admit(username, targetId, remote, GatewaySessions.Service.HTTP);
        ChannelRecording rec = recordings.openHttp(admission); // throws: no session without a recording
        GatewaySession gs;
        try {
            gs = sessions.started(admission, "http", null, rec.id(), remote);
        } catch (RuntimeException e) {
            rec.close();
            throw e;
        }
        byte[] raw = new byte[32];
        random.nextBytes(raw);
        String ticket = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        HttpSession s = new HttpSession(ticket, gs, admission.target(), admission.grant().notAfter(), rec, clock.instant());
        rec.onBackgroundFailure(e -> end(s, SessionEndReason.RECORDER_FAILURE, "recording failed: " + e.getMessage()));
        byTicket.put(ticket, s);
        return new Opened(s, ticket);
    }


    /** The live session holding {@code ticket}, if any. */
    public Optional<HttpSession> find(String ticket) {
        if (ticket == null) return Optional.empty();
        HttpSession s = byTicket.get(ticket);
        return s == null || s.endReason() != null ? Optional.empty() : Optional.of(s);
    }

    /** The device credential injector of a target (password from the vault, read once). */
    DeviceAuth deviceAuth(Target t) {
        return deviceAuth.computeIfAbsent(t.id(), id -> {
            char[] secret = vault.get(t.credentialRef()).orElseThrow(() -> new IllegalStateException(
                    "credential of target " + id + " is not in the vault"));
            try {
                return new DeviceAuth(t.deviceUser() == null ? "root" : t.deviceUser(), secret);
            } finally {
                java.util.Arrays.fill(secret, '\0');
            }
        });
    }

    /**
     * Ends a session once: cuts its in-flight exchanges, seals the recording and records {@code session.ended}.
     * Blocking (JDBC, fsync); the in-flight cuts hop to their own event loops.
     */
    public void end(HttpSession s, SessionEndReason reason, String detail) {
        if (!s.markEnded(reason)) return;
        byTicket.remove(s.ticket());
        String head = null;
        try {
            head = s.recording().close();
        } catch (RuntimeException e) {
            LOG.error("HTTP session {}: recording could not be sealed", s.id(), e);
        }
        try {
            sessions.ended(s.session(), reason, s.bytesIn(), s.bytesOut(), head, detail);
        } catch (RuntimeException e) {
            LOG.error("HTTP session {}: end could not be recorded", s.id(), e);
        }
    }

    /** The live session {@code sessionId}, if it is on this broker. */
    public Optional<HttpSession> liveSession(String sessionId) {
        return byTicket.values().stream().filter(x -> x.id().equals(sessionId)).findFirst();
    }

    /** Ends the session {@code sessionId} if it is live here; false otherwise. */
    public boolean terminate(String sessionId, String by) {
        Optional<HttpSession> s = byTicket.values().stream().filter(x -> x.id().equals(sessionId)).findFirst();
        s.ifPresent(x -> end(x, SessionEndReason.TERMINATED_BY_SUPERVISOR, "terminated by " + by));
        return s.isPresent();
    }

    /** Ends the live sessions of a request whose grants ended early (revoked, cancelled). */
    public void grantsEnded(String requestId, SessionEndReason reason) {
        for (HttpSession s : List.copyOf(byTicket.values())) {
            if (s.session().requestId().equals(requestId)) end(s, reason, reason.wireName());
        }
    }

    /** Byte counts {in, out} of a session live here. */
    public Optional<long[]> liveBytes(String sessionId) {
        return byTicket.values().stream().filter(x -> x.id().equals(sessionId)).findFirst().map(x -> new long[] {x.bytesIn(), x.bytesOut()});
    }

    public int liveSessions() {
        return byTicket.size();
    }

    private void tick() {
        Instant now = clock.instant();
        for (HttpSession s : List.copyOf(byTicket.values())) {
            try {
                if (!now.isBefore(s.notAfter())) end(s, SessionEndReason.EXPIRED, "window ended");
                else if (!now.isBefore(s.lastActivity().plus(settings.idleTimeout()))) end(s, SessionEndReason.COMPLETED, "idle");
            } catch (RuntimeException e) {
                LOG.error("HTTP time box failed for session {}", s.id(), e);
            }
        }
    }

    /** Ends every live session (broker shutdown). */
    @Override
    public void close() {
        ticker.shutdownNow();
        for (HttpSession s : List.copyOf(byTicket.values())) end(s, SessionEndReason.BROKER_RESTART, "broker shutdown");
    }
}
