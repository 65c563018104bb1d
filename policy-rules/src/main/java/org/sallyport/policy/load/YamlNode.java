package org.sallyport.policy.load;

import java.util.List;
import java.util.Map;

/**
 * A YAML value with the line it starts on, so that every schema problem can name its line.
 * Jackson's tree model drops locations; {@link YamlReader} builds this tree from Jackson's YAML parser.
 */
public sealed interface YamlNode {
    int line();

    /** What a reader calls this kind of value in an error message. */
    String kind();

    record Scalar(String text, int line) implements YamlNode {
        public String kind() {
            return "a scalar";
        }
    }

    record Seq(List<YamlNode> items, int line) implements YamlNode {
        public String kind() {
            return "a list";
        }
    }

    /** Keys keep file order; duplicate keys are refused by the reader. */
    record MapNode(Map<String, YamlNode> entries, Map<String, Integer> keyLines, int line) implements YamlNode {
        public String kind() {
            return "a mapping";
        }
    }

    record Null(int line) implements YamlNode {
        public String kind() {
            return "empty";
        }
    }
}
