package org.sallyport.recorder.recording;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.sallyport.recorder.crypto.Hashes;
import org.sallyport.recorder.crypto.SigningKey;

/**
 * Writes one recording (FORMAT.md): frames are buffered into a chunk; a full chunk, {@link #flush()} and
 * {@link #close()} seal it with AES-256-GCM under a fresh per-recording data key, link it into the SHA-256 chain
 * and write it to the {@link RecordingSink}; {@link #close()} adds the Ed25519-signed manifest.
 *
 * <h2>Security guarantees</h2>
 * Fail closed: after the sink fails once, every {@link #append}, {@link #flush} and {@link #close} throws
 * {@link RecordingException}, so a caller that forwards bytes only after {@code append} returned never forwards
 * bytes the recording lost. The header is written and synced before {@link #create} returns. Chunks cannot be
 * altered, dropped, reordered or moved to another recording without verification failing, and the data key is a
 * fresh random key per recording, stored only wrapped under the KEK (bound to the recording id and kek id).
 *
 * <h2>Restrictions</h2>
 * {@code append} only buffers: bytes become durable when their chunk is sealed, i.e. at the next
 * {@link #flush()} (the gateway calls it on a timer, e.g. every 100 ms), when the chunk reaches
 * {@link Options#chunkSizeBytes()}, or at {@link #close()}. A crash loses at most the unsealed chunk; the file
 * then verifies up to its last sealed chunk. An append larger than a chunk is stored as several frames with the
 * same time. The data key and KEK live on the heap.
 *
 * <p>Thread-safe: {@link #append}, {@link #flush}, {@link #close} and {@link #bytes} are synchronized; frames
 * are stored in the order their {@code append} calls acquired the lock, and their times never go backwards (a
 * clock that steps back is clamped to the previous frame's time).
 */
public final class RecordingWriter {
    /**
     * Writer tuning, defaults in {@link #withDefaults()}.
     *
     * @param chunkSizeBytes plaintext size at which a chunk is sealed inside {@code append}
     * @param syncEveryChunk whether each sealed chunk is followed by {@link RecordingSink#sync()}
     */
    public record Options(int chunkSizeBytes, boolean syncEveryChunk) {
        public Options {
            if (chunkSizeBytes < Format.MIN_CHUNK_PLAINTEXT || chunkSizeBytes > Format.MAX_CHUNK_PLAINTEXT) {
                throw new IllegalArgumentException("chunkSizeBytes must be in [" + Format.MIN_CHUNK_PLAINTEXT + ", "
                        + Format.MAX_CHUNK_PLAINTEXT + "], got " + chunkSizeBytes);
            }
        }

        /**
         * 64 KiB chunks: a full 64 KiB chunk seals in well under a millisecond with AES-NI, and bounds what a reader
         * holds in memory. Sync every chunk: chunks are sealed at most every ~100 ms (the flush timer) or per
         * 64 KiB, so the fsync cost (~220 us per 4 KiB here) stays small, while a crash loses at most one flush
         * interval.
         */
        public static Options withDefaults() {
            return new Options(64 * 1024, true);
        }
    }

    private enum State { OPEN, FAILED, CLOSED }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final RecordingSink sink;
    private final RecordingHeader header;
    private final String kekId;
    private final SigningKey signer;
    private final InstantSource wallClock;
    private final LongSupplier monotonicNanos;
    private final Options options;
    private final Instant createdAt;
    private final long startNanos;
    private final byte[] headerHash;
    private final SecretKeySpec dataKey;
    private final Cipher cipher;

    private final byte[] buffer;
    private int size;
    private long chunkIndex;
    private long syncedChunks;
    private byte[] prev;
    private long lastNanos;
    private long frameCount;
    private final long[] bytes = new long[Direction.values().length];
    private State state = State.OPEN;
    private Throwable failure;
    private Manifest manifest;

