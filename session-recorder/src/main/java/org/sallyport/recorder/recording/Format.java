package org.sallyport.recorder.recording;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;
import org.sallyport.recorder.crypto.Hashes;

/** Byte layouts of FORMAT.md, version 1: constants, canonical encoder, strict decoder, header and manifest codecs. */
final class Format {
    static final int VERSION = 1;
    /** "SPREC", 0x00, then the version as u16. */
    static final byte[] MAGIC = {'S', 'P', 'R', 'E', 'C', 0, 0, VERSION};
    static final int MAGIC_ID_BYTES = 6;

    static final byte TAG_HEADER = 'H';
    static final byte TAG_CHUNK = 'C';
    static final byte TAG_MANIFEST = 'M';
    /** tag (1) || u32 body length || u32 CRC-32C of those five bytes. */
    static final int PREFIX_BYTES = 9;

    static final int MAX_HEADER_BODY = 1 << 20;
    static final int MAX_MANIFEST_BODY = 1 << 16;
    /** Hard limit on a chunk's plaintext; writers choose less (64 KiB by default). */
    static final int MAX_CHUNK_PLAINTEXT = 1 << 24;
    static final int MIN_CHUNK_PLAINTEXT = 256;

    static final int HASH_BYTES = 32;
    static final int KEY_BYTES = 32;
    static final int NONCE_BYTES = 12;
    static final int TAG_BYTES = 16;
    /** chunk body before the ciphertext: u64 index || prev hash. */
    static final int CHUNK_FIXED = 8 + HASH_BYTES;
    /** i64 nanos || i32 channel || u8 direction || u32 length. */
    static final int FRAME_OVERHEAD = 17;

    static final String DEK_WRAP_ALGORITHM = "A256GCM";
    static final String WRAP_DOMAIN = "sallyport-recording-dek-v1";
    static final String CHUNK_DOMAIN = "sallyport-recording-chunk-v1";
    static final String MANIFEST_DOMAIN = "sallyport-recording-manifest-v1";
    static final int SIGNATURE_BYTES = 64;

    private Format() {}

    static byte[] prefix(byte tag, int bodyLength) {
        byte[] p = new byte[PREFIX_BYTES];
        writePrefix(p, tag, bodyLength);
        return p;
    }

    static void writePrefix(byte[] dst, byte tag, int bodyLength) {
        dst[0] = tag;
        putU32(dst, 1, bodyLength);
        putU32(dst, 5, crc(dst, 0, 5));
    }

    static int crc(byte[] b, int off, int len) {
        CRC32C c = new CRC32C();
        c.update(b, off, len);
        return (int) c.getValue();
    }

    static void putU32(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    static void putI64(byte[] b, int off, long v) {
        for (int i = 0; i < 8; i++) b[off + i] = (byte) (v >>> (56 - 8 * i));
    }

    static int getU32(byte[] b, int off) {
        return ((b[off] & 0xff) << 24) | ((b[off + 1] & 0xff) << 16) | ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
    }

    static long getI64(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) v = (v << 8) | (b[off + i] & 0xff);
        return v;
    }

    /** 4 zero bytes || u64(index): unique per chunk because every recording has its own random data key. */
    static byte[] chunkNonce(long index) {
        byte[] n = new byte[NONCE_BYTES];
        putI64(n, 4, index);
        return n;
    }

    static byte[] chunkAad(String recordingId, long index, byte[] prevHash) {
        return new Enc().str("", CHUNK_DOMAIN).str("recordingId", recordingId).i64(index).raw(prevHash).toBytes();
    }

    static byte[] wrapAad(String recordingId, String kekId) {
        return new Enc().str("", WRAP_DOMAIN).str("recordingId", recordingId).str("kekId", kekId).toBytes();
    }

    static Instant micros(Instant t) {
        return t.truncatedTo(ChronoUnit.MICROS);
    }

