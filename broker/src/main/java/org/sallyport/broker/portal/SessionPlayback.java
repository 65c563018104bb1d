package org.sallyport.broker.portal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.sallyport.broker.audit.AuditLog;
import org.sallyport.broker.domain.GatewaySession;
import org.sallyport.broker.domain.Principal;
import org.sallyport.broker.domain.Role;
import org.sallyport.broker.error.ConflictException;
import org.sallyport.broker.error.NotFoundException;
import org.sallyport.broker.gateway.SessionRecordings;
import org.sallyport.broker.http.Json;
import org.sallyport.broker.store.AuditFilter;
import org.sallyport.broker.store.Store;
import org.sallyport.recorder.audit.AuditEventDraft;
import org.sallyport.recorder.recording.Direction;
import org.sallyport.recorder.recording.FileRecordingSource;
import org.sallyport.recorder.recording.Frame;
import org.sallyport.recorder.recording.RecordingHeader;
import org.sallyport.recorder.recording.RecordingReader;
import org.sallyport.recorder.recording.RecordingVerificationException;
import org.sallyport.recorder.recording.RecordingVerifier;
import org.sallyport.recorder.recording.VerificationResult;

/**
 * A session's recording, decrypted for playback in the browser: terminal output frames with their times,
 * and a timeline of the gateway's events (resize, exit status) and the policy verdicts audited for the session.
 *
 * <h2>Security guarantees</h2>
 * Only a supervisor of the session's site, an inspector or an admin gets a recording; every playback is an
 * audit event ({@code session.playback-started}) written before a byte of it leaves, and a refusal is
 * audited too. The vendor's keystrokes are never sent (they can hold passwords typed on the device).
 * The recording is verified first; a broken one is refused with the first problem named, an incomplete one
 * (cut short by a crash) plays up to its last sealed chunk and says so.
 *
 * <p>Blocking (file reads, decryption, JDBC): call from a worker thread.
 */
public final class SessionPlayback {
    /** Beyond this much output the browser would struggle; the CLI plays any size. */
    static final long MAX_OUTPUT_BYTES = 32L * 1024 * 1024;

    private final Store store;
    private final AuditLog audit;
    private final Path recordingsDir;
    private final Map<String, byte[]> keks;

    public SessionPlayback(Store store, AuditLog audit, Path recordingsDir, byte[] kek) {
        this.store = store;
        this.audit = audit;
        this.recordingsDir = recordingsDir;
        this.keks = Map.of(SessionRecordings.kekId(kek), kek.clone());
    }

