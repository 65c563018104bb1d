package org.sallyport.recorder.recording;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Exports a recording as asciicast v2 (https://docs.asciinema.org/manual/asciicast/v2/): a header line, then
 * {@code [time, "o", text]} for OUTPUT frames, {@code [time, "i", text]} for INPUT frames when asked, and
 * {@code [time, "r", "COLSxROWS"]} for resize EVENT frames ({@code {"type":"resize","cols":..,"rows":..}}).
 *
 * <p>Bytes are decoded as UTF-8 with one stateful decoder per (channel, direction): a character split across
 * frames comes out whole; malformed bytes become U+FFFD. Other events are skipped.
 *
 * <h2>Restrictions</h2>
 * The output is plaintext: exporting is viewing, and must be role-gated and audited by the caller. The size comes
 * from the header attributes {@link RecordingHeader#TERM_COLS}/{@link RecordingHeader#TERM_ROWS}, else the
 * options' defaults.
 */
public final class AsciicastExporter {
    /**
     * @param includeInput also write INPUT frames as "i" events (keystrokes can include passwords typed by the vendor)
     * @param defaultCols width when the header has no {@link RecordingHeader#TERM_COLS}
     * @param defaultRows height when the header has no {@link RecordingHeader#TERM_ROWS}
     */
    public record Options(boolean includeInput, int defaultCols, int defaultRows) {
        /** Output only (input is excluded by default: it may hold typed secrets); 80x24, the classic terminal. */
        public static Options withDefaults() {
            return new Options(false, 80, 24);
        }

        public Options withInput(boolean include) {
            return new Options(include, defaultCols, defaultRows);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private AsciicastExporter() {}

    /**
     * Writes all frames of {@code reader} (from where it stands) to {@code out}; does not close {@code out}.
     *
     * @return the number of event lines written (not counting the header line)
     * @throws RecordingVerificationException if a chunk does not authenticate
     */
    public static long export(RecordingReader reader, Writer out, Options options) throws IOException {
        Objects.requireNonNull(reader, "reader");
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(options, "options");
        FileHeader h = reader.header();
        JsonGenerator g = new JsonFactory().createGenerator(out);
        g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        g.setRootValueSeparator(new SerializedString("\n"));
        g.writeStartObject();
        g.writeNumberField("version", 2);
        g.writeNumberField("width", intAttribute(h, RecordingHeader.TERM_COLS, options.defaultCols()));
        g.writeNumberField("height", intAttribute(h, RecordingHeader.TERM_ROWS, options.defaultRows()));
        g.writeNumberField("timestamp", h.createdAt().getEpochSecond());
        g.writeEndObject();

        Map<Long, Utf8Stream> streams = new HashMap<>();
        long events = 0;
        long lastNanos = 0;
        for (Frame f = reader.next(); f != null; f = reader.next()) {
            lastNanos = f.nanos();
            switch (f.direction()) {
                case OUTPUT, INPUT -> {
                    if (f.direction() == Direction.INPUT && !options.includeInput()) continue;
                    long key = ((long) f.channel() << 2) | f.direction().code();
                    String text = streams.computeIfAbsent(key, k -> new Utf8Stream()).decode(f.data(), false);
                    if (!text.isEmpty()) {
                        event(g, f.nanos(), f.direction() == Direction.OUTPUT ? "o" : "i", text);
                        events++;
                    }
                }
                case EVENT -> {
                    String size = resize(f);
                    if (size != null) {
                        event(g, f.nanos(), "r", size);
                        events++;
                    }
                }
            }
        }
        for (Map.Entry<Long, Utf8Stream> e : streams.entrySet()) {
            String rest = e.getValue().decode(ByteBuffer.allocate(0), true);
            if (!rest.isEmpty()) {
                event(g, lastNanos, (e.getKey() & 3) == Direction.OUTPUT.code() ? "o" : "i", rest);
                events++;
            }
        }
        g.flush();
        out.write('\n');
        out.flush();
        return events;
    }

    private static void event(JsonGenerator g, long nanos, String code, String data) throws IOException {
        g.writeStartArray();
        g.writeNumber(BigDecimal.valueOf(nanos, 9).setScale(6, RoundingMode.DOWN).toPlainString());
        g.writeString(code);
        g.writeString(data);
        g.writeEndArray();
    }

    private static int intAttribute(FileHeader h, String name, int fallback) {
        String v = h.header().attributes().get(name);
        if (v == null) return fallback;
        try {
            int n = Integer.parseInt(v.strip());
            return n > 0 ? n : fallback;
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    /** "COLSxROWS" for a well-formed resize event, else null (other events and malformed JSON are skipped). */
    private static String resize(Frame f) {
        try {
            JsonNode n = JSON.readTree(f.bytes());
            if (n == null || !n.isObject() || !"resize".equals(n.path("type").asText(null))) return null;
            JsonNode cols = n.get("cols");
            JsonNode rows = n.get("rows");
            if (cols == null || rows == null || !cols.canConvertToInt() || !rows.canConvertToInt()
                    || !cols.isIntegralNumber() || !rows.isIntegralNumber() || cols.intValue() <= 0 || rows.intValue() <= 0) {
                return null;
            }
            return cols.intValue() + "x" + rows.intValue();
        } catch (IOException e) {
            return null;
        }
    }

    /** UTF-8 decoding that carries an incomplete trailing sequence over to the next frame. */
    private static final class Utf8Stream {
        private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        private byte[] pending = new byte[0];

        String decode(ByteBuffer data, boolean endOfInput) {
            ByteBuffer in;
            if (pending.length == 0) {
                in = data;
            } else {
                in = ByteBuffer.allocate(pending.length + data.remaining());
                in.put(pending).put(data).flip();
            }
            CharBuffer out = CharBuffer.allocate(in.remaining() + 2);
            decoder.decode(in, out, endOfInput);
            if (endOfInput) decoder.flush(out);
            pending = new byte[in.remaining()];
            in.get(pending);
            return out.flip().toString();
        }
    }
}
