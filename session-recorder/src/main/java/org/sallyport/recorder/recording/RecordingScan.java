package org.sallyport.recorder.recording;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.sallyport.recorder.crypto.Hashes;
import org.sallyport.recorder.recording.RecordingVerificationException.Kind;
import org.sallyport.recorder.recording.RecordingVerificationException.Section;

/**
 * Walks a recording record by record (one chunk in memory at a time), checking framing, the hash chain and, when
 * given key-encryption keys, decrypting and authenticating each chunk. Shared by {@link RecordingReader} and
 * {@link RecordingVerifier}; not thread-safe.
 */
final class RecordingScan {
    enum End { NONE, MANIFEST, EOF, TRUNCATED }

    private static final byte[] EMPTY = new byte[0];

    private record Rec(byte tag, long offset, byte[] bytes) {
        long end() {
            return offset + bytes.length;
        }

        int bodyLength() {
            return bytes.length - Format.PREFIX_BYTES;
        }
    }

    private final RecordingSource source;
    private final boolean decrypt;

    FileHeader header;
    private Format.ParsedHeader parsedHeader;
    private byte[] headerHash;
    private SecretKeySpec dataKey;
    private Cipher cipher;

    /** Offset of the next record to read. */
    private long offset;
    /** Chain hash of the last verified record (header hash before the first chunk). */
    byte[] prev;
    /** Index the next chunk must have = number of chunks verified. */
    long nextIndex;
    long stopOffset;
    End end = End.NONE;
    String endReason;
    Format.ParsedManifest manifest;
    long manifestOffset = -1;

    private byte[] plaintext = EMPTY;
    private int framePos;
    private long chunkOffset;
    private long lastNanos;

    private RecordingScan(RecordingSource source, boolean decrypt) {
        this.source = source;
        this.decrypt = decrypt;
    }

    /** Reads magic and header; with {@code keks} (may be empty, not null) unwraps the data key. */
    static RecordingScan start(RecordingSource source, Map<String, byte[]> keks) {
        RecordingScan s = new RecordingScan(source, keks != null);
        s.readHeader(keks);
        return s;
    }

    /** Reads magic and header and decrypts chunks with the recording's data key itself (evidence bundles). */
    static RecordingScan startWithDataKey(RecordingSource source, byte[] dek) {
        if (dek.length != Format.KEY_BYTES) throw new IllegalArgumentException("data key must be 32 bytes, got " + dek.length);
        RecordingScan s = new RecordingScan(source, true);
        s.readHeader(null);
        if (s.header != null) {
            s.dataKey = new SecretKeySpec(dek, "AES");
            try {
                s.cipher = Cipher.getInstance("AES/GCM/NoPadding");
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES-256-GCM unavailable: " + e.getClass().getSimpleName(), e);
            }
        }
        return s;
    }

    /** The unwrapped data key (a copy), or null when not decrypting. */
    byte[] dataKeyCopy() {
        return dataKey == null ? null : dataKey.getEncoded();
    }

    boolean decrypting() {
        return decrypt;
    }

    private void readHeader(Map<String, byte[]> keks) {
        byte[] magic = new byte[Format.MAGIC.length];
        int n = readFully(0, magic, 0, magic.length);
        for (int i = 0; i < n; i++) {
            if (magic[i] != Format.MAGIC[i]) {
                if (i < Format.MAGIC_ID_BYTES) {
                    throw new RecordingVerificationException(Kind.BAD_MAGIC, Section.HEADER, -1, 0,
                            "not a Sallyport recording (the file does not start with \"SPREC\\0\")");
                }
                if (n == magic.length) {
                    int v = ((magic[6] & 0xff) << 8) | (magic[7] & 0xff);
                    throw new RecordingVerificationException(Kind.UNSUPPORTED_VERSION, Section.HEADER, -1, 0,
                            "format version " + v + ", this reader understands version " + Format.VERSION);
                }
            }
        }
        if (n < magic.length) {
            end(n == 0 ? End.EOF : End.TRUNCATED, "the file ends inside the magic (" + n + " bytes)");
            return;
        }
        offset = magic.length;
        Rec r = read(Section.HEADER);
        if (r == null) {
            endReason = "the file ends before the header record is complete";
            end = End.TRUNCATED;
            return;
        }
        if (r.tag != Format.TAG_HEADER) {
            throw malformed(Section.HEADER, r.offset, "the first record is '" + (char) r.tag + "', not the header 'H'");
        }
        headerHash = Hashes.sha256(Format.MAGIC, r.bytes);
        try {
            parsedHeader = Format.decodeHeaderBody(r.bytes, Hashes.hex(headerHash));
        } catch (Format.FormatError e) {
            throw malformed(Section.HEADER, r.offset, e.getMessage());
        }
        header = parsedHeader.fileHeader();
        prev = headerHash;
        offset = r.end();
        stopOffset = offset;
        if (decrypt && keks != null) unwrapDataKey(keks, r.offset);
    }

