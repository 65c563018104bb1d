package org.sallyport.recorder.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.sallyport.recorder.audit.AuditChain;
import org.sallyport.recorder.audit.AuditChainBrokenException;
import org.sallyport.recorder.audit.AuditEvent;
import org.sallyport.recorder.audit.AuditVerifier;
import org.sallyport.recorder.audit.Checkpoint;
import org.sallyport.recorder.audit.VerificationReport;
import org.sallyport.recorder.crypto.DecryptionException;
import org.sallyport.recorder.crypto.Hashes;
import org.sallyport.recorder.crypto.InvalidSignatureException;
import org.sallyport.recorder.crypto.KeyFormatException;
import org.sallyport.recorder.crypto.RecipientKey;
import org.sallyport.recorder.crypto.VerifyingKey;
import org.sallyport.recorder.evidence.EvidenceVerificationException.Kind;
import org.sallyport.recorder.recording.FileRecordingSource;
import org.sallyport.recorder.recording.Manifest;
import org.sallyport.recorder.recording.RecordingVerificationException;
import org.sallyport.recorder.recording.RecordingKeys;
import org.sallyport.recorder.recording.RecordingVerifier;
import org.sallyport.recorder.recording.SignedManifest;
import org.sallyport.recorder.recording.VerificationResult;

/**
 * Verifies an evidence bundle offline, with nothing but the bundle (and optionally the broker's public key obtained
 * independently, and the inspector's private key to decrypt recordings). Throws {@link EvidenceVerificationException}
 * at the first failure, naming the file, the event sequence number or line, and the recording chunk.
 *
 * <p>Order (EVIDENCE.md, "Verification"): zip structure; the set of files against the signed manifest; the detached
 * signature; then each file, its content checked first (so the message says where, e.g. which event) and its SHA-256
 * after: evidence.json, checkpoints, session index, the chain segment (continuity, hashes, checkpoint signatures,
 * anchoring at both ends, session events), events.jsonl and events.csv against the chain, every recording.
 *
 * <h2>Security guarantees</h2>
 * If this returns, every file is exactly what the holder of the signing key listed; the chain segment is continuous
 * and pinned at both ends by checkpoints signed with that key; every event in events.jsonl/csv is the chain's; every
 * session's index line agrees with its chain events; every included recording verifies and is that session's.
 *
 * <h2>Restrictions</h2>
 * Without {@code pinnedKey} the key comes from the bundle: that proves integrity, not origin. Memory holds the
 * checkpoints, the session index and the file list; events and recordings are streamed (a recording is copied to a
 * temporary file, since its verifier reads it by position).
 */
public final class EvidenceVerifier {
    private static final int SMALL_FILE_LIMIT = 64 << 20;

    private final ZipFile zip;
    private final VerifyingKey pinned;
    private final RecipientKey recipient;
    private final Map<String, long[]> sizes = new LinkedHashMap<>();
    private final Map<String, String> digests = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();
    private VerifyingKey key;

    private EvidenceVerifier(ZipFile zip, VerifyingKey pinned, RecipientKey recipient) {
        this.zip = zip;
        this.pinned = pinned;
        this.recipient = recipient;
    }

    /**
     * @param pinnedKey the broker's public key obtained independently, or null to take it from the bundle
     * @param recipient the inspector's private key to decrypt and fully check recordings, or null
     */
    public static EvidenceSummary verify(Path bundle, VerifyingKey pinnedKey, RecipientKey recipient) {
        ZipFile zf;
        try {
            zf = new ZipFile(bundle.toFile(), StandardCharsets.UTF_8);
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            throw EvidenceVerificationException.of(Kind.UNUSABLE_INPUT, null, "no such file: " + bundle);
        } catch (IOException e) {
            throw notAZip(bundle, e);
        }
        try (zf) {
            return new EvidenceVerifier(zf, pinnedKey, recipient).run();
        } catch (IOException e) {
            throw EvidenceVerificationException.of(Kind.BUNDLE_CORRUPT, null, "cannot read the bundle: " + e.getMessage());
        }
    }