    static long epochMicros(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000);
    }

    static Instant ofEpochMicros(long micros) {
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }

    /** Strict UTF-8: an unpaired surrogate would otherwise become '?' and two strings could encode alike. */
    static byte[] utf8(String field, String s) {
        if (s == null) throw new NullPointerException(field + " is null");
        try {
            ByteBuffer b = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(s));
            return Arrays.copyOf(b.array(), b.limit());
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(field + " is not valid Unicode text (unpaired surrogate)");
        }
    }

    static void requireText(String field, String s) {
        if (s == null || s.isBlank()) throw new IllegalArgumentException(field + " must not be blank");
        utf8(field, s);
    }

    // ---- header ----

    /** The parsed header record; {@code wrappedKey} is GCM ciphertext || tag of the data key. */
    record ParsedHeader(FileHeader fileHeader, byte[] wrapNonce, byte[] wrappedKey, String wrapAlgorithm) {}

    static byte[] encodeHeaderBody(RecordingHeader h, Instant createdAt, int maxChunkBytes, String kekId,
                                   String signerKeyId, byte[] wrapNonce, byte[] wrappedKey) {
        return new Enc()
                .str("recordingId", h.recordingId())
                .str("sessionId", h.sessionId())
                .i64(epochMicros(createdAt))
                .u32(maxChunkBytes)
                .str("kekId", kekId)
                .str("signerKeyId", signerKeyId)
                .map("attributes", h.attributes())
                .str("", DEK_WRAP_ALGORITHM)
                .raw(wrapNonce)
                .bytes(wrappedKey)
                .toBytes();
    }

    static ParsedHeader decodeHeaderBody(byte[] record, String headerHashHex) {
        Dec d = new Dec(record, PREFIX_BYTES, record.length);
        String recordingId = d.str("recordingId");
        String sessionId = d.str("sessionId");
        Instant createdAt = d.micros("createdAt");
        int maxChunk = d.u32("maxChunkBytes");
        if (maxChunk < MIN_CHUNK_PLAINTEXT || maxChunk > MAX_CHUNK_PLAINTEXT) {
            throw new FormatError("maxChunkBytes " + Integer.toUnsignedString(maxChunk) + " is outside ["
                    + MIN_CHUNK_PLAINTEXT + ", " + MAX_CHUNK_PLAINTEXT + "]");
        }
        String kekId = d.str("kekId");
        String signerKeyId = d.str("signerKeyId");
        Map<String, String> attributes = d.map("attributes");
        String alg = d.str("dekWrapAlgorithm");
        if (!DEK_WRAP_ALGORITHM.equals(alg)) throw new FormatError("unsupported data key wrapping \"" + alg + "\"");
        byte[] nonce = d.raw("wrapNonce", NONCE_BYTES);
        byte[] wrapped = d.bytes("wrappedKey");
        if (wrapped.length != KEY_BYTES + TAG_BYTES) {
            throw new FormatError("wrappedKey is " + wrapped.length + " bytes, expected " + (KEY_BYTES + TAG_BYTES));
        }
        d.end("header");
        RecordingHeader h;
        try {
            h = new RecordingHeader(recordingId, sessionId, attributes);
        } catch (IllegalArgumentException e) {
            throw new FormatError(e.getMessage());
        }
        FileHeader fh = new FileHeader(VERSION, h, createdAt, maxChunk, kekId, signerKeyId, headerHashHex);
        return new ParsedHeader(fh, nonce, wrapped, alg);
    }

    // ---- manifest ----

    /** The bytes the manifest signature covers (FORMAT.md, "Manifest record"). */
    static byte[] encodeManifest(Manifest m) {
        return new Enc()
                .str("", MANIFEST_DOMAIN)
                .u32(m.formatVersion())
                .str("recordingId", m.recordingId())
                .str("sessionId", m.sessionId())
                .i64(epochMicros(m.createdAt()))
                .i64(epochMicros(m.closedAt()))
                .i64(m.frameCount())
                .i64(m.inputBytes())
                .i64(m.outputBytes())
                .i64(m.eventBytes())
                .i64(m.chunkCount())
                .raw(Hashes.unhex(m.headerHash()))
                .raw(Hashes.unhex(m.chainHead()))
                .str("kekId", m.kekId())
                .str("signerKeyId", m.signerKeyId())
                .toBytes();
    }

    static byte[] manifestBody(byte[] encoded, byte[] signature) {
        return new Enc().bytes(encoded).bytes(signature).toBytes();
    }

    record ParsedManifest(Manifest manifest, byte[] encoded, byte[] signature) {}

    static ParsedManifest decodeManifestBody(byte[] record) {
        Dec outer = new Dec(record, PREFIX_BYTES, record.length);
        byte[] encoded = outer.bytes("manifest");
        byte[] signature = outer.bytes("signature");
        outer.end("manifest record");
        Dec d = new Dec(encoded, 0, encoded.length);
        String domain = d.str("domain");
        if (!MANIFEST_DOMAIN.equals(domain)) throw new FormatError("manifest domain is \"" + domain + "\"");
        int version = d.u32("formatVersion");
        if (version != VERSION) throw new FormatError("manifest format version " + version + ", expected " + VERSION);
        Manifest m = new Manifest(version, d.str("recordingId"), d.str("sessionId"), d.micros("createdAt"),
                d.micros("closedAt"), d.nonNegative("frameCount"), d.nonNegative("inputBytes"),
                d.nonNegative("outputBytes"), d.nonNegative("eventBytes"), d.nonNegative("chunkCount"),
                Hashes.hex(d.raw("headerHash", HASH_BYTES)), Hashes.hex(d.raw("chainHead", HASH_BYTES)),
                d.str("kekId"), d.str("signerKeyId"));
        d.end("manifest");
        return new ParsedManifest(m, encoded, signature);
    }

    /** A structural problem found while decoding; the caller adds the location. */
    static final class FormatError extends RuntimeException {
        FormatError(String message) {
            super(message, null, false, false);
        }
    }

    /** Length-prefixed canonical encoder (the primitives of FORMAT.md). */
    static final class Enc {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);

        Enc u32(int v) {
            out.write(v >>> 24);
            out.write(v >>> 16);
            out.write(v >>> 8);
            out.write(v);
            return this;
        }

        Enc i64(long v) {
            for (int shift = 56; shift >= 0; shift -= 8) out.write((int) (v >>> shift));
            return this;
        }

        Enc raw(byte[] b) {
            out.writeBytes(b);
            return this;
        }

        Enc bytes(byte[] b) {
            u32(b.length);
            out.writeBytes(b);
            return this;
        }

        Enc str(String field, String s) {
            return bytes(utf8(field, s));
        }

        /** Count, then entries ascending by the unsigned bytes of the UTF-8 key. */
        Enc map(String field, Map<String, String> m) {
            TreeMap<byte[], byte[]> sorted = new TreeMap<>(Arrays::compareUnsigned);
            m.forEach((k, v) -> sorted.put(utf8(field + " key", k), utf8(field + "[" + k + "]", v)));
            u32(sorted.size());
            sorted.forEach((k, v) -> bytes(k).bytes(v));
            return this;
        }

        byte[] toBytes() {
            return out.toByteArray();
        }
    }

    /** Strict decoder: every read is bounds-checked and names the field; {@link #end} rejects trailing bytes. */
    static final class Dec {
        private final byte[] b;
        private int pos;
        private final int limit;

        Dec(byte[] b, int from, int to) {
            this.b = b;
            this.pos = from;
            this.limit = to;
        }

        private void need(String field, long n) {
            if (n > limit - pos) {
                throw new FormatError(field + " needs " + n + " bytes but only " + (limit - pos) + " remain");
            }
        }

        int u32(String field) {
            need(field, 4);
            int v = getU32(b, pos);
            pos += 4;
            return v;
        }

        long i64(String field) {
            need(field, 8);
            long v = getI64(b, pos);
            pos += 8;
            return v;
        }

        long nonNegative(String field) {
            long v = i64(field);
            if (v < 0) throw new FormatError(field + " is negative");
            return v;
        }

        Instant micros(String field) {
            try {
                return ofEpochMicros(i64(field));
            } catch (java.time.DateTimeException | ArithmeticException e) {
                throw new FormatError(field + " is out of range");
            }
        }

        byte[] raw(String field, int n) {
            need(field, n);
            byte[] v = Arrays.copyOfRange(b, pos, pos + n);
            pos += n;
            return v;
        }

        byte[] bytes(String field) {
            int n = u32(field + " length");
            if (n < 0) throw new FormatError(field + " length " + Integer.toUnsignedString(n) + " is too large");
            return raw(field, n);
        }

        String str(String field) {
            byte[] v = bytes(field);
            try {
                return StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(v)).toString();
            } catch (CharacterCodingException e) {
                throw new FormatError(field + " is not valid UTF-8");
            }
        }

        Map<String, String> map(String field) {
            int n = u32(field + " count");
            if (n < 0 || n > limit - pos) throw new FormatError(field + " count " + Integer.toUnsignedString(n) + " is too large");
            Map<String, String> m = new LinkedHashMap<>();
            byte[] previous = null;
            for (int i = 0; i < n; i++) {
                int keyStart = pos;
                String k = str(field + " key");
                byte[] kb = Arrays.copyOfRange(b, keyStart + 4, pos);
                if (previous != null && Arrays.compareUnsigned(previous, kb) >= 0) {
                    throw new FormatError(field + " keys are not in strictly ascending byte order at \"" + k + "\"");
                }
                previous = kb;
                m.put(k, str(field + "[" + k + "]"));
            }
            return m;
        }

        void end(String what) {
            if (pos != limit) throw new FormatError(what + " has " + (limit - pos) + " unexpected trailing bytes");
        }
    }
}
