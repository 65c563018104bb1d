package org.sallyport.policy.load;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads one YAML document into a {@link YamlNode} tree that remembers line numbers. */
public final class YamlReader {
    private static final YAMLFactory FACTORY = YAMLFactory.builder().build();

    private YamlReader() {}

    /** @throws PolicyLoadException naming the file and line of a syntax error or duplicate key */
    public static YamlNode read(String file, String text) {
        try (JsonParser p = FACTORY.createParser(text)) {
            JsonToken t = p.nextToken();
            if (t == null) return new YamlNode.Null(1);
            YamlNode root = node(file, p, t);
            if (p.nextToken() != null) {
                throw PolicyLoadException.at(file, line(p.currentTokenLocation()), "only one YAML document per file");
            }
            return root;
        } catch (JsonProcessingException e) {
            String msg = e.getOriginalMessage() == null ? "not valid YAML" : e.getOriginalMessage().lines().findFirst().orElse("");
            throw PolicyLoadException.at(file, e.getLocation() == null ? 0 : line(e.getLocation()), "not valid YAML: " + msg);
        } catch (IOException e) {
            throw PolicyLoadException.at(file, 0, "cannot read: " + e.getMessage());
        }
    }

    private static YamlNode node(String file, JsonParser p, JsonToken t) throws IOException {
        int line = line(p.currentTokenLocation());
        switch (t) {
            case START_OBJECT -> {
                Map<String, YamlNode> entries = new LinkedHashMap<>();
                Map<String, Integer> keyLines = new LinkedHashMap<>();
                while ((t = p.nextToken()) != JsonToken.END_OBJECT) {
                    String key = p.currentName();
                    int keyLine = line(p.currentTokenLocation());
                    if (entries.containsKey(key)) {
                        throw PolicyLoadException.at(file, keyLine, "duplicate key '" + key + "' (first on line " + keyLines.get(key) + ")");
                    }
                    YamlNode v = node(file, p, p.nextToken());
                    entries.put(key, v);
                    keyLines.put(key, keyLine);
                }
                return new YamlNode.MapNode(entries, keyLines, line);
            }
            case START_ARRAY -> {
                List<YamlNode> items = new ArrayList<>();
                while ((t = p.nextToken()) != JsonToken.END_ARRAY) items.add(node(file, p, t));
                return new YamlNode.Seq(items, line);
            }
            case VALUE_NULL -> {
                return new YamlNode.Null(line);
            }
            default -> {
                return new YamlNode.Scalar(p.getText(), line);
            }
        }
    }

    private static int line(JsonLocation loc) {
        return loc == null ? 0 : loc.getLineNr();
    }
}
