package org.sallyport.recorder.evidence;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.sallyport.recorder.audit.AuditChain;
import org.sallyport.recorder.audit.AuditEvent;
import org.sallyport.recorder.audit.AuditEventDraft;
import org.sallyport.recorder.audit.Checkpoint;
import org.sallyport.recorder.crypto.RecipientKey;
import org.sallyport.recorder.crypto.SigningKey;
import org.sallyport.recorder.recording.Direction;
import org.sallyport.recorder.recording.FileRecordingSink;
import org.sallyport.recorder.recording.Manifest;
import org.sallyport.recorder.recording.RecordingHeader;
import org.sallyport.recorder.recording.RecordingWriter;

/**
 * A small broker history: a chain with sessions (started, guard block, ended), real recordings on disk, checkpoints;
 * and helpers to export it and to tamper with a bundle's files.
 */
final class EvidenceFixture {
    static final Instant T0 = Instant.parse("2026-03-01T08:00:00Z");
    static final byte[] KEK = new byte[32];
    static final String KEK_ID = "kek-test";
    static final Map<String, byte[]> KEKS = Map.of(KEK_ID, KEK);

    final SigningKey key = SigningKey.generate();
    final RecipientKey inspector = RecipientKey.generate();
    final List<AuditEvent> events = new ArrayList<>();
    final List<Checkpoint> checkpoints = new ArrayList<>();
    final List<SessionEntry> sessions = new ArrayList<>();
    final Map<String, Path> recordings = new LinkedHashMap<>();
    final Path dir;

    EvidenceFixture(Path dir, int sessionCount) throws IOException {
        this.dir = dir;
        append("system", "broker.started", "broker", null, Map.of());
        for (int i = 1; i <= sessionCount; i++) {
            String sid = "sess-" + i;
            String rid = "rec-" + i;
            append("tech" + i, "request.created", "request", "req-" + i, Map.of("target", "cam-" + i));
            append("supervisor", "request.approved", "request", "req-" + i, Map.of("comment", "ok, ticket " + i));
            Map<String, String> d = new LinkedHashMap<>();
            d.put("target", "cam-" + i);
            d.put("recording", rid);
            d.put("kind", "shell");
            d.put("org", "acme");
            d.put("site", "north");
            AuditEvent started = append("tech" + i, "session.started", "session", sid, d);
            append("tech" + i, "session.guard-block", "session", sid, Map.of("rule", "export.base64", "reason", "=cmd|' /C calc'!A0, \"quoted\"\nline"));
            Manifest m = record(rid, sid, i);
            Map<String, String> e = new LinkedHashMap<>();
            e.put("reason", i == 2 ? "terminated-by-supervisor" : "completed");
            e.put("bytesIn", "10");
            e.put("bytesOut", "20");
            e.put("recording", rid);
            e.put("recordingHead", m.chainHead());
            AuditEvent ended = append("system", "session.ended", "session", sid, e);
            sessions.add(new SessionEntry(sid, "tech" + i, "acme", "cam-" + i, "north", "shell", "req-" + i, "grant-" + i,
                    started.time(), ended.time(), e.get("reason"), 10, 20, rid, m.chainHead(), started.seq(), ended.seq()));
        }
        append("system", "broker.stopped", "broker", null, Map.of());
        checkpoint();
    }

    AuditEvent append(String actor, String action, String type, String id, Map<String, String> details) {
        AuditEvent prev = events.isEmpty() ? null : events.getLast();
        AuditEvent e = AuditChain.append(prev, new AuditEventDraft(actor, action, type, id, details),
                T0.plus(Duration.ofSeconds(10L * (events.size() + 1))));
        events.add(e);
        if (e.seq() % 4 == 0) checkpoint();
        return e;
    }

    void checkpoint() {
        AuditEvent last = events.getLast();
        if (!checkpoints.isEmpty() && checkpoints.getLast().seq() == last.seq()) return;
        checkpoints.add(Checkpoint.sign(last.seq(), last.hash(), last.time().plusMillis(1), key));
    }

    private Manifest record(String rid, String sid, int i) throws IOException {
        Path f = dir.resolve(rid + ".sprec");
        long[] nanos = {0};
        RecordingWriter w = RecordingWriter.create(FileRecordingSink.create(f), new RecordingHeader(rid, sid), KEK, KEK_ID, key,
                () -> T0, () -> nanos[0]);
        for (int k = 0; k < 200 * i; k++) {
            nanos[0] += 1_000_000;
            w.append(0, k % 2 == 0 ? Direction.INPUT : Direction.OUTPUT, ("line " + k + " of session " + i + "\r\n").getBytes());
            if (k % 50 == 0) w.flush();
        }
        recordings.put(rid, f);
        return w.close();
    }

    /** Exports the whole history for [T0, end) with every event selected. */
    Path export(RecordingMode mode) throws IOException {
        return export(mode, Map.of(), events);
    }

    Path export(RecordingMode mode, Map<String, String> filter, List<AuditEvent> selected) throws IOException {
        Path out = dir.resolve("bundle-" + System.nanoTime() + ".zip");
        try (OutputStream o = Files.newOutputStream(out)) {
            EvidenceWriter w = EvidenceWriter.start(o, key, new EvidenceHeader(T0.plusSeconds(86400), T0,
                    T0.plus(Duration.ofDays(1)), filter, "test"), null);
            w.writeChain(AuditChain.GENESIS, events.iterator(), checkpoints);
            w.writeEvents(selected.iterator());
            w.writeSessions(sessions);
            w.recordingMode(mode, mode == RecordingMode.RECIPIENT ? RecipientKey.fromRawPublic(inspector.rawPublic()) : null);
            for (SessionEntry s : sessions) w.addRecording(s.recordingId(), recordings.get(s.recordingId()), KEKS);
            w.finish();
        }
        return out;
    }

    // ---- tampering ----

    static Map<String, byte[]> read(Path zip) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (ZipFile z = new ZipFile(zip.toFile())) {
            for (var en = z.entries(); en.hasMoreElements(); ) {
                ZipEntry e = en.nextElement();
                try (InputStream in = z.getInputStream(e)) {
                    files.put(e.getName(), in.readAllBytes());
                }
            }
        }
        return files;
    }

    static Path write(Path zip, Map<String, byte[]> files) throws IOException {
        Path out = zip.resolveSibling("tampered-" + System.nanoTime() + ".zip");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            for (var e : files.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue());
                z.closeEntry();
            }
        }
        Files.write(out, bytes.toByteArray());
        return out;
    }

    static List<String> lines(byte[] b) {
        return new ArrayList<>(List.of(new String(b, java.nio.charset.StandardCharsets.UTF_8).split("\n")));
    }

    static byte[] join(List<String> lines) {
        return (String.join("\n", lines) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