    private static EvidenceVerificationException notAZip(Path bundle, IOException e) {
        byte[] head = new byte[4];
        int n = 0;
        try (InputStream in = Files.newInputStream(bundle)) {
            n = in.readNBytes(head, 0, 4);
        } catch (IOException ignored) {
            return EvidenceVerificationException.of(Kind.UNUSABLE_INPUT, null, "cannot read " + bundle + ": " + e.getMessage());
        }
        if (n == 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
            return EvidenceVerificationException.of(Kind.BUNDLE_CORRUPT, null, "the zip structure is damaged ("
                    + e.getMessage() + "): truncated or altered, its central directory cannot be read");
        }
        return EvidenceVerificationException.of(Kind.UNUSABLE_INPUT, null, bundle + " is not an evidence bundle (not a zip file)");
    }

    private EvidenceSummary run() throws IOException {
        Set<String> present = new HashSet<>();
        for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements(); ) {
            String name = en.nextElement().getName();
            if (!present.add(name)) throw EvidenceVerificationException.of(Kind.EXTRA_FILE, name, "the file appears twice in the zip");
        }
        for (String required : List.of(EvidenceFormat.MANIFEST, EvidenceFormat.SIGNATURE, EvidenceFormat.BROKER_KEY)) {
            if (!present.contains(required)) throw EvidenceVerificationException.of(Kind.MISSING_FILE, required, "not in the bundle");
        }
        byte[] manifestBytes = readRaw(EvidenceFormat.MANIFEST);
        String sigText = new String(readRaw(EvidenceFormat.SIGNATURE), StandardCharsets.US_ASCII).strip();
        String keyPem = new String(readRaw(EvidenceFormat.BROKER_KEY), StandardCharsets.US_ASCII);
        VerifyingKey bundleKey;
        try {
            bundleKey = VerifyingKey.fromPem(keyPem);
        } catch (KeyFormatException e) {
            throw EvidenceVerificationException.of(Kind.MALFORMED, EvidenceFormat.BROKER_KEY, e.getMessage());
        }
        if (pinned != null && !pinned.equals(bundleKey)) {
            throw EvidenceVerificationException.of(Kind.KEY_MISMATCH, EvidenceFormat.BROKER_KEY, "the bundle names signing key "
                    + bundleKey.keyId() + " but the pinned key is " + pinned.keyId() + ": not signed by that broker");
        }
        key = pinned != null ? pinned : bundleKey;
        try {
            key.verify(EvidenceWriter.signedBytes(manifestBytes), Base64.getDecoder().decode(sigText));
        } catch (InvalidSignatureException | IllegalArgumentException e) {
            throw EvidenceVerificationException.of(Kind.SIGNATURE, EvidenceFormat.SIGNATURE,
                    "the signature over MANIFEST.json does not verify with key " + key.keyId() + " (manifest or signature altered)");
        }
        JsonNode manifest = parseJson(EvidenceFormat.MANIFEST, manifestBytes);
        if (!EvidenceFormat.FORMAT.equals(manifest.path("format").asText())) {
            throw EvidenceVerificationException.of(Kind.MALFORMED, EvidenceFormat.MANIFEST, "format is not " + EvidenceFormat.FORMAT);
        }
        for (JsonNode f : manifest.path("files")) {
            String path = f.path("path").asText();
            if (sizes.containsKey(path)) throw EvidenceVerificationException.of(Kind.MALFORMED, EvidenceFormat.MANIFEST, path + " listed twice");
            sizes.put(path, new long[] {f.path("size").asLong()});
            digests.put(path, f.path("sha256").asText());
        }
        for (String path : sizes.keySet()) {
            if (!present.contains(path)) throw EvidenceVerificationException.of(Kind.MISSING_FILE, path, "listed in the signed manifest but not in the bundle");
        }
        for (String name : present) {
            if (!sizes.containsKey(name) && !name.equals(EvidenceFormat.MANIFEST) && !name.equals(EvidenceFormat.SIGNATURE)) {
                throw EvidenceVerificationException.of(Kind.EXTRA_FILE, name, "in the bundle but not in the signed manifest (added?)");
            }
        }
        for (String required : List.of(EvidenceFormat.EVIDENCE, EvidenceFormat.EVENTS, EvidenceFormat.EVENTS_CSV,
                EvidenceFormat.SEGMENT, EvidenceFormat.CHECKPOINTS, EvidenceFormat.SESSIONS)) {
            if (!sizes.containsKey(required)) throw EvidenceVerificationException.of(Kind.MISSING_FILE, required, "not listed in the signed manifest");
        }
        checkDigest(EvidenceFormat.BROKER_KEY, keyPem.getBytes(StandardCharsets.US_ASCII));

