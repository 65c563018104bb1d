package org.sallyport.recorder.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sallyport.recorder.recording.TestRecordings.KEKS;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sallyport.recorder.recording.TestRecordings.Fixture;
import org.sallyport.recorder.recording.TestRecordings.MemorySink;

class AsciicastExporterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TEXT = "h\u00e9 \u20ac \uD83D\uDE00 \u65e5\u672c!";

    @Test
    void aCharacterSplitAcrossFramesComesOutWhole() throws Exception {
        byte[] utf8 = TEXT.getBytes(StandardCharsets.UTF_8);
        for (int split = 0; split <= utf8.length; split++) {
            Fixture f = new Fixture(256);
            f.writer.append(0, Direction.OUTPUT, Arrays.copyOfRange(utf8, 0, split));
            f.mono.now += 1_000_000;
            f.writer.append(0, Direction.OUTPUT, Arrays.copyOfRange(utf8, split, utf8.length));
            f.writer.close();

            List<JsonNode> events = export(f.sink.bytes(), AsciicastExporter.Options.withDefaults());

            StringBuilder joined = new StringBuilder();
            events.forEach(e -> joined.append(e.get(2).asText()));
            assertThat(joined.toString()).as("split at byte %d", split).isEqualTo(TEXT).doesNotContain("\uFFFD");
        }
    }

    @Test
    void headerOutputInputAndResizeLines() throws Exception {
        Fixture f = new Fixture(new MemorySink(), "rec-a", 256, 1,
                Map.of(RecordingHeader.TERM_COLS, "100", RecordingHeader.TERM_ROWS, "30"));
        f.mono.now += 1_500_000; // 1.5 ms
        f.writer.append(0, Direction.INPUT, "ls\r".getBytes());
        f.mono.now += 250_000_000;
        f.writer.append(0, Direction.OUTPUT, "a\"b\\c\n\u0001".getBytes());
        f.writer.append(0, Direction.EVENT, RecordingEvents.resize(120, 40));
        f.writer.append(0, Direction.EVENT, RecordingEvents.exitStatus(0));
        f.writer.append(0, Direction.EVENT, "not json".getBytes());
        f.writer.close();

        StringWriter out = new StringWriter();
        try (RecordingReader r = RecordingReader.open(RecordingSource.of(f.sink.bytes()), KEKS)) {
            AsciicastExporter.export(r, out, AsciicastExporter.Options.withDefaults().withInput(true));
        }
        String[] lines = out.toString().split("\n", -1);

        assertThat(lines[0]).isEqualTo("{\"version\":2,\"width\":100,\"height\":30,\"timestamp\":"
                + TestRecordings.START.getEpochSecond() + "}");
        assertThat(lines[1]).isEqualTo("[0.001500,\"i\",\"ls\\r\"]");
        assertThat(lines[2]).isEqualTo("[0.251500,\"o\",\"a\\\"b\\\\c\\n\\u0001\"]");
        assertThat(lines[3]).isEqualTo("[0.251500,\"r\",\"120x40\"]");
        assertThat(lines).hasSize(5);
        assertThat(lines[4]).isEmpty();
    }

    @Test
    void inputIsLeftOutByDefaultAndDanglingBytesBecomeAReplacementChar() throws Exception {
        Fixture f = new Fixture(256);
        f.writer.append(0, Direction.INPUT, "secret".getBytes());
        f.writer.append(0, Direction.OUTPUT, new byte[] {'o', 'k', (byte) 0xE2, (byte) 0x82});
        f.writer.close();

        List<JsonNode> events = export(f.sink.bytes(), AsciicastExporter.Options.withDefaults());

        assertThat(events).extracting(e -> e.get(1).asText()).containsOnly("o");
        assertThat(events).extracting(e -> e.get(2).asText()).containsExactly("ok", "\uFFFD");
    }

    private static List<JsonNode> export(byte[] file, AsciicastExporter.Options options) throws Exception {
        StringWriter out = new StringWriter();
        try (RecordingReader r = RecordingReader.open(RecordingSource.of(file), KEKS)) {
            AsciicastExporter.export(r, out, options);
        }
        List<JsonNode> events = new ArrayList<>();
        String[] lines = out.toString().split("\n");
        assertThat(JSON.readTree(lines[0]).get("version").asInt()).isEqualTo(2);
        for (int i = 1; i < lines.length; i++) events.add(JSON.readTree(lines[i]));
        return events;
    }
}
