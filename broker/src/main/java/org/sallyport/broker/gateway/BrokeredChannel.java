package org.sallyport.broker.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.Signal;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.sallyport.broker.domain.GatewaySession;
import org.sallyport.broker.domain.SessionEndReason;
import org.sallyport.broker.error.ForbiddenException;
import org.sallyport.recorder.audit.AuditEventDraft;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One vendor channel (shell or exec) brokered to the device.
 *
 * <p>Security guarantees: nothing is forwarded before the grant, the guard and the recorder have all
 * said yes; every byte is appended to the recording before it is forwarded, and a recording failure ends
 * the session (fail closed); the session ends at the grant's notAfter, on revocation or on a supervisor's
 * terminate.
 *
 * <p>Threading: MINA calls {@link #start} on an I/O thread; set-up and the pumps run on virtual threads.
 * Writes to the vendor's output are serialised on {@code vendorOutLock} (pump and time-box notices).
 */
final class BrokeredChannel implements Command {
    private static final Logger LOG = LoggerFactory.getLogger(BrokeredChannel.class);
    private static final int BUFFER = 32 * 1024;

    private final Gateway gw;
    private final String command;
    private InputStream in;
    private OutputStream out;
    private OutputStream err;
    private ExitCallback exit;
    private final Object vendorOutLock = new Object();
    private final AtomicLong bytesIn = new AtomicLong();
    private final AtomicLong bytesOut = new AtomicLong();
    private final AtomicReference<SessionEndReason> endReason = new AtomicReference<>();
    private final CountDownLatch vendorClosed = new CountDownLatch(1);
    private volatile UpstreamConnector.Upstream upstream;
    private volatile SessionRecording recording;
    private volatile GatewaySession session;
    private volatile String endDetail;
    private volatile SessionGuard guard;
    private volatile boolean pty;

    BrokeredChannel(Gateway gw, String command) {
        this.gw = gw;
        this.command = command;
    }

    @Override
    public void setInputStream(InputStream in) {
        this.in = in;
    }

    @Override
    public void setOutputStream(OutputStream out) {
        this.out = out;
    }

    @Override
    public void setErrorStream(OutputStream err) {
        this.err = err;
    }

    @Override
    public void setExitCallback(ExitCallback callback) {
        this.exit = callback;
    }

    @Override
    public void start(ChannelSession channel, Environment env) {
        channel.addCloseFutureListener(f -> vendorClosed.countDown());
        String user = channel.getServerSession().getAttribute(Gateway.USER);
        String target = channel.getServerSession().getAttribute(Gateway.TARGET);
        String remote = String.valueOf(channel.getServerSession().getClientAddress());
        Thread.ofVirtual().name("gw-setup-" + user + "+" + target).start(() -> run(channel, env, user, target, remote));
    }

    @Override
    public void destroy(ChannelSession channel) {
        vendorClosed.countDown();
        terminate(SessionEndReason.COMPLETED, null, "vendor closed the channel");
    }

    private void run(ChannelSession channel, Environment env, String user, String targetId, String remote) {
        GatewaySessions.Admission admission;
        String kind = command == null ? "shell" : "exec";
        try {
            admission = gw.sessions.admit(user, targetId, remote);
        } catch (ForbiddenException e) {
            refuse(e.getMessage());
            return;
        } catch (RuntimeException e) {
            LOG.error("admission failed for {}+{}", user, targetId, e);
            refuse("the broker cannot check your grant right now; try again later");
            return;
        }
        // A pty-req sets COLUMNS/LINES even when its mode list is empty (ssh -tt without a local terminal).
        pty = !env.getPtyModes().isEmpty() || env.getEnv().containsKey(Environment.ENV_COLUMNS);
        SessionGuard.Verdict v;
        try {
            guard = gw.guards.forSession(new SessionGuard.Context(user, targetId, kind, command, pty));
            v = guard.channelRequest(kind, command);
        } catch (RuntimeException e) {
            LOG.error("guard unavailable for {}+{}; refusing", user, targetId, e);
            refuse("the policy is unavailable, so no session can run (fail closed)");
            return;
        }
        if (v.action() != SessionGuard.Action.PASS) {
            Map<String, String> d = new java.util.LinkedHashMap<>();
            d.put("kind", kind);
            if (command != null) d.put("detail", v.match().isEmpty() ? "" : v.match());
            d.put("rule", v.ruleId());
            d.put("reason", v.reason());
            gw.audit.record(new AuditEventDraft(user, "session.channel-refused", "target", targetId, d));
            refuse(v.reason() + " (rule " + v.ruleId() + ")");
            return;
        }
        UpstreamConnector.Pty ptyParams = pty ? new UpstreamConnector.Pty(env.getEnv().getOrDefault(Environment.ENV_TERM, "xterm"),
                intEnv(env, Environment.ENV_COLUMNS, 80), intEnv(env, Environment.ENV_LINES, 24)) : null;
        try {
            recording = gw.recordings.open(admission, kind, command, ptyParams);
        } catch (RuntimeException e) {
            LOG.error("recorder unavailable; refusing session of {} on {}", user, targetId, e);
            gw.audit.record(new AuditEventDraft(user, "session.refused", "target", targetId, Map.of("reason", "recorder unavailable")));
            refuse("the session recorder is unavailable, so no session can run (fail closed)");
            return;
        }
        try {
            upstream = gw.upstream.open(admission.target(), command, ptyParams);
        } catch (UpstreamConnector.HostKeyMismatch e) {
            gw.audit.record(new AuditEventDraft("system", "device.host-key-mismatch", "target", targetId, Map.of("detail", e.getMessage())));
            closeRecordingQuietly();
            refuse("the device did not present its pinned host key; the broker refused to log in (audited)");
            return;
        } catch (IOException | RuntimeException e) {
            gw.audit.record(new AuditEventDraft("system", "session.refused", "target", targetId,
                    Map.of("reason", "device unreachable", "detail", String.valueOf(e.getMessage()))));
            closeRecordingQuietly();
            refuse("cannot reach device " + targetId + ": " + e.getMessage());
            return;
        }
        try {
            session = gw.sessions.started(admission, kind, command, recording.id(), remote);
        } catch (RuntimeException e) {
            LOG.error("cannot record session start; refusing", e);
            upstream.close();
            closeRecordingQuietly();
            refuse("the audit log is unavailable, so no session can run (fail closed)");
            return;
        }
        if (pty) {
            env.addSignalListener((ch, signal) -> {
                int cols = intEnv(env, Environment.ENV_COLUMNS, 80);
                int rows = intEnv(env, Environment.ENV_LINES, 24);
                try {
                    recording.event("{\"type\":\"resize\",\"cols\":" + cols + ",\"rows\":" + rows + "}");
                    if (upstream.channel() instanceof org.apache.sshd.client.channel.PtyCapableChannelSession p) p.sendWindowChange(cols, rows);
                } catch (IOException | RuntimeException e) {
                    LOG.debug("window change not forwarded", e);
                }
            }, Signal.WINCH);
        }
        recording.onFailure(this::recorderFailed);
        gw.live.add(this, admission.grant().notAfter());
        Thread inPump = Thread.ofVirtual().name("gw-in-" + session.id()).start(this::pumpInput);
        Thread errPump = Thread.ofVirtual().name("gw-err-" + session.id()).start(this::pumpStderr);
        pumpOutput();
        try {
            errPump.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Integer status = upstream.channel().getExitStatus();
        upstream.close();
        endReason.compareAndSet(null, SessionEndReason.COMPLETED);
        boolean completed = endReason.get() == SessionEndReason.COMPLETED;
        // A session the broker ended never reports the device's success: the vendor did not get all of its output.
        exit.onExit(completed ? (status == null ? 0 : status) : 255,
                endReason.get() == SessionEndReason.COMPLETED ? "" : "sallyport: " + endReason.get().wireName());
        awaitQuietly(vendorClosed, 10);
        inPump.interrupt();
        finish();
    }

    /** Ends the session: tells the vendor why (if given), closes the device side; the pumps then wind down. */
    void terminate(SessionEndReason reason, String vendorMessage, String detail) {
        if (!endReason.compareAndSet(null, reason)) return;
        endDetail = detail;
        if (vendorMessage != null && reason == SessionEndReason.POLICY_VIOLATION) stderrNotice(vendorMessage);
        else if (vendorMessage != null) notice(vendorMessage);
        UpstreamConnector.Upstream u = upstream;
        if (u != null) u.close();
    }

    /** Writes a notice on the vendor's terminal, recorded like any output. */
    void notice(String message) {
        byte[] b = ("\r\n*** sallyport: " + message + " ***\r\n").getBytes(StandardCharsets.UTF_8);
        synchronized (vendorOutLock) {
            try {
                if (recording != null) recording.event("{\"type\":\"notice\",\"message\":" + quote(message) + "}");
                out.write(b);
                out.flush();
            } catch (IOException | RuntimeException e) {
                LOG.debug("notice not delivered", e);
            }
        }
    }

    /** Writes a notice on the vendor's stderr (a policy termination), recorded as an event. */
    private void stderrNotice(String message) {
        byte[] b = ("\r\n*** sallyport: " + message + " ***\r\n").getBytes(StandardCharsets.UTF_8);
        synchronized (vendorOutLock) {
            try {
                if (recording != null) recording.event("{\"type\":\"notice\",\"stream\":\"stderr\",\"message\":" + quote(message) + "}");
                err.write(b);
                err.flush();
            } catch (IOException | RuntimeException e) {
                LOG.debug("notice not delivered", e);
            }
        }
    }

    GatewaySession session() {
        return session;
    }

    long bytesIn() {
        return bytesIn.get();
    }

    long bytesOut() {
        return bytesOut.get();
    }

    private void pumpInput() {
        byte[] buf = new byte[BUFFER];
        OutputStream dev = upstream.channel().getInvertedIn();
        try {
            int n;
            while ((n = in.read(buf)) >= 0) {
                if (n == 0) continue;
                long offset = bytesIn.getAndAdd(n);
                SessionGuard.Verdict v = guard.input(offset, buf, 0, n);
                recording.input(buf, 0, n); // write-ahead: recorded even when it is never forwarded
                if (v.action() == SessionGuard.Action.TERMINATE) {
                    gw.sessions.verdict(session, "input", v, offset);
                    terminate(SessionEndReason.POLICY_VIOLATION, "session ended by policy: " + v.reason() + " (rule " + v.ruleId() + ")", v.ruleId());
                    return;
                }
                if (v.action() == SessionGuard.Action.BLOCK) {
                    gw.sessions.verdict(session, "input", v, offset);
                    // The keystrokes before the blocked chunk already reached the device's line editor: cancel
                    // the half-typed line there (ctrl-C) so a later Enter cannot submit it.
                    if (pty) {
                        recording.event("{\"type\":\"guard-cancel-line\",\"rule\":" + quote(v.ruleId()) + "}");
                        dev.write(3);
                        dev.flush();
                    }
                    notice("input blocked by policy: " + v.reason() + " (rule " + v.ruleId() + ")");
                    continue;
                }
                dev.write(buf, 0, n);
                dev.flush();
            }
            dev.close(); // EOF to the device
        } catch (RecordingFailure e) {
            recorderFailed(e);
        } catch (IOException | RuntimeException e) {
            if (endReason.get() == null) LOG.debug("input pump ended: {}", e.toString());
        }
    }

    private void pumpOutput() {
        pump(upstream.channel().getInvertedOut(), out, false);
    }

    private void pumpStderr() {
        pump(upstream.channel().getInvertedErr(), err, true);
    }

    private void pump(InputStream from, OutputStream to, boolean stderr) {
        if (from == null) return;
        byte[] buf = new byte[BUFFER];
        try {
            int n;
            while ((n = from.read(buf)) >= 0) {
                if (n == 0) continue;
                long offset = bytesOut.getAndAdd(n);
                SessionGuard.Verdict v = stderr ? guard.error(offset, buf, 0, n) : guard.output(offset, buf, 0, n);
                synchronized (vendorOutLock) {
                    recording.output(buf, 0, n); // write-ahead: recorded before the vendor sees it, even when blocked
                    if (v.action() == SessionGuard.Action.PASS) {
                        to.write(buf, 0, n);
                        to.flush();
                        gw.feed.output(session.id(), buf, 0, n);
                    }
                }
                if (v.action() == SessionGuard.Action.TERMINATE) {
                    gw.sessions.verdict(session, stderr ? "stderr" : "output", v, offset);
                    terminate(SessionEndReason.POLICY_VIOLATION, "session ended by policy: " + v.reason() + " (rule " + v.ruleId() + ")", v.ruleId());
                    return;
                }
                if (v.action() == SessionGuard.Action.BLOCK) gw.sessions.verdict(session, stderr ? "stderr" : "output", v, offset);
            }
        } catch (RecordingFailure e) {
            recorderFailed(e);
        } catch (IOException | RuntimeException e) {
            if (endReason.get() == null) LOG.debug("output pump ended: {}", e.toString());
        }
    }

    private void recorderFailed(RecordingFailure e) {
        LOG.error("recording failed; ending session {} (fail closed)", session.id(), e);
        terminate(SessionEndReason.RECORDER_FAILURE, "the session recorder failed; the session ends (fail closed)", e.getMessage());
    }

    private void finish() {
        gw.live.remove(this);
        gw.feed.ended(session.id());
        String head = null;
        try {
            head = recording.close();
        } catch (RuntimeException e) {
            LOG.error("recording of session {} could not be sealed", session.id(), e);
            endDetail = "recording not sealed: " + e.getMessage();
        }
        try {
            gw.sessions.ended(session, endReason.get(), bytesIn.get(), bytesOut.get(), head, endDetail);
        } catch (RuntimeException e) {
            LOG.error("session-ended event for {} could not be written", session.id(), e);
        }
    }

    private void refuse(String message) {
        try {
            err.write(("sallyport: " + message + "\r\n").getBytes(StandardCharsets.UTF_8));
            err.flush();
        } catch (IOException e) {
            LOG.debug("refusal not delivered", e);
        }
        exit.onExit(1, message);
    }

    private void closeRecordingQuietly() {
        try {
            if (recording != null) recording.close();
        } catch (RuntimeException e) {
            LOG.debug("discarding recording of a refused session", e);
        }
    }

    private static int intEnv(Environment env, String key, int dflt) {
        try {
            return Integer.parseInt(env.getEnv().getOrDefault(key, Integer.toString(dflt)));
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    private static void awaitQuietly(CountDownLatch latch, int seconds) {
        try {
            latch.await(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    Instant started() {
        return session.startedAt();
    }
}