        JsonNode ev = parseJson(EvidenceFormat.EVIDENCE, readChecked(EvidenceFormat.EVIDENCE));
        JsonNode seg = ev.path("segment");
        long firstSeq = seg.path("firstSeq").asLong();
        String prevHash = seg.path("prevHash").asText();
        // content first, digest after the chain walk: a changed line is then named by the event it contradicts
        List<Checkpoint> checkpoints = new ArrayList<>();
        List<DigestingStream> deferred = new ArrayList<>();
        deferred.add(forEachLine(EvidenceFormat.CHECKPOINTS, (line, n) -> checkpoints.add(EvidenceFormat.parseCheckpoint(line))));
        List<SessionEntry> sessions = new ArrayList<>();
        deferred.add(forEachLine(EvidenceFormat.SESSIONS, (line, n) -> sessions.add(EvidenceFormat.parseSession(line))));

        // ---- the chain segment ----
        SessionChecks sessionChecks = new SessionChecks(sessions);
        VerificationReport report;
        try (LineEvents events = new LineEvents(EvidenceFormat.SEGMENT, true)) {
            Iterator<AuditEvent> checked = sessionChecks.wrap(events);
            try {
                report = AuditVerifier.verify(checked, checkpoints, key, prevHash, firstSeq);
            } catch (AuditChainBrokenException e) {
                boolean checkpoint = e.kind() == AuditChainBrokenException.Kind.CHECKPOINT_SIGNATURE;
                throw new EvidenceVerificationException(Kind.CHAIN_BROKEN, checkpoint ? EvidenceFormat.CHECKPOINTS : EvidenceFormat.SEGMENT,
                        e.seq(), -1, e.kind() + ": " + e.getMessage());
            } catch (InvalidSignatureException e) {
                throw EvidenceVerificationException.of(Kind.CHAIN_BROKEN, EvidenceFormat.CHECKPOINTS, e.getMessage());
            }
            sessionChecks.finish();
            events.finishDigest();
        }
        for (DigestingStream d : deferred) d.finish();
        anchored(report, checkpoints, firstSeq, prevHash);
        sessionChecks.allFound(report);
        expect(seg, "lastSeq", report.lastSeq());
        expect(seg, "events", report.events());
        expect(seg, "headHash", report.headHash());

        // ---- events.jsonl and events.csv against the chain ----
        long selected = checkSelection(ev, report);
        expect(ev, "selectedEvents", selected);
        expect(ev, "sessions", sessions.size());
        expect(ev, "checkpoints", checkpoints.size());

        // ---- recordings ----
        JsonNode rec = ev.path("recordings");
        String mode = rec.path("mode").asText();
        RecordingMode rm;
        try {
            rm = RecordingMode.fromWireName(mode);
        } catch (IllegalArgumentException e) {
            throw EvidenceVerificationException.of(Kind.MALFORMED, EvidenceFormat.EVIDENCE, e.getMessage());
        }
        int[] counts = checkRecordings(rm, rec, sessions);
        expect(rec, "included", counts[0]);

