package org.sallyport.broker.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HelpTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"login", "logout", "token", "request", "requests", "approve", "deny", "cancel", "revoke",
            "grants", "ssh-config", "connect", "audit", "audit verify"})
    void everyCommandExplainsItself(String command) {
        String[] words = command.split(" ");
        String[] args = new String[words.length + 1];
        System.arraycopy(words, 0, args, 0, words.length);
        args[words.length] = "--help";

        Cli.Result r = new Cli(tmp).run(args);

        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).startsWith("Usage: sallyport " + command).contains("-h, --help");
        assertThat(r.err()).isEmpty();
    }
}
