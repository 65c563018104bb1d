package org.sallyport.broker.httpproxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.sallyport.recorder.recording.Direction;
import org.sallyport.recorder.recording.Frame;
import org.sallyport.recorder.recording.RecordingReader;

/**
 * Reads an HTTP session's recording (FORMAT.md, "HTTP sessions") back into its exchanges: the list an inspector
 * scans (method, path, status, sizes, verdict and rule) and, on demand, one exchange's request or response exactly
 * as recorded.
 */
public final class HttpRecordingIndex {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One exchange as recorded; {@code request} and {@code response} are the recorded messages (head and body). */
    public record Exchange(int n, String method, String path, String query, int deviceStatus, int status, long requestBytes,
                           long responseBytes, String verdict, String rule, String reason, byte[] request, byte[] response) {

        /** The body of the recorded request or response (after the blank line that ends the head). */
        public byte[] body(boolean ofResponse) {
            byte[] m = ofResponse ? response : request;
            for (int i = 0; i + 3 < m.length; i++) {
                if (m[i] == '\r' && m[i + 1] == '\n' && m[i + 2] == '\r' && m[i + 3] == '\n') {
                    return java.util.Arrays.copyOfRange(m, i + 4, m.length);
                }
            }
            return new byte[0];
        }
    }

    private HttpRecordingIndex() {}

    /** True if the recording's header says it is an HTTP session. */
    public static boolean isHttp(Map<String, String> attributes) {
        return "http".equals(attributes.get("protocol"));
    }

    /** Every exchange, in order; one still open at the end of the recording shows verdict "incomplete". */
    public static List<Exchange> read(RecordingReader reader) throws IOException {
        Map<Integer, ByteArrayOutputStream> req = new TreeMap<>();
        Map<Integer, ByteArrayOutputStream> res = new TreeMap<>();
        Map<Integer, JsonNode> summary = new TreeMap<>();
        Frame f;
        while ((f = reader.next()) != null) {
            int ch = f.channel();
            switch (f.direction()) {
                case INPUT -> req.computeIfAbsent(ch, k -> new ByteArrayOutputStream()).writeBytes(f.bytes());
                case OUTPUT -> res.computeIfAbsent(ch, k -> new ByteArrayOutputStream()).writeBytes(f.bytes());
                case EVENT -> {
                    JsonNode e = JSON.readTree(f.bytes());
                    String type = e.path("type").asText();
                    if (type.equals("http-exchange") || type.equals("websocket-blocked")
                            || (type.equals("websocket-open") && !summary.containsKey(ch))) summary.put(ch, e);
                }
            }
        }
        java.util.Set<Integer> channels = new java.util.TreeSet<>(req.keySet());
        channels.addAll(summary.keySet());
        List<Exchange> out = new ArrayList<>();
        for (int ch : channels) {
            JsonNode e = summary.get(ch);
            byte[] rq = req.containsKey(ch) ? req.get(ch).toByteArray() : new byte[0];
            byte[] rs = res.containsKey(ch) ? res.get(ch).toByteArray() : new byte[0];
            String[] line = firstLine(rq);
            if (e == null) {
                out.add(new Exchange(ch, line[0], line[1], "", 0, 0, rq.length, rs.length, "incomplete", "", "", rq, rs));
            } else if (e.path("type").asText().startsWith("websocket")) {
                boolean blocked = e.path("type").asText().equals("websocket-blocked");
                out.add(new Exchange(ch, "WEBSOCKET", line[1], "", 101, 101, rq.length, rs.length, blocked ? "block" : "pass",
                        e.path("rule").asText(""), e.path("reason").asText(""), rq, rs));
            } else {
                out.add(new Exchange(ch, e.path("method").asText(), e.path("path").asText(), e.path("query").asText(),
                        e.path("deviceStatus").asInt(), e.path("status").asInt(), e.path("requestBytes").asLong(), rs.length,
                        e.path("verdict").asText(), e.path("rule").asText(), e.path("reason").asText(""), rq, rs));
            }
        }
        return out;
    }

    private static String[] firstLine(byte[] request) {
        int end = 0;
        while (end < request.length && request[end] != '\r') end++;
        String[] p = new String(request, 0, end, java.nio.charset.StandardCharsets.ISO_8859_1).split(" ");
        return new String[] {p.length > 0 ? p[0] : "", p.length > 1 ? p[1] : ""};
    }
}
