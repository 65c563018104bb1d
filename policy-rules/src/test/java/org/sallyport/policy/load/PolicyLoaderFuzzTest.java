package org.sallyport.policy.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Damaged policies: whatever is cut, duplicated or garbled in the shipped camera policy, loading either
 * succeeds or fails with {@link PolicyLoadException} whose problems name the file and a line inside it; never
 * another exception (an admin must always get a located message, and the store must never crash on a save).
 */
class PolicyLoaderFuzzTest {
    private static final List<String> LINES = read();

    private static List<String> read() {
        try {
            return Files.readAllLines(Path.of("examples/camera-maintenance/camera-maintenance.yaml"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    record Damage(int kind, int line, int other, String garbage) {}

    @Provide
    Arbitrary<List<Damage>> damages() {
        Arbitrary<Damage> one = net.jqwik.api.Combinators.combine(
                Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(0, LINES.size() - 1),
                Arbitraries.integers().between(0, LINES.size() - 1),
                Arbitraries.strings().withChars("abc:-[]{}'\"#|>&*!%@` \t0123456789().=<").ofMaxLength(12)).as(Damage::new);
        return one.list().ofMinSize(1).ofMaxSize(4);
    }

    @Property(tries = 300)
    void damagedPolicyLoadsOrNamesALineInsideTheFile(@ForAll("damages") List<Damage> damages) {
        List<String> lines = new ArrayList<>(LINES);
        for (Damage d : damages) {
            int i = Math.min(d.line(), lines.size() - 1);
            switch (d.kind()) {
                case 0 -> lines.remove(i);
                case 1 -> lines.add(i, lines.get(Math.min(d.other(), lines.size() - 1)));
                case 2 -> lines.set(i, lines.get(i).substring(0, lines.get(i).length() / 2) + d.garbage());
                default -> lines.set(i, d.garbage() + lines.get(i));
            }
            if (lines.isEmpty()) lines.add("");
        }
        String text = String.join("\n", lines) + "\n";
        try {
            PolicyLoader.load("fuzz", Map.of("p.yaml", text));
        } catch (PolicyLoadException e) {
            assertThat(e.problems()).isNotEmpty().allSatisfy(p -> {
                assertThat(p.file()).isIn("p.yaml", "fuzz");
                assertThat(p.line()).isBetween(0, lines.size() + 1);
                assertThat(p.message()).isNotBlank();
            });
        }
    }
}