    public ObjectNode play(Principal who, String sessionId) {
        GatewaySession s = store.inTransaction(tx -> tx.findSession(sessionId))
                .orElseThrow(() -> new NotFoundException("session " + sessionId + " not found"));
        boolean may = who.has(Role.ADMIN) || who.has(Role.INSPECTOR) || (who.has(Role.SUPERVISOR) && who.sites().contains(s.site()));
        if (!may) {
            audit.record(new AuditEventDraft(who.username(), "session.playback-refused", "session", sessionId, Map.of("target", s.targetId())));
            throw new NotFoundException("session " + sessionId + " not found");
        }
        if (s.live()) throw new ConflictException("session " + sessionId + " is still live; watch it live instead");
        if (s.recordingId() == null) throw new NotFoundException("session " + sessionId + " has no recording");
        Path file = SessionRecordings.file(recordingsDir, s.recordingId());
        if (!Files.isRegularFile(file)) throw new NotFoundException("recording " + s.recordingId() + " is not on this broker");

        VerificationResult verified;
        try (FileRecordingSource probe = FileRecordingSource.open(file)) {
            verified = RecordingVerifier.verify(probe, keks, audit.publicKey());
        } catch (RecordingVerificationException e) {
            audit.record(new AuditEventDraft(who.username(), "session.playback-refused", "session", sessionId,
                    Map.of("target", s.targetId(), "recording", s.recordingId(), "reason", "recording does not verify")));
            throw new ConflictException("recording " + s.recordingId() + " does not verify: " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read recording " + s.recordingId(), e);
        }

        Map<String, String> d = new LinkedHashMap<>();
        d.put("target", s.targetId());
        d.put("site", s.site());
        d.put("vendor", s.username());
        d.put("recording", s.recordingId());
        audit.record(new AuditEventDraft(who.username(), "session.playback-started", "session", sessionId, d));

        ObjectNode n = Json.MAPPER.createObjectNode();
        n.set("session", Json.session(s));
        n.put("complete", verified.complete());
        ArrayNode frames = n.putArray("frames");
        ArrayNode timeline = n.putArray("timeline");
        long total = 0;
        long lastMs = 0;
        try (RecordingReader reader = RecordingReader.open(FileRecordingSource.open(file), keks)) {
            Map<String, String> attrs = reader.header().header().attributes();
            n.put("cols", intOr(attrs.get(RecordingHeader.TERM_COLS), 80));
            n.put("rows", intOr(attrs.get(RecordingHeader.TERM_ROWS), 24));
            for (Frame f = reader.next(); f != null; f = reader.next()) {
                long ms = f.nanos() / 1_000_000;
                lastMs = Math.max(lastMs, ms);
                if (f.direction() == Direction.OUTPUT) {
                    total += f.length();
                    if (total > MAX_OUTPUT_BYTES) {
                        throw new ConflictException("recording " + s.recordingId() + " has more than " + MAX_OUTPUT_BYTES / (1024 * 1024)
                                + " MiB of output; play it with: sallyport recording play");
                    }
                    ArrayNode fr = frames.addArray();
                    fr.add(ms);
                    fr.add(Base64.getEncoder().encodeToString(f.bytes()));
                } else if (f.direction() == Direction.EVENT) {
                    ObjectNode ev = timeline.addObject();
                    ev.put("atMs", ms);
                    ev.put("source", "recording");
                    ev.put("label", eventLabel(f.bytes()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read recording " + s.recordingId(), e);
        }
        // Policy verdicts and supervisor actions on this session, placed by their time since the session began.
        for (var e : store.inTransaction(tx -> tx.searchAudit(new AuditFilter(null, null, null, null, sessionId, 0, 500)))) {
            if (!e.action().startsWith("session.guard-") && !e.action().startsWith("session.terminate") && !e.action().equals("session.ended")) continue;
            ObjectNode ev = timeline.addObject();
            long ms = Math.max(0, Duration.between(s.startedAt(), e.time()).toMillis());
            ev.put("atMs", ms);
            ev.put("source", "audit");
            ev.put("action", e.action());
            String rule = e.details().get("rule");
            if (rule != null) ev.put("rule", rule);
            String reason = e.details().getOrDefault("reason", "");
            ev.put("label", e.action() + (rule != null ? " (rule " + rule + ")" : "") + (reason.isEmpty() ? "" : ": " + reason));
            lastMs = Math.max(lastMs, ms);
        }
        n.put("durationMs", lastMs);
        return n;
    }

    /** "resize 120x40", "exit-status 0", or the event's JSON when it has no known shape. */
    static String eventLabel(byte[] json) {
        String raw = new String(json, StandardCharsets.UTF_8);
        try {
            var n = Json.MAPPER.readTree(raw);
            String type = n.path("type").asText("event");
            if (type.equals("resize")) return "terminal resized to " + n.path("cols").asInt() + "x" + n.path("rows").asInt();
            if (type.equals("exit-status")) return "command exited with status " + n.path("status").asInt();
            StringBuilder b = new StringBuilder(type);
            n.properties().forEach(e -> {
                if (!e.getKey().equals("type")) b.append(' ').append(e.getKey()).append('=').append(e.getValue().asText());
            });
            return b.toString();
        } catch (IOException | RuntimeException e) {
            return raw;
        }
    }

    private static int intOr(String v, int dflt) {
        try {
            return v == null ? dflt : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            return dflt;
        }
    }
}