        Map<String, String> filter = new TreeMap<>();
        ev.path("filter").fields().forEachRemaining(f -> filter.put(f.getKey(), f.getValue().asText()));
        return new EvidenceSummary(ev.path("period").path("from").asText(), ev.path("period").path("to").asText(), filter,
                ev.path("createdAt").asText(), key.keyId(), pinned != null, sizes.size() + 2, report.firstSeq(), report.lastSeq(),
                report.events(), selected, report.checkpointsVerified(), sessions.size(), mode, counts[0], counts[1], notes);
    }

    private static void anchored(VerificationReport r, List<Checkpoint> cps, long firstSeq, String prevHash) {
        if (r.events() == 0) throw EvidenceVerificationException.of(Kind.CHAIN_NOT_ANCHORED, EvidenceFormat.SEGMENT, "the segment has no events");
        boolean head = cps.stream().anyMatch(c -> c.seq() == r.lastSeq());
        if (!head) {
            throw new EvidenceVerificationException(Kind.CHAIN_NOT_ANCHORED, EvidenceFormat.CHECKPOINTS, r.lastSeq(), -1,
                    "no signed checkpoint at the segment's last event: its events are not pinned (deleted from the tail?)");
        }
        if (firstSeq == 1) {
            if (!AuditChain.GENESIS.equals(prevHash)) {
                throw new EvidenceVerificationException(Kind.CHAIN_NOT_ANCHORED, EvidenceFormat.EVIDENCE, 1, -1,
                        "a segment starting at event 1 must start from the genesis hash");
            }
        } else if (cps.stream().noneMatch(c -> c.seq() == firstSeq - 1)) {
            throw new EvidenceVerificationException(Kind.CHAIN_NOT_ANCHORED, EvidenceFormat.CHECKPOINTS, firstSeq - 1, -1,
                    "no signed checkpoint names the hash preceding the segment");
        }
    }

    /** events.jsonl: each line the chain's own event, ascending; csv: the same events rendered as EVIDENCE.md says. */
    private long checkSelection(JsonNode ev, VerificationReport report) throws IOException {
        boolean everything = ev.path("filter").isEmpty();
        java.time.Instant from = EvidenceFormat.parseTime("from", ev.path("period"));
        java.time.Instant to = EvidenceFormat.parseTime("to", ev.path("period"));
        long count = 0;
        try (LineEvents chain = new LineEvents(EvidenceFormat.SEGMENT, false);
             LineEvents sel = new LineEvents(EvidenceFormat.EVENTS, true);
             DigestingStream csvIn = open(EvidenceFormat.EVENTS_CSV);
             Reader csv = new BufferedReader(new InputStreamReader(csvIn, StandardCharsets.UTF_8), 1 << 16)) {
            expectCsv(csv, EvidenceFormat.CSV_HEADER + "\r\n", 0);
            long lastSel = 0;
            AuditEvent c = null;
            while (sel.hasNext()) {
                AuditEvent s = sel.next();
                if (s.seq() <= lastSel) {
                    throw new EvidenceVerificationException(Kind.EVENT_MISMATCH, EvidenceFormat.EVENTS, s.seq(), -1,
                            "appears after event " + lastSel + " (reordered or duplicated?)");
                }
                while (true) {
                    if (c != null && c.seq() >= s.seq()) break;
                    if (!chain.hasNext()) {
                        throw new EvidenceVerificationException(Kind.EVENT_MISMATCH, EvidenceFormat.EVENTS, s.seq(), -1,
                                "not in the verified chain segment (inserted?)");
                    }
                    c = chain.next();
                    if (everything && c.seq() < s.seq() && inPeriod(c, from, to)) {
                        throw new EvidenceVerificationException(Kind.EVENT_MISMATCH, EvidenceFormat.EVENTS, c.seq(), -1,
                                "the chain's event " + c.seq() + " falls in the period but is missing here (deleted?)");
                    }
                }
                if (c.seq() != s.seq()) {
                    throw new EvidenceVerificationException(Kind.EVENT_MISMATCH, EvidenceFormat.EVENTS, s.seq(), -1,
                            "not in the verified chain segment (inserted?)");
                }
                if (!c.equals(s)) {
                    throw new EvidenceVerificationException(Kind.EVENT_MISMATCH, EvidenceFormat.EVENTS, s.seq(), -1,
                            "differs from the chain's event " + s.seq() + " (altered)");
                }
                if (!inPeriod(s, from, to)) {
                    throw new EvidenceVerificationException(Kind.EVENT_MISMATCH, EvidenceFormat.EVENTS, s.seq(), -1,
                            "its time " + EvidenceFormat.time(s.time()) + " is outside the period");
                }
                expectCsv(csv, EvidenceFormat.csvLine(s), s.seq());
                lastSel = s.seq();
                count++;
            }
            if (everything) {
                while (chain.hasNext()) {
                    AuditEvent rest = chain.next();
                    if (inPeriod(rest, from, to)) {
                        throw new EvidenceVerificationException(Kind.EVENT_MISMATCH, EvidenceFormat.EVENTS, rest.seq(), -1,
                                "the chain's event " + rest.seq() + " falls in the period but is missing here (deleted?)");
                    }
                }
            }
            if (csv.read() != -1) {
                throw EvidenceVerificationException.of(Kind.CSV_MISMATCH, EvidenceFormat.EVENTS_CSV, "rows after the last event (inserted?)");
            }
            sel.finishDigest();
            csvIn.finish();
        }
        return count;
    }

    private static boolean inPeriod(AuditEvent e, java.time.Instant from, java.time.Instant to) {
        return !e.time().isBefore(from) && e.time().isBefore(to);
    }

    private static void expectCsv(Reader csv, String expected, long seq) throws IOException {
        char[] buf = new char[expected.length()];
        int n = 0;
        while (n < buf.length) {
            int r = csv.read(buf, n, buf.length - n);
            if (r < 0) break;
            n += r;
        }
        if (n != buf.length || !expected.contentEquals(java.nio.CharBuffer.wrap(buf))) {
            throw new EvidenceVerificationException(Kind.CSV_MISMATCH, EvidenceFormat.EVENTS_CSV, seq, -1, seq == 0
                    ? "the header row is not " + EvidenceFormat.CSV_HEADER
                    : "the row for event " + seq + " does not say what events.jsonl says (altered, deleted or reordered)");
        }
    }

    private int[] checkRecordings(RecordingMode mode, JsonNode rec, List<SessionEntry> sessions) throws IOException {
        int verified = 0;
        int decrypted = 0;
        for (JsonNode m : rec.path("missing")) {
            throw EvidenceVerificationException.of(Kind.RECORDING_MISSING, EvidenceFormat.EVIDENCE,
                    "the broker could not supply recording " + m.asText() + " (deleted from its storage?)");
        }
        if (mode == RecordingMode.NONE) return new int[] {0, 0};
        for (SessionEntry s : sessions) {
            if (s.recordingId() == null) continue;
            String head = "null".equals(s.recordingHead()) ? null : s.recordingHead();
            if (mode == RecordingMode.MANIFESTS) {
                String path = EvidenceFormat.manifestPath(s.recordingId());
                if (!sizes.containsKey(path)) throw EvidenceVerificationException.of(Kind.RECORDING_MISSING, path, "session " + s.sessionId() + "'s recording manifest is not in the bundle");
                JsonNode n = parseJson(path, readChecked(path));
                if (!n.path("complete").asBoolean()) {
                    incomplete(s, head, path, "the recording has no manifest (cut off)");
                } else {
                    SignedManifest sm;
                    try {
                        sm = SignedManifest.decode(Base64.getDecoder().decode(n.path("encoded").asText()),
                                Base64.getDecoder().decode(n.path("signature").asText()));
                        sm.verify(key);
                    } catch (IllegalArgumentException e) {
                        throw EvidenceVerificationException.of(Kind.MALFORMED, path, e.getMessage());
                    } catch (InvalidSignatureException e) {
                        throw EvidenceVerificationException.of(Kind.RECORDING, path, "the recording manifest's signature does not verify with key " + key.keyId());
                    }
                    Manifest man = sm.manifest();
                    if (!man.chainHead().equals(n.path("chainHead").asText()) || !man.sessionId().equals(n.path("sessionId").asText())
                            || man.chunkCount() != n.path("chunkCount").asLong() || man.frameCount() != n.path("frameCount").asLong()) {
                        throw EvidenceVerificationException.of(Kind.RECORDING, path, "the readable fields differ from the signed manifest");
                    }
                    belongs(s, man, head, path);
                }
                verified++;
                continue;
            }
            String path = EvidenceFormat.sprecPath(s.recordingId());
            if (!sizes.containsKey(path)) throw EvidenceVerificationException.of(Kind.RECORDING_MISSING, path, "session " + s.sessionId() + "'s recording is not in the bundle");
            Path tmp = Files.createTempFile("sallyport-verify-", ".sprec");
            try {
                DigestingStream in = open(path);
                try (OutputStream out = Files.newOutputStream(tmp)) {
                    in.transferTo(out);
                }
                byte[] dek = null;
                if (mode == RecordingMode.RECIPIENT && recipient != null) {
                    String kp = EvidenceFormat.keyPath(s.recordingId());
                    if (!sizes.containsKey(kp)) throw EvidenceVerificationException.of(Kind.RECORDING_MISSING, kp, "the sealed data key is not in the bundle");
                    byte[] sealed = readChecked(kp);
                    String headerHash;
                    try (FileRecordingSource src = FileRecordingSource.open(tmp)) {
                        headerHash = headerHash(src, path);
                    }
                    try {
                        dek = recipient.open(sealed, EvidenceFormat.DEK_INFO.getBytes(StandardCharsets.UTF_8),
                                EvidenceFormat.strs(s.recordingId(), headerHash));
                    } catch (DecryptionException e) {
                        throw EvidenceVerificationException.of(Kind.RECORDING, kp, "the data key does not open with inspector key "
                                + recipient.keyId() + ": " + e.getMessage());
                    }
                }
                VerificationResult r;
                try (FileRecordingSource src = FileRecordingSource.open(tmp)) {
                    r = dek != null ? RecordingVerifier.verifyWithDataKey(src, dek, key) : RecordingVerifier.verifyWithoutKek(src, key);
                } catch (RecordingVerificationException e) {
                    throw new EvidenceVerificationException(Kind.RECORDING, path, 0, e.chunkIndex(), e.getMessage());
                } finally {
                    if (dek != null) java.util.Arrays.fill(dek, (byte) 0);
                }
                if (r.header() != null && !r.header().recordingId().equals(s.recordingId())) {
                    throw EvidenceVerificationException.of(Kind.RECORDING, path, "holds recording " + r.header().recordingId()
                            + ", not " + s.recordingId() + " of session " + s.sessionId() + " (swapped?)");
                }
                if (r.complete()) belongs(s, r.manifest(), head, path);
                else incomplete(s, head, path, r.message());
                in.finish();
                in.close();
                verified++;
                if (dek != null || r.decrypted()) decrypted++;
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        return new int[] {verified, decrypted};
    }

    private static String headerHash(FileRecordingSource src, String path) {
        try {
            return RecordingKeys.header(src).headerHash();
        } catch (RecordingVerificationException e) {
            throw new EvidenceVerificationException(Kind.RECORDING, path, 0, e.chunkIndex(), e.getMessage());
        }
    }

    private void incomplete(SessionEntry s, String head, String path, String why) {
        if (head != null) {
            throw EvidenceVerificationException.of(Kind.RECORDING, path, "session " + s.sessionId()
                    + " ended with recording head " + head + " but the recording is incomplete: " + why + " (cut short?)");
        }
        notes.add("recording " + s.recordingId() + " of session " + s.sessionId() + " is incomplete (session ended "
                + s.endReason() + "): " + why);
    }

    private static void belongs(SessionEntry s, Manifest m, String head, String path) {
        // The chain binds session to recording: session.started names the recording id, session.ended its head.
        if (!m.recordingId().equals(s.recordingId())) {
            throw EvidenceVerificationException.of(Kind.RECORDING, path, "holds recording " + m.recordingId()
                    + ", not recording " + s.recordingId() + " of session " + s.sessionId() + " (swapped?)");
        }
        if (head != null && !head.equals(m.chainHead())) {
            throw EvidenceVerificationException.of(Kind.RECORDING, path, "chain head " + m.chainHead()
                    + " differs from the head " + head + " that session.ended recorded (replaced?)");
        }
    }

    // ------------------------------------------------------------------ plumbing

    private void expect(JsonNode n, String field, Object actual) {
        JsonNode v = n.get(field);
        String got = v == null ? null : v.asText();
        if (!String.valueOf(actual).equals(got)) {
            throw EvidenceVerificationException.of(Kind.SUMMARY_MISMATCH, EvidenceFormat.EVIDENCE,
                    field + " says " + got + " but the bundle holds " + actual);
        }
    }

    private byte[] readRaw(String path) throws IOException {
        ZipEntry e = zip.getEntry(path);
        try (InputStream in = zip.getInputStream(e)) {
            byte[] b = in.readNBytes(SMALL_FILE_LIMIT + 1);
            if (b.length > SMALL_FILE_LIMIT) throw EvidenceVerificationException.of(Kind.MALFORMED, path, "larger than " + SMALL_FILE_LIMIT + " bytes");
            return b;
        } catch (ZipException | EOFException ex) {
            throw EvidenceVerificationException.of(Kind.BUNDLE_CORRUPT, path, "cannot be decompressed: " + ex.getMessage());
        }
    }

    private byte[] readChecked(String path) throws IOException {
        byte[] b = readRaw(path);
        checkDigest(path, b);
        return b;
    }

    private void checkDigest(String path, byte[] b) {
        String d = Hashes.hex(Hashes.sha256(b));
        if (b.length != sizes.get(path)[0] || !d.equals(digests.get(path))) {
            throw EvidenceVerificationException.of(Kind.DIGEST_MISMATCH, path, "size or SHA-256 differs from the signed manifest (altered)");
        }
    }

    private static JsonNode parseJson(String path, byte[] b) {
        try {
            return EvidenceFormat.read(new String(b, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw EvidenceVerificationException.of(Kind.MALFORMED, path, e.getMessage());
        }
    }

    private interface LineHandler {
        void line(String line, long number);
    }

    /** Parses every line; returns the stream (fully read, not closed) for the caller's digest check. */
    private DigestingStream forEachLine(String path, LineHandler h) throws IOException {
        DigestingStream in = open(path);
        {
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            long n = 0;
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                n++;
                try {
                    h.line(line, n);
                } catch (IllegalArgumentException | NullPointerException e) {
                    throw EvidenceVerificationException.of(Kind.MALFORMED, path, "line " + n + ": " + e.getMessage());
                }
            }
        }
        return in;
    }

    private DigestingStream open(String path) throws IOException {
        return new DigestingStream(path, zip.getInputStream(zip.getEntry(path)));
    }

    /** Computes size and SHA-256 of what is read; {@link #finish} drains the rest and compares with the manifest. */
    private final class DigestingStream extends FilterInputStream {
        private final String path;
        private final MessageDigest md = EvidenceWriter.sha256();
        private long size;

        DigestingStream(String path, InputStream in) {
            super(in);
            this.path = path;
        }

        @Override
        public int read() throws IOException {
            int b = wrap(() -> super.read());
            if (b >= 0) {
                md.update((byte) b);
                size++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = wrap(() -> super.read(b, off, len));
            if (n > 0) {
                md.update(b, off, n);
                size += n;
            }
            return n;
        }

        private int wrap(IoCall c) throws IOException {
            try {
                return c.call();
            } catch (ZipException | EOFException e) {
                throw EvidenceVerificationException.of(Kind.BUNDLE_CORRUPT, path, "cannot be decompressed (altered or truncated): " + e.getMessage());
            }
        }

        void finish() throws IOException {
            byte[] buf = new byte[1 << 16];
            while (read(buf, 0, buf.length) >= 0) {
                // drain
            }
            if (size != sizes.get(path)[0] || !Hashes.hex(md.digest()).equals(digests.get(path))) {
                throw EvidenceVerificationException.of(Kind.DIGEST_MISMATCH, path, "size or SHA-256 differs from the signed manifest (altered)");
            }
        }
    }

    private interface IoCall {
        int call() throws IOException;
    }

    /** Events parsed from a JSON Lines file, one at a time; a line that does not parse is MALFORMED with its number. */
    private final class LineEvents implements Iterator<AuditEvent>, AutoCloseable {
        private final String path;
        private final DigestingStream in;
        private final BufferedReader reader;
        private final boolean digest;
        private AuditEvent next;
        private long line;

        LineEvents(String path, boolean digest) throws IOException {
            this.path = path;
            this.digest = digest;
            this.in = open(path);
            this.reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
        }

        @Override
        public boolean hasNext() {
            if (next != null) return true;
            String l;
            try {
                l = reader.readLine();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            if (l == null) return false;
            line++;
            try {
                next = EvidenceFormat.parseEvent(l);
            } catch (IllegalArgumentException | NullPointerException e) {
                throw EvidenceVerificationException.of(Kind.MALFORMED, path, "line " + line + ": " + e.getMessage());
            }
            return true;
        }

        @Override
        public AuditEvent next() {
            if (!hasNext()) throw new NoSuchElementException();
            AuditEvent e = next;
            next = null;
            return e;
        }

        void finishDigest() throws IOException {
            if (digest) in.finish();
        }

        @Override
        public void close() throws IOException {
            reader.close();
        }
    }

    /** Checks each session's index line against its session.started / session.ended events, once the chain vouched for them. */
    private static final class SessionChecks {
        private final Map<Long, SessionEntry> started = new HashMap<>();
        private final Map<Long, SessionEntry> ended = new HashMap<>();
        private AuditEvent pending;

        SessionChecks(List<SessionEntry> sessions) {
            for (SessionEntry s : sessions) {
                if (s.startedSeq() > 0) started.put(s.startedSeq(), s);
                if (s.endedSeq() > 0) ended.put(s.endedSeq(), s);
            }
        }

        Iterator<AuditEvent> wrap(Iterator<AuditEvent> events) {
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return events.hasNext();
                }

                @Override
                public AuditEvent next() {
                    // the verifier asks for the next event only after the previous one passed its checks
                    if (pending != null) check(pending);
                    pending = events.next();
                    return pending;
                }
            };
        }

        void finish() {
            if (pending != null) check(pending);
            pending = null;
        }

        void allFound(VerificationReport r) {
            for (var e : started.entrySet()) outside(e.getKey(), e.getValue(), r);
            for (var e : ended.entrySet()) outside(e.getKey(), e.getValue(), r);
        }

        private static void outside(long seq, SessionEntry s, VerificationReport r) {
            if (seq < r.firstSeq() || seq > r.lastSeq()) {
                throw new EvidenceVerificationException(Kind.SESSION_MISMATCH, EvidenceFormat.SESSIONS, seq, -1,
                        "session " + s.sessionId() + " refers to event " + seq + ", outside the chain segment");
            }
        }

        private void check(AuditEvent e) {
            SessionEntry s = started.get(e.seq());
            if (s != null) {
                same(e, s, "session.started", e.action());
                same(e, s, "session id", e.objectId(), s.sessionId());
                same(e, s, "user", e.actor(), s.user());
                same(e, s, "target", e.details().get("target"), s.targetId());
                same(e, s, "recording", e.details().get("recording"), s.recordingId());
                if (e.details().containsKey("org")) same(e, s, "org", e.details().get("org"), s.org());
                if (e.details().containsKey("site")) same(e, s, "site", e.details().get("site"), s.site());
            }
            s = ended.get(e.seq());
            if (s != null) {
                same(e, s, "session.ended", e.action());
                same(e, s, "session id", e.objectId(), s.sessionId());
                same(e, s, "end reason", e.details().get("reason"), s.endReason());
                same(e, s, "recording head", nullText(e.details().get("recordingHead")), nullText(s.recordingHead()));
                same(e, s, "bytes in", e.details().get("bytesIn"), Long.toString(s.bytesIn()));
                same(e, s, "bytes out", e.details().get("bytesOut"), Long.toString(s.bytesOut()));
            }
        }

        private static String nullText(String s) {
            return "null".equals(s) ? null : s;
        }

        private static void same(AuditEvent e, SessionEntry s, String action, String actual) {
            if (!action.equals(actual)) {
                throw new EvidenceVerificationException(Kind.SESSION_MISMATCH, EvidenceFormat.SESSIONS, e.seq(), -1,
                        "session " + s.sessionId() + " names event " + e.seq() + " as its " + action + " event, but it is " + actual);
            }
        }

        private static void same(AuditEvent e, SessionEntry s, String field, String inChain, String inIndex) {
            if (!java.util.Objects.equals(inChain, inIndex)) {
                throw new EvidenceVerificationException(Kind.SESSION_MISMATCH, EvidenceFormat.SESSIONS, e.seq(), -1,
                        "session " + s.sessionId() + ": " + field + " is " + inIndex + " in the index but " + inChain + " in the chain");
            }
        }
    }
}
