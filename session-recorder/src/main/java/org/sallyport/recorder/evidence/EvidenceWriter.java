package org.sallyport.recorder.evidence;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.sallyport.recorder.audit.AuditEvent;
import org.sallyport.recorder.audit.Checkpoint;
import org.sallyport.recorder.crypto.Hashes;
import org.sallyport.recorder.crypto.RecipientKey;
import org.sallyport.recorder.crypto.SigningKey;
import org.sallyport.recorder.recording.FileRecordingSource;
import org.sallyport.recorder.recording.RecordingKeys;
import org.sallyport.recorder.recording.SignedManifest;

/**
 * Streams an evidence bundle (EVIDENCE.md) into a zip: call {@link #writeChain}, {@link #writeEvents},
 * {@link #writeSessions}, {@link #addRecording} per recording, then {@link #finish}.
 *
 * <h2>Memory</h2>
 * Events are consumed from iterators and written line by line; the CSV copy of the events is spooled to a temporary
 * file (zip entries are written one at a time), recordings are copied in 64 KiB pieces. What is held is the list of
 * files with their digests, the checkpoints and the session index, none of which grows with the number of events.
 *
 * <h2>Security guarantees</h2>
 * {@code MANIFEST.json} lists the size and SHA-256 of every other file; {@code MANIFEST.sig} is the broker's Ed25519
 * signature over it; a recording's data key leaves only sealed to the inspector's X25519 key (HPKE). The broker's
 * key-encryption key never enters the bundle.
 *
 * <p>Not thread-safe. The caller owns {@code out} (closed by {@link #finish} or {@link #close}) and should write to a
 * temporary file and rename it only after {@link #finish} returns.
 */
public final class EvidenceWriter implements AutoCloseable {
    /** Progress callback: a stage name and how many items of it are done (events, recordings). */
    public interface Progress {
        void update(String stage, long done);

        Progress NONE = (s, d) -> {};
    }

    private static final long PROGRESS_EVERY = 10_000;

    private final ZipOutputStream zip;
    private final SigningKey key;
    private final EvidenceHeader header;
    private final Progress progress;
    private final long entryTime;
    private final List<ObjectNode> files = new ArrayList<>();
    private final List<String> missingRecordings = new ArrayList<>();
    private ObjectNode segment;
    private long selectedEvents = -1;
    private int checkpoints;
    private int sessions = -1;
    private int recordings;
    private RecordingMode mode = RecordingMode.NONE;
    private RecipientKey recipient;
    private boolean finished;

    private EvidenceWriter(OutputStream out, SigningKey key, EvidenceHeader header, Progress progress) {
        this.zip = new ZipOutputStream(new BufferedOutputStream(out, 1 << 16), StandardCharsets.UTF_8);
        this.key = key;
        this.header = header;
        this.progress = progress;
        this.entryTime = header.createdAt().toEpochMilli();
    }

    public static EvidenceWriter start(OutputStream out, SigningKey key, EvidenceHeader header, Progress progress) {
        return new EvidenceWriter(Objects.requireNonNull(out, "out"), Objects.requireNonNull(key, "key"),
                Objects.requireNonNull(header, "header"), progress == null ? Progress.NONE : progress);
    }

    /**
     * The chain segment and the signed checkpoints that pin it.
     *
     * @param prevHash    the hash preceding the segment's first event ({@code GENESIS} when it starts at seq 1)
     * @param events      the segment, ascending seq, contiguous
     * @param checkpoints the checkpoints from {@code firstSeq - 1} to the segment's last seq
     */
    public void writeChain(String prevHash, Iterator<AuditEvent> events, List<Checkpoint> checkpoints) throws IOException {
        if (segment != null) throw new IllegalStateException("writeChain called twice");
        long first = -1;
        long last = -1;
        long count = 0;
        String head = prevHash;
        try (Writer w = text(EvidenceFormat.SEGMENT)) {
            while (events.hasNext()) {
                AuditEvent e = events.next();
                if (first < 0) first = e.seq();
                last = e.seq();
                head = e.hash();
                w.write(EvidenceFormat.eventLine(e));
                w.write('\n');
                if (++count % PROGRESS_EVERY == 0) progress.update("chain", count);
            }
        }
        progress.update("chain", count);
        try (Writer w = text(EvidenceFormat.CHECKPOINTS)) {
            for (Checkpoint c : checkpoints) {
                w.write(EvidenceFormat.checkpointLine(c));
                w.write('\n');
            }
        }
        this.checkpoints = checkpoints.size();
        segment = EvidenceFormat.JSON.createObjectNode();
        segment.put("firstSeq", first < 0 ? 0 : first);
        segment.put("lastSeq", last < 0 ? 0 : last);
        segment.put("events", count);
        segment.put("prevHash", prevHash);
        segment.put("headHash", head);
    }