    private RecordingWriter(RecordingSink sink, RecordingHeader header, String kekId, SigningKey signer,
                            InstantSource wallClock, LongSupplier monotonicNanos, Options options, Instant createdAt,
                            long startNanos, byte[] headerHash, SecretKeySpec dataKey, Cipher cipher) {
        this.sink = sink;
        this.header = header;
        this.kekId = kekId;
        this.signer = signer;
        this.wallClock = wallClock;
        this.monotonicNanos = monotonicNanos;
        this.options = options;
        this.createdAt = createdAt;
        this.startNanos = startNanos;
        this.headerHash = headerHash;
        this.prev = headerHash;
        this.dataKey = dataKey;
        this.cipher = cipher;
        this.buffer = new byte[options.chunkSizeBytes()];
    }

    /** {@link #create(RecordingSink, RecordingHeader, byte[], String, SigningKey, InstantSource, LongSupplier, Options)} with {@link Options#withDefaults()}. */
    public static RecordingWriter create(RecordingSink sink, RecordingHeader header, byte[] kek, String kekId,
                                         SigningKey signer, InstantSource wallClock, LongSupplier monotonicNanos) {
        return create(sink, header, kek, kekId, signer, wallClock, monotonicNanos, Options.withDefaults());
    }

    /**
     * Starts a recording: generates the data key, writes the header to {@code sink} and syncs it.
     *
     * @param kek the 32-byte key-encryption key (from config); not retained
     * @param kekId the id under which readers will look the KEK up
     * @param monotonicNanos e.g. {@code System::nanoTime}; frame times are relative to its value now
     * @throws RecordingException if the sink cannot take the header (the sink is then closed)
     */
    public static RecordingWriter create(RecordingSink sink, RecordingHeader header, byte[] kek, String kekId,
                                         SigningKey signer, InstantSource wallClock, LongSupplier monotonicNanos,
                                         Options options) {
        return create(sink, header, kek, kekId, signer, wallClock, monotonicNanos, options, RANDOM::nextBytes);
    }

