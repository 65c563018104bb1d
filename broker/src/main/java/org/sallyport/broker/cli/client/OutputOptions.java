package org.sallyport.broker.cli.client;

import picocli.CommandLine.Option;

/** {@code --output text|json}: a table for people, or the broker's JSON objects unchanged for scripts. */
public final class OutputOptions {
    public enum Format { text, json }

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "Output format: text (a table or sentence) or json (the broker's objects as they are)."
                    + " Valid values: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
    Format format = Format.text;

    public boolean json() {
        return format == Format.json;
    }
}