    private void unwrapDataKey(Map<String, byte[]> keks, long headerOffset) {
        String kekId = header.kekId();
        byte[] kek = keks.get(kekId);
        if (kek == null) {
            if (!headerConfirmed()) throw headerAltered(headerOffset, "the data key cannot be unwrapped (no KEK with id \""
                    + kekId + "\") and chunk 0 does not link to this header");
            throw new RecordingVerificationException(Kind.UNKNOWN_KEK, Section.HEADER, -1, headerOffset,
                    "no key-encryption key with id \"" + kekId + "\" was supplied (supplied ids: " + new TreeSet<>(keks.keySet()) + ")");
        }
        if (kek.length != Format.KEY_BYTES) {
            throw new IllegalArgumentException("key-encryption key \"" + kekId + "\" must be 32 bytes, got " + kek.length);
        }
        byte[] dek = null;
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(kek, "AES"), new GCMParameterSpec(128, parsedHeader.wrapNonce()));
            c.updateAAD(Format.wrapAad(header.recordingId(), kekId));
            dek = c.doFinal(parsedHeader.wrappedKey());
            dataKey = new SecretKeySpec(dek, "AES");
            cipher = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (AEADBadTagException e) {
            if (!headerConfirmed()) throw headerAltered(headerOffset, "the data key cannot be unwrapped and chunk 0 does not"
                    + " link to this header: the header was altered (or the KEK \"" + kekId + "\" is wrong)");
            throw new RecordingVerificationException(Kind.WRONG_KEK, Section.HEADER, -1, headerOffset,
                    "the key-encryption key supplied for id \"" + kekId + "\" does not unwrap the data key"
                            + " (wrong key, or the wrapped key in the header was altered)");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM unavailable: " + e.getClass().getSimpleName(), e);
        } finally {
            if (dek != null) Arrays.fill(dek, (byte) 0);
        }
    }

    /** False only if the next record positively contradicts the header (a chunk 0 or manifest naming another hash). */
    private boolean headerConfirmed() {
        try {
            Rec r = peek();
            if (r == null) return true;
            if (r.tag == Format.TAG_CHUNK && r.bodyLength() >= Format.CHUNK_FIXED) {
                return Arrays.equals(r.bytes, 17, 17 + Format.HASH_BYTES, headerHash, 0, Format.HASH_BYTES);
            }
            if (r.tag == Format.TAG_MANIFEST) {
                return Format.decodeManifestBody(r.bytes).manifest().headerHash().equals(Hashes.hex(headerHash));
            }
            return true;
        } catch (RuntimeException e) {
            return true; // cannot tell; the error names both possibilities
        }
    }

    private Rec peek() {
        long saveOffset = offset;
        End saveEnd = end;
        String saveReason = endReason;
        try {
            return read(Section.CHUNK);
        } finally {
            offset = saveOffset;
            end = saveEnd;
            endReason = saveReason;
        }
    }

    /**
     * Verifies the next chunk and returns its plaintext (an empty array when not decrypting), or null when the
     * chunks end: at the manifest, at the end of the file, or at a partial record ({@link #end}).
     */
    byte[] nextChunk() {
        if (end != End.NONE) return null;
        Rec r = read(Section.CHUNK);
        if (r == null) return null;
        switch (r.tag) {
            case Format.TAG_CHUNK:
                return chunk(r);
            case Format.TAG_MANIFEST:
                try {
                    manifest = Format.decodeManifestBody(r.bytes);
                } catch (Format.FormatError e) {
                    throw malformed(Section.MANIFEST, r.offset, e.getMessage());
                }
                manifestOffset = r.offset;
                byte[] one = new byte[1];
                if (readFully(r.end(), one, 0, 1) > 0) {
                    throw new RecordingVerificationException(Kind.TRAILING_DATA, Section.MANIFEST, -1, r.end(),
                            "bytes follow the manifest (which starts at offset " + r.offset + ")");
                }
                offset = r.end();
                stopOffset = offset;
                end = End.MANIFEST;
                return null;
            default:
                throw malformed(Section.CHUNK, r.offset, "a second header record where chunk " + nextIndex + " or the manifest was expected");
        }
    }

    private byte[] chunk(Rec r) {
        byte[] b = r.bytes;
        int p = Format.PREFIX_BYTES;
        if (r.bodyLength() < Format.CHUNK_FIXED + Format.TAG_BYTES + Format.FRAME_OVERHEAD) {
            throw malformed(Section.CHUNK, r.offset, "chunk record body is " + r.bodyLength() + " bytes, too short to hold a frame");
        }
        long index = Format.getI64(b, p);
        byte[] storedPrev = Arrays.copyOfRange(b, p + 8, p + Format.CHUNK_FIXED);
        boolean linked = index == nextIndex && Arrays.equals(storedPrev, prev);
        byte[] pt = EMPTY;
        if (decrypt) {
            pt = open(b, index, storedPrev);
            if (pt == null) {
                throw new RecordingVerificationException(Kind.CHUNK_ALTERED, Section.CHUNK, nextIndex, r.offset,
                        "AES-GCM authentication failed: the chunk's ciphertext, tag, index or previous-hash field was altered");
            }
            if (!linked) {
                if (index == 0 && nextIndex == 0) {
                    throw headerAltered(Format.MAGIC.length, "chunk 0 is authentic but links to a different header hash");
                }
                throw new RecordingVerificationException(Kind.CHAIN_BROKEN, Section.CHUNK, nextIndex, r.offset,
                        "an authentic chunk with index " + index + " stands where chunk " + nextIndex
                                + " belongs: chunks were removed, reordered or duplicated");
            }
            if (pt.length > header.maxChunkBytes()) {
                throw new RecordingVerificationException(Kind.MALFORMED_FRAME, Section.CHUNK, nextIndex, r.offset,
                        "chunk plaintext is " + pt.length + " bytes, above the header's limit " + header.maxChunkBytes());
            }
        } else if (index != nextIndex) {
            throw new RecordingVerificationException(Kind.CHAIN_BROKEN, Section.CHUNK, nextIndex, r.offset,
                    "chunk index field is " + index + ", expected " + nextIndex
                            + ": chunks were removed or reordered, or this chunk was altered");
        } else if (!linked) {
            throw new RecordingVerificationException(Kind.CHAIN_BROKEN, Section.CHUNK, nextIndex, r.offset,
                    nextIndex == 0
                            ? "chunk 0 does not link to the header hash: the header or chunk 0 was altered"
                            : "chunk " + nextIndex + " does not link to the hash of chunk " + (nextIndex - 1)
                                    + ": one of them was altered, or chunks were removed or reordered");
        }
        prev = Hashes.sha256(b);
        nextIndex++;
        offset = r.end();
        stopOffset = offset;
        chunkOffset = r.offset;
        return pt;
    }

    /** @return the plaintext, or null if authentication fails */
    private byte[] open(byte[] rec, long index, byte[] storedPrev) {
        int ctOff = Format.PREFIX_BYTES + Format.CHUNK_FIXED;
        try {
            cipher.init(Cipher.DECRYPT_MODE, dataKey, new GCMParameterSpec(128, Format.chunkNonce(index)));
            cipher.updateAAD(Format.chunkAad(header.recordingId(), index, storedPrev));
            return cipher.doFinal(rec, ctOff, rec.length - ctOff);
        } catch (AEADBadTagException e) {
            return null;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM decryption failed: " + e.getClass().getSimpleName(), e);
        }
    }

    /** The next frame in file order, or null at the end of the sealed chunks. Only when decrypting. */
    Frame nextFrame() {
        while (framePos >= plaintext.length) {
            byte[] pt = nextChunk();
            if (pt == null) return null;
            plaintext = pt;
            framePos = 0;
        }
        long index = nextIndex - 1;
        byte[] b = plaintext;
        int p = framePos;
        if (b.length - p < Format.FRAME_OVERHEAD) {
            throw badFrame(index, "a frame header at plaintext offset " + p + " is cut short");
        }
        long nanos = Format.getI64(b, p);
        int channel = Format.getU32(b, p + 8);
        Direction dir = Direction.ofCode(b[p + 12] & 0xff);
        int len = Format.getU32(b, p + 13);
        if (dir == null) throw badFrame(index, "unknown direction code " + (b[p + 12] & 0xff) + " at plaintext offset " + p);
        if (len < 0 || len > b.length - p - Format.FRAME_OVERHEAD) {
            throw badFrame(index, "frame length " + Integer.toUnsignedString(len) + " at plaintext offset " + p + " overruns the chunk");
        }
        if (nanos < lastNanos) {
            throw badFrame(index, "frame time " + nanos + " ns goes back from " + lastNanos + " ns");
        }
        lastNanos = nanos;
        byte[] data = Arrays.copyOfRange(b, p + Format.FRAME_OVERHEAD, p + Format.FRAME_OVERHEAD + len);
        framePos = p + Format.FRAME_OVERHEAD + len;
        return new Frame(nanos, channel, dir, data);
    }

    private RecordingVerificationException badFrame(long index, String message) {
        return new RecordingVerificationException(Kind.MALFORMED_FRAME, Section.CHUNK, index, chunkOffset, message);
    }

    /** Reads the record at {@link #offset}; null (with {@link #end} set) at the end of the file or a partial record. */
    private Rec read(Section expected) {
        long at = offset;
        long chunk = expected == Section.CHUNK ? nextIndex : -1;
        byte[] prefix = new byte[Format.PREFIX_BYTES];
        int n = readFully(at, prefix, 0, prefix.length);
        if (n == 0) {
            end(End.EOF, "no record follows offset " + at);
            return null;
        }
        if (n < prefix.length) {
            end(End.TRUNCATED, "the file ends inside a record prefix at offset " + at);
            return null;
        }
        if (Format.getU32(prefix, 5) != Format.crc(prefix, 0, 5)) {
            throw new RecordingVerificationException(Kind.MALFORMED_RECORD, expected, chunk, at,
                    "the record prefix fails its CRC-32C (corrupt tag or length)"
                            + (expected == Section.CHUNK ? "; this is chunk " + chunk + " or the manifest" : ""));
        }
        byte tag = prefix[0];
        long len = Integer.toUnsignedLong(Format.getU32(prefix, 1));
        long max = switch (tag) {
            case Format.TAG_HEADER -> Format.MAX_HEADER_BODY;
            case Format.TAG_MANIFEST -> Format.MAX_MANIFEST_BODY;
            case Format.TAG_CHUNK -> Format.CHUNK_FIXED + Format.MAX_CHUNK_PLAINTEXT + Format.TAG_BYTES;
            default -> throw new RecordingVerificationException(Kind.MALFORMED_RECORD, expected, chunk, at,
                    "unknown record tag 0x" + Integer.toHexString(tag & 0xff));
        };
        Section section = tag == Format.TAG_MANIFEST ? Section.MANIFEST : expected;
        if (len > max) {
            throw new RecordingVerificationException(Kind.MALFORMED_RECORD, section, section == Section.CHUNK ? chunk : -1, at,
                    "record body of " + len + " bytes exceeds the limit of " + max);
        }
        byte[] rec = new byte[Format.PREFIX_BYTES + (int) len];
        System.arraycopy(prefix, 0, rec, 0, prefix.length);
        int got = readFully(at + Format.PREFIX_BYTES, rec, Format.PREFIX_BYTES, (int) len);
        if (got < len) {
            end(End.TRUNCATED, "the file ends inside the " + (tag == Format.TAG_MANIFEST ? "manifest"
                    : tag == Format.TAG_HEADER ? "header" : "record of chunk " + chunk) + " that starts at offset " + at);
            return null;
        }
        return new Rec(tag, at, rec);
    }

    private void end(End how, String reason) {
        end = how;
        endReason = reason;
    }

    private int readFully(long position, byte[] dst, int off, int len) {
        int total = 0;
        try {
            while (total < len) {
                int n = source.read(position + total, dst, off + total, len - total);
                if (n < 0) break;
                if (n == 0) throw new IOException("source returned 0 bytes at offset " + (position + total));
                total += n;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the recording at offset " + (position + total) + ": " + e.getMessage(), e);
        }
        return total;
    }

    private RecordingVerificationException malformed(Section section, long at, String message) {
        return new RecordingVerificationException(Kind.MALFORMED_RECORD, section, section == Section.CHUNK ? nextIndex : -1, at, message);
    }

    private static RecordingVerificationException headerAltered(long headerOffset, String message) {
        return new RecordingVerificationException(Kind.HEADER_ALTERED, Section.HEADER, -1, headerOffset, message);
    }

    /** Finds the manifest by hopping over record prefixes (no decryption); empty if none or if the framing breaks. */
    static Optional<Format.ParsedManifest> findManifest(RecordingSource source) {
        RecordingScan s = new RecordingScan(source, false);
        try {
            s.readHeader(null);
            if (s.header == null) return Optional.empty();
            byte[] prefix = new byte[Format.PREFIX_BYTES];
            while (true) {
                if (s.readFully(s.offset, prefix, 0, prefix.length) < prefix.length) return Optional.empty();
                if (Format.getU32(prefix, 5) != Format.crc(prefix, 0, 5)) return Optional.empty();
                long len = Integer.toUnsignedLong(Format.getU32(prefix, 1));
                if (prefix[0] == Format.TAG_MANIFEST) {
                    Rec r = s.read(Section.MANIFEST);
                    return r == null ? Optional.empty() : Optional.of(Format.decodeManifestBody(r.bytes));
                }
                if (prefix[0] != Format.TAG_CHUNK) return Optional.empty();
                s.offset += Format.PREFIX_BYTES + len;
            }
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
