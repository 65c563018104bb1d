package org.sallyport.recorder.audit;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Builder for the length-prefixed canonical encodings specified in AUDIT.md. Every variable-length field is
 * prefixed by its byte length, so no two different field sequences encode to the same bytes.
 */
final class Canonical {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);

    Canonical u32(int v) {
        out.write(v >>> 24);
        out.write(v >>> 16);
        out.write(v >>> 8);
        out.write(v);
        return this;
    }

    Canonical i64(long v) {
        for (int shift = 56; shift >= 0; shift -= 8) out.write((int) (v >>> shift));
        return this;
    }

    Canonical str(String field, String s) {
        byte[] b = utf8(field, s);
        u32(b.length);
        out.writeBytes(b);
        return this;
    }

    /** 0x00 for null; 0x01 followed by the string otherwise (so null and "" differ). */
    Canonical optStr(String field, String s) {
        if (s == null) {
            out.write(0);
            return this;
        }
        out.write(1);
        return str(field, s);
    }

    Canonical micros(Instant t) {
        return i64(epochMicros(t));
    }

    /** Count, then entries sorted by the unsigned bytes of the UTF-8 key (= Unicode code point order). */
    Canonical map(String field, Map<String, String> m) {
        List<byte[][]> entries = new ArrayList<>(m.size());
        for (Map.Entry<String, String> e : m.entrySet()) {
            entries.add(new byte[][] {utf8(field + " key", e.getKey()), utf8(field + "[" + e.getKey() + "]", e.getValue())});
        }
        entries.sort((a, b) -> Arrays.compareUnsigned(a[0], b[0]));
        u32(entries.size());
        for (byte[][] kv : entries) {
            u32(kv[0].length);
            out.writeBytes(kv[0]);
            u32(kv[1].length);
            out.writeBytes(kv[1]);
        }
        return this;
    }

    byte[] toBytes() {
        return out.toByteArray();
    }

    static long epochMicros(Instant t) {
        // getNano() is in [0, 1e9), so this floors, exactly like Instant.truncatedTo(MICROS).
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000);
    }

    /** Strict UTF-8: an unpaired surrogate would otherwise become '?' and two strings could encode alike. */
    static byte[] utf8(String field, String s) {
        if (s == null) throw new NullPointerException(field + " is null");
        try {
            ByteBuffer b = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(s));
            byte[] bytes = new byte[b.remaining()];
            b.get(bytes);
            return bytes;
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(field + " is not valid Unicode text (unpaired surrogate)");
        }
    }

    static void requireText(String field, String s) {
        if (s == null || s.isBlank()) throw new IllegalArgumentException(field + " must not be blank");
        utf8(field, s);
    }
}
