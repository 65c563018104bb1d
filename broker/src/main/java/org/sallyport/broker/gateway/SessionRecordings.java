package org.sallyport.broker.gateway;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.sallyport.recorder.crypto.Hashes;
import org.sallyport.recorder.crypto.SigningKey;
import org.sallyport.recorder.recording.Direction;
import org.sallyport.recorder.recording.FileRecordingSink;
import org.sallyport.recorder.recording.RecordingException;
import org.sallyport.recorder.recording.RecordingHeader;
import org.sallyport.recorder.recording.RecordingWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's recorder: one file per session, {@code <dir>/<recording-id>.sprec}, in the format of
 * session-recorder's FORMAT.md (AES-256-GCM chunks under a per-recording key wrapped by the broker's KEK, SHA-256
 * chain, Ed25519-signed manifest).
 *
 * <h2>Durability</h2>
 * Appends only buffer (no I/O on the byte path unless a 64 KiB chunk fills, which seals and {@code write}s it). A
 * single flusher thread seals every open recording's partial chunk and then fsyncs it every {@link #FLUSH_INTERVAL_MS}
 * ms, outside the writer's lock, so no fsync ever delays a keystroke. After a kill -9 every chunk sealed so far is in
 * the file (the OS has it); after a power loss, at most one flush interval is lost.
 *
 * <h2>Fail closed</h2>
 * Any write or sync failure fails the writer: the next append throws {@link RecordingFailure} (the gateway then
 * neither forwards those bytes nor continues the session), and the failure listener ends even an idle session.
 */
public final class SessionRecordings implements Recordings, AutoCloseable {
    /** Seal-and-sync cadence: well under the 200 ms bound on what a crash may lose. */
    public static final long FLUSH_INTERVAL_MS = 100;
    /** File name suffix of a recording. */
    public static final String SUFFIX = ".sprec";

    private static final Logger LOG = LoggerFactory.getLogger(SessionRecordings.class);

    private final Path dir;
    private final byte[] kek;
    private final String kekId;
    private final SigningKey signer;
    private final Clock clock;
    private final Set<Rec> open = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService flusher;