    /** {@code random} fills the data key and the wrap nonce; only tests pass anything but a {@link SecureRandom}. */
    static RecordingWriter create(RecordingSink sink, RecordingHeader header, byte[] kek, String kekId,
                                  SigningKey signer, InstantSource wallClock, LongSupplier monotonicNanos,
                                  Options options, Consumer<byte[]> random) {
        Objects.requireNonNull(sink, "sink");
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(kek, "kek");
        Objects.requireNonNull(signer, "signer");
        Objects.requireNonNull(wallClock, "wallClock");
        Objects.requireNonNull(monotonicNanos, "monotonicNanos");
        Objects.requireNonNull(options, "options");
        if (kek.length != Format.KEY_BYTES) throw new IllegalArgumentException("kek must be 32 bytes, got " + kek.length);
        Format.requireText("kekId", kekId);

        Instant createdAt = Format.micros(wallClock.instant());
        long startNanos = monotonicNanos.getAsLong();
        byte[] dek = new byte[Format.KEY_BYTES];
        byte[] wrapNonce = new byte[Format.NONCE_BYTES];
        random.accept(dek);
        random.accept(wrapNonce);
        try {
            Cipher wrap = Cipher.getInstance("AES/GCM/NoPadding");
            wrap.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(kek, "AES"), new GCMParameterSpec(128, wrapNonce));
            wrap.updateAAD(Format.wrapAad(header.recordingId(), kekId));
            byte[] wrapped = wrap.doFinal(dek);
            byte[] body = Format.encodeHeaderBody(header, createdAt, options.chunkSizeBytes(), kekId, signer.keyId(),
                    wrapNonce, wrapped);
            byte[] out = new byte[Format.MAGIC.length + Format.PREFIX_BYTES + body.length];
            System.arraycopy(Format.MAGIC, 0, out, 0, Format.MAGIC.length);
            byte[] prefix = Format.prefix(Format.TAG_HEADER, body.length);
            System.arraycopy(prefix, 0, out, Format.MAGIC.length, prefix.length);
            System.arraycopy(body, 0, out, Format.MAGIC.length + prefix.length, body.length);
            byte[] headerHash = Hashes.sha256(out);
            SecretKeySpec dataKey = new SecretKeySpec(dek, "AES");
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            try {
                sink.write(out);
                sink.sync();
            } catch (IOException | RuntimeException e) {
                closeQuietly(sink, e);
                throw new RecordingException("recording " + header.recordingId() + ": cannot write the header to "
                        + sink + ": " + e, e);
            }
            return new RecordingWriter(sink, header, kekId, signer, wallClock, monotonicNanos, options, createdAt,
                    startNanos, headerHash, dataKey, cipher);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM unavailable: " + e.getClass().getSimpleName(), e);
        } finally {
            Arrays.fill(dek, (byte) 0);
        }
    }

    /**
     * Records {@code data[off, off+len)} as a frame on {@code channel} going {@code dir}, timed now. Seals and
     * writes the current chunk first if the frame does not fit in it.
     *
     * @throws RecordingException if the sink failed (now or earlier) or the writer is closed: do not forward the bytes
     */
    public synchronized void append(int channel, Direction dir, byte[] data, int off, int len) {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(data, "data");
        Objects.checkFromIndexSize(off, len, data.length);
        requireOpen();
        long t = Math.max(lastNanos, monotonicNanos.getAsLong() - startNanos);
        lastNanos = t;
        int remaining = len;
        int pos = off;
        do {
            int room = options.chunkSizeBytes() - size - Format.FRAME_OVERHEAD;
            if (room < remaining && size > 0) {
                seal();
                room = options.chunkSizeBytes() - Format.FRAME_OVERHEAD;
            }
            int n = Math.min(remaining, room);
            putFrame(t, channel, dir, data, pos, n);
            pos += n;
            remaining -= n;
            if (options.chunkSizeBytes() - size <= Format.FRAME_OVERHEAD) seal();
        } while (remaining > 0);
    }

    /** Same as {@code append(channel, dir, data, 0, data.length)}. */
    public void append(int channel, Direction dir, byte[] data) {
        append(channel, dir, data, 0, data.length);
    }

    private void putFrame(long t, int channel, Direction dir, byte[] data, int off, int n) {
        Format.putI64(buffer, size, t);
        Format.putU32(buffer, size + 8, channel);
        buffer[size + 12] = (byte) dir.code();
        Format.putU32(buffer, size + 13, n);
        System.arraycopy(data, off, buffer, size + Format.FRAME_OVERHEAD, n);
        size += Format.FRAME_OVERHEAD + n;
        frameCount++;
        bytes[dir.ordinal()] += n;
    }

    /**
     * Seals the current chunk, if it holds any frame, writes it to the sink and (per {@link Options#syncEveryChunk()})
     * syncs. Call it on a timer.
     *
     * @throws RecordingException if the sink fails (now or earlier) or the writer is closed
     */
    public synchronized void flush() {
        requireOpen();
        seal();
    }

    /**
     * Makes every chunk sealed so far durable ({@link RecordingSink#sync()}), without holding the writer's lock
     * during the I/O: appends go on while the disk syncs, so a timer can call it and no fsync ever sits on the
     * byte path. Does nothing if no chunk was sealed since the last sync, or once the writer is closed.
     *
     * @throws RecordingException if the sink fails (the writer is then failed, like any sink failure)
     */
    public void sync() {
        long target;
        synchronized (this) {
            if (state == State.CLOSED) return;
            requireOpen();
            if (chunkIndex == syncedChunks) return;
            target = chunkIndex;
        }
        try {
            sink.sync();
        } catch (IOException | RuntimeException e) {
            synchronized (this) {
                if (state == State.CLOSED) return; // closed meanwhile: close() synced and the channel is gone
                throw fail("cannot sync chunks up to " + (target - 1), e);
            }
        }
        synchronized (this) {
            syncedChunks = Math.max(syncedChunks, target);
        }
    }

    /**
     * Seals the last chunk, writes the signed manifest, syncs and closes the sink. Calling it again returns the same
     * manifest.
     *
     * @throws RecordingException if the sink fails (now or earlier); the recording then ends without a manifest
     */
    public synchronized Manifest close() {
        if (state == State.CLOSED) return manifest;
        requireOpen();
        seal();
        Manifest m = new Manifest(Format.VERSION, header.recordingId(), header.sessionId(), createdAt,
                Format.micros(wallClock.instant()), frameCount, bytes[Direction.INPUT.ordinal()],
                bytes[Direction.OUTPUT.ordinal()], bytes[Direction.EVENT.ordinal()], chunkIndex,
                Hashes.hex(headerHash), Hashes.hex(prev), kekId, signer.keyId());
        byte[] encoded = Format.encodeManifest(m);
        byte[] body = Format.manifestBody(encoded, signer.sign(encoded));
        byte[] record = new byte[Format.PREFIX_BYTES + body.length];
        Format.writePrefix(record, Format.TAG_MANIFEST, body.length);
        System.arraycopy(body, 0, record, Format.PREFIX_BYTES, body.length);
        try {
            sink.write(record);
            sink.sync();
            sink.close();
        } catch (IOException | RuntimeException e) {
            throw fail("cannot write the manifest", e);
        }
        state = State.CLOSED;
        manifest = m;
        return m;
    }

    /** Payload bytes appended so far in {@code direction} (sealed or still buffered). */
    public synchronized long bytes(Direction direction) {
        return bytes[direction.ordinal()];
    }

    /** Frames appended so far. */
    public synchronized long frames() {
        return frameCount;
    }

    public String recordingId() {
        return header.recordingId();
    }

    private void seal() {
        if (size == 0) return;
        int bodyLength = Format.CHUNK_FIXED + size + Format.TAG_BYTES;
        byte[] record = new byte[Format.PREFIX_BYTES + bodyLength];
        Format.writePrefix(record, Format.TAG_CHUNK, bodyLength);
        Format.putI64(record, Format.PREFIX_BYTES, chunkIndex);
        System.arraycopy(prev, 0, record, Format.PREFIX_BYTES + 8, Format.HASH_BYTES);
        try {
            cipher.init(Cipher.ENCRYPT_MODE, dataKey, new GCMParameterSpec(128, Format.chunkNonce(chunkIndex)));
            cipher.updateAAD(Format.chunkAad(header.recordingId(), chunkIndex, prev));
            cipher.doFinal(buffer, 0, size, record, Format.PREFIX_BYTES + Format.CHUNK_FIXED);
        } catch (GeneralSecurityException e) {
            throw fail("AES-256-GCM sealing failed", e);
        }
        try {
            sink.write(record);
            if (options.syncEveryChunk()) sink.sync();
        } catch (IOException | RuntimeException e) {
            throw fail("cannot write chunk " + chunkIndex, e);
        }
        prev = Hashes.sha256(record);
        chunkIndex++;
        if (options.syncEveryChunk()) syncedChunks = chunkIndex;
        size = 0;
    }

    private RecordingException fail(String what, Throwable cause) {
        state = State.FAILED;
        failure = cause;
        closeQuietly(sink, cause);
        return new RecordingException("recording " + header.recordingId() + ": " + what + " (" + sink + "): " + cause, cause);
    }

    private void requireOpen() {
        if (state == State.FAILED) {
            throw new RecordingException("recording " + header.recordingId() + " failed earlier and records nothing more: "
                    + failure, failure);
        }
        if (state == State.CLOSED) throw new RecordingException("recording " + header.recordingId() + " is closed");
    }

    private static void closeQuietly(RecordingSink sink, Throwable primary) {
        try {
            sink.close();
        } catch (IOException | RuntimeException e) {
            primary.addSuppressed(e);
        }
    }

    @Override
    public String toString() {
        return "RecordingWriter[" + header.recordingId() + ", " + sink + "]";
    }
}