    /** The events selected for the period and filter (a subset of the segment, ascending seq): JSON Lines and CSV. */
    public void writeEvents(Iterator<AuditEvent> selected) throws IOException {
        Path csv = Files.createTempFile("sallyport-evidence-", ".csv");
        try {
            long n = 0;
            try (Writer json = text(EvidenceFormat.EVENTS);
                 Writer c = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
                c.write(EvidenceFormat.CSV_HEADER);
                c.write("\r\n");
                while (selected.hasNext()) {
                    AuditEvent e = selected.next();
                    json.write(EvidenceFormat.eventLine(e));
                    json.write('\n');
                    c.write(EvidenceFormat.csvLine(e));
                    if (++n % PROGRESS_EVERY == 0) progress.update("events", n);
                }
            }
            progress.update("events", n);
            try (OutputStream o = entry(EvidenceFormat.EVENTS_CSV, true); InputStream in = Files.newInputStream(csv)) {
                in.transferTo(o);
            }
            selectedEvents = n;
        } finally {
            Files.deleteIfExists(csv);
        }
    }

    public void writeSessions(List<SessionEntry> entries) throws IOException {
        try (Writer w = text(EvidenceFormat.SESSIONS)) {
            for (SessionEntry s : entries) {
                w.write(EvidenceFormat.sessionLine(s));
                w.write('\n');
            }
        }
        sessions = entries.size();
    }

    /** Sets how recordings are carried; {@code recipient} is required for {@link RecordingMode#RECIPIENT}. */
    public void recordingMode(RecordingMode mode, RecipientKey recipient) {
        if (mode == RecordingMode.RECIPIENT && recipient == null) throw new IllegalArgumentException("recipient key required");
        this.mode = Objects.requireNonNull(mode, "mode");
        this.recipient = mode == RecordingMode.RECIPIENT ? recipient : null;
    }