    private SessionRecordings(Path dir, byte[] kek, SigningKey signer, Clock clock) {
        this.dir = dir;
        this.kek = kek.clone();
        this.kekId = kekId(kek);
        this.signer = signer;
        this.clock = clock;
        this.flusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "recording-flusher");
            t.setDaemon(true);
            return t;
        });
        flusher.scheduleWithFixedDelay(this::flushAll, FLUSH_INTERVAL_MS, FLUSH_INTERVAL_MS, TimeUnit.MILLISECONDS);
    }

    /** A recorder writing under {@code dir} with the 32-byte {@code kek}; call {@link #close()} at shutdown. */
    public static SessionRecordings open(Path dir, byte[] kek, SigningKey signer, Clock clock) {
        return new SessionRecordings(dir, kek, signer, clock);
    }

    /** The id under which a reader looks up {@code kek}: the first 16 hex digits of its SHA-256 (not secret). */
    public static String kekId(byte[] kek) {
        return "kek-" + Hashes.hex(Hashes.sha256(kek)).substring(0, 16);
    }

    /** Where the recording {@code recordingId} lives under {@code dir}. */
    public static Path file(Path dir, String recordingId) {
        return dir.resolve(recordingId + SUFFIX);
    }

    @Override
    public SessionRecording open(GatewaySessions.Admission admission, String kind, String command, UpstreamConnector.Pty pty) {
        Map<String, String> attrs = labels(admission, kind); // not the exec command: the header is clear text, a command line may hold a secret
        if (pty != null) {
            attrs.put(RecordingHeader.TERM_COLS, Integer.toString(pty.columns()));
            attrs.put(RecordingHeader.TERM_ROWS, Integer.toString(pty.lines()));
            attrs.put("term", pty.term());
        }
        return create(attrs);
    }

    /**
     * Opens the recording of an HTTP session: header attribute {@code protocol=http}, one channel per exchange
     * (FORMAT.md, "HTTP sessions").
     */
    public ChannelRecording openHttp(GatewaySessions.Admission admission) {
        Map<String, String> attrs = labels(admission, "http");
        attrs.put("protocol", "http");
        return create(attrs);
    }

    private static Map<String, String> labels(GatewaySessions.Admission admission, String kind) {
        Map<String, String> attrs = new LinkedHashMap<>();
        attrs.put("user", admission.grant().username());
        attrs.put("org", admission.grant().org());
        attrs.put("target", admission.target().id());
        attrs.put("site", admission.target().site());
        attrs.put("request", admission.grant().requestId());
        attrs.put("grant", admission.grant().id());
        attrs.put("kind", kind);
        return attrs;
    }

    private Rec create(Map<String, String> attrs) {
        String id = UUID.randomUUID().toString();
        RecordingWriter writer;
        try {
            FileRecordingSink sink = FileRecordingSink.create(file(dir, id));
            // The session id is assigned when the session is stored, after the upstream connects; the recording
            // id is what the session row and the session-ended audit event point at.
            writer = RecordingWriter.create(sink, new RecordingHeader(id, id, attrs), kek, kekId, signer, clock,
                    System::nanoTime, new RecordingWriter.Options(64 * 1024, false));
        } catch (IOException | RuntimeException e) {
            throw new RecordingFailure("cannot create recording under " + dir + ": " + e.getMessage(), e);
        }
        Rec rec = new Rec(writer);
        open.add(rec);
        return rec;
    }

    private void flushAll() {
        for (Rec r : open) {
            try {
                r.writer.flush();
                r.writer.sync();
            } catch (RecordingException e) {
                if (open.remove(r)) {
                    LOG.error("recording {} failed in the background; its session ends", r.writer.recordingId(), e);
                    r.failed(new RecordingFailure(e.getMessage(), e));
                }
            } catch (RuntimeException e) {
                LOG.error("recording flusher: unexpected failure for {}", r.writer.recordingId(), e);
            }
        }
    }

    /** Stops the flusher; recordings still open are sealed by their sessions' own close. */
    @Override
    public void close() {
        flusher.shutdownNow();
    }

    private final class Rec implements SessionRecording, ChannelRecording {
        private final RecordingWriter writer;
        private volatile Consumer<RecordingFailure> onFailure = f -> {};

        Rec(RecordingWriter writer) {
            this.writer = writer;
        }

        @Override
        public String id() {
            return writer.recordingId();
        }

        @Override
        public void input(byte[] data, int off, int len) {
            append(Direction.INPUT, data, off, len);
        }

        @Override
        public void output(byte[] data, int off, int len) {
            append(Direction.OUTPUT, data, off, len);
        }

        @Override
        public void event(String json) {
            byte[] b = json.getBytes(StandardCharsets.UTF_8);
            append(Direction.EVENT, b, 0, b.length);
        }

        private void append(Direction d, byte[] data, int off, int len) {
            append(0, d, data, off, len);
        }

        @Override
        public void append(int channel, Direction d, byte[] data, int off, int len) {
            try {
                writer.append(channel, d, data, off, len);
            } catch (RecordingException e) {
                open.remove(this);
                throw new RecordingFailure(e.getMessage(), e);
            }
        }

        @Override
        public void onFailure(Consumer<RecordingFailure> listener) {
            onFailure = listener;
        }

        @Override
        public void onBackgroundFailure(Consumer<? super RuntimeException> listener) {
            onFailure = listener::accept;
        }

        void failed(RecordingFailure f) {
            onFailure.accept(f);
        }

        @Override
        public String close() {
            open.remove(this);
            try {
                return writer.close().chainHead();
            } catch (RecordingException e) {
                throw new RecordingFailure(e.getMessage(), e);
            }
        }
    }
}