    /**
     * Adds one session's recording as the mode says. A file that does not exist is listed as missing in
     * {@code evidence.json} (the verifier then fails): an export must not be blocked by a deleted recording.
     *
     * @param keks the broker's key-encryption keys, needed only for {@link RecordingMode#RECIPIENT}
     */
    public void addRecording(String recordingId, Path file, Map<String, byte[]> keks) throws IOException {
        if (mode == RecordingMode.NONE) return;
        if (!Files.isRegularFile(file)) {
            missingRecordings.add(recordingId);
            return;
        }
        try (FileRecordingSource src = FileRecordingSource.open(file)) {
            if (mode == RecordingMode.MANIFESTS) {
                ObjectNode n = EvidenceFormat.JSON.createObjectNode();
                n.put("recordingId", recordingId);
                SignedManifest.of(src).ifPresentOrElse(m -> {
                    n.put("complete", true);
                    n.put("sessionId", m.manifest().sessionId());
                    n.put("closedAt", EvidenceFormat.time(m.manifest().closedAt()));
                    n.put("chunkCount", m.manifest().chunkCount());
                    n.put("frameCount", m.manifest().frameCount());
                    n.put("inputBytes", m.manifest().inputBytes());
                    n.put("outputBytes", m.manifest().outputBytes());
                    n.put("chainHead", m.manifest().chainHead());
                    n.put("signerKeyId", m.manifest().signerKeyId());
                    n.put("encoded", Base64.getEncoder().encodeToString(m.encoded()));
                    n.put("signature", Base64.getEncoder().encodeToString(m.signature()));
                }, () -> n.put("complete", false));
                try (Writer w = text(EvidenceFormat.manifestPath(recordingId))) {
                    w.write(EvidenceFormat.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n));
                    w.write('\n');
                }
            } else {
                try (OutputStream o = entry(EvidenceFormat.sprecPath(recordingId), false); InputStream in = Files.newInputStream(file)) {
                    in.transferTo(o);
                }
                if (mode == RecordingMode.RECIPIENT) {
                    byte[] dek = RecordingKeys.dataKey(src, keks);
                    try {
                        String headerHash = RecordingKeys.header(src).headerHash();
                        byte[] sealed = recipient.seal(dek, EvidenceFormat.DEK_INFO.getBytes(StandardCharsets.UTF_8),
                                EvidenceFormat.strs(recordingId, headerHash));
                        try (OutputStream o = entry(EvidenceFormat.keyPath(recordingId), false)) {
                            o.write(sealed);
                        }
                    } finally {
                        java.util.Arrays.fill(dek, (byte) 0);
                    }
                }
            }
        } catch (NoSuchFileException e) {
            missingRecordings.add(recordingId);
            return;
        }
        progress.update("recordings", ++recordings);
    }

    /** Writes evidence.json, the broker key, MANIFEST.json and its signature, and closes the zip. */
    public void finish() throws IOException {
        if (segment == null || selectedEvents < 0 || sessions < 0) {
            throw new IllegalStateException("writeChain, writeEvents and writeSessions must come before finish");
        }
        ObjectNode ev = EvidenceFormat.JSON.createObjectNode();
        ev.put("format", EvidenceFormat.FORMAT);
        ev.put("createdAt", EvidenceFormat.time(header.createdAt()));
        ev.put("source", header.source());
        ObjectNode period = ev.putObject("period");
        period.put("from", EvidenceFormat.time(header.from()));
        period.put("to", EvidenceFormat.time(header.to()));
        ObjectNode filter = ev.putObject("filter");
        header.filter().forEach(filter::put);
        ev.set("segment", segment);
        ev.put("checkpoints", checkpoints);
        ev.put("selectedEvents", selectedEvents);
        ev.put("sessions", sessions);
        ObjectNode rec = ev.putObject("recordings");
        rec.put("mode", mode.wireName());
        if (recipient != null) {
            rec.put("recipientKeyId", recipient.keyId());
            rec.put("hpke", "RFC 9180 base mode, DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM");
        }
        rec.put("included", recordings);
        ArrayNode missing = rec.putArray("missing");
        missingRecordings.forEach(missing::add);
        ev.put("brokerKeyId", key.keyId());
        try (Writer w = text(EvidenceFormat.EVIDENCE)) {
            w.write(EvidenceFormat.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(ev));
            w.write('\n');
        }
        try (Writer w = text(EvidenceFormat.BROKER_KEY)) {
            w.write(key.verifyingKey().toPem());
        }

        ObjectNode manifest = EvidenceFormat.JSON.createObjectNode();
        manifest.put("format", EvidenceFormat.FORMAT);
        manifest.put("signerKeyId", key.keyId());
        ArrayNode list = manifest.putArray("files");
        files.forEach(list::add);
        byte[] manifestBytes = (EvidenceFormat.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(manifest) + "\n")
                .getBytes(StandardCharsets.UTF_8);
        putRaw(EvidenceFormat.MANIFEST, manifestBytes);
        byte[] sig = key.sign(signedBytes(manifestBytes));
        putRaw(EvidenceFormat.SIGNATURE, (Base64.getEncoder().encodeToString(sig) + "\n").getBytes(StandardCharsets.US_ASCII));
        zip.finish();
        zip.close();
        finished = true;
        progress.update("done", files.size() + 2L);
    }

    /** The bytes the detached signature covers: the domain line, then MANIFEST.json exactly as stored. */
    static byte[] signedBytes(byte[] manifestBytes) {
        byte[] domain = EvidenceFormat.SIGNATURE_DOMAIN.getBytes(StandardCharsets.US_ASCII);
        byte[] out = java.util.Arrays.copyOf(domain, domain.length + manifestBytes.length);
        System.arraycopy(manifestBytes, 0, out, domain.length, manifestBytes.length);
        return out;
    }

    @Override
    public void close() throws IOException {
        if (!finished) zip.close(); // an unfinished bundle has no manifest and will not verify
    }

    private void putRaw(String path, byte[] bytes) throws IOException {
        ZipEntry e = new ZipEntry(path);
        e.setTime(entryTime);
        zip.setLevel(Deflater.BEST_SPEED);
        zip.putNextEntry(e);
        zip.write(bytes);
        zip.closeEntry();
    }

    private Writer text(String path) throws IOException {
        return new BufferedWriter(new OutputStreamWriter(entry(path, true), StandardCharsets.UTF_8), 1 << 16);
    }

    /** A stream into a new zip entry that digests what passes and records it in the manifest on close. */
    private OutputStream entry(String path, boolean compress) throws IOException {
        ZipEntry e = new ZipEntry(path);
        e.setTime(entryTime);
        zip.setLevel(compress ? Deflater.BEST_SPEED : Deflater.NO_COMPRESSION);
        zip.putNextEntry(e);
        MessageDigest md = sha256();
        return new FilterOutputStream(zip) {
            long size;
            boolean closed;

            @Override
            public void write(int b) throws IOException {
                zip.write(b);
                md.update((byte) b);
                size++;
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                zip.write(b, off, len);
                md.update(b, off, len);
                size += len;
            }

            @Override
            public void flush() {}

            @Override
            public void close() throws IOException {
                if (closed) return;
                closed = true;
                zip.closeEntry();
                ObjectNode f = EvidenceFormat.JSON.createObjectNode();
                f.put("path", path);
                f.put("size", size);
                f.put("sha256", Hashes.hex(md.digest()));
                files.add(f);
            }
        };
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static UncheckedIOException unchecked(IOException e) {
        return new UncheckedIOException(e);
    }
}
