package org.sallyport.policy.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class SplitInvarianceTest {
  private static final DetectorConfig CFG = DetectorConfig.withDefaults().withMaxOutputBytes(40_000);

  @Provide
  Arbitrary<List<Integer>> chunkSizes() {
    return Arbitraries.oneOf(
            Arbitraries.integers().between(1, 3),
            Arbitraries.integers().between(1, 700),
            Arbitraries.integers().between(1, 20_000))
        .list()
        .ofMinSize(1)
        .ofMaxSize(40);
  }

  @Provide
  Arbitrary<Samples.Sample> attack() {
    return Arbitraries.of(Samples.attacks());
  }

  /** Every detector, and the chain, report the same detection for any chunking. */
  @Property(tries = 300)
  void detectionsDoNotDependOnChunking(
      @ForAll("attack") Samples.Sample s,
      @ForAll @IntRange(min = 0, max = 4000) int prefix,
      @ForAll @IntRange(min = 0, max = 4000) int suffix,
      @ForAll("chunkSizes") List<Integer> sizes) {
    byte[] benign = Samples.benignCorpus();
    byte[] stream = Samples.concat(
        java.util.Arrays.copyOfRange(benign, 0, prefix), Samples.ascii("\r\n"), s.bytes(),
        java.util.Arrays.copyOfRange(benign, 50_000, 50_000 + suffix));
    List<Optional<Detection>> whole =
        Feeding.each(() -> ExportDetectors.forOutput(CFG), stream, List.of());
    List<Optional<Detection>> split =
        Feeding.each(() -> ExportDetectors.forOutput(CFG), stream, sizes);
    assertThat(split).isEqualTo(whole);
    Optional<Detection> chain = Feeding.feed(ExportDetectors.outputChain(CFG), stream, sizes);
    assertThat(chain).isEqualTo(Feeding.whole(ExportDetectors.outputChain(CFG), stream));
    assertThat(chain).map(Detection::detectorId).contains(s.expectedRule());
  }

  /** Two attacks in one stream: still the earliest, still chunking-independent. */
  @Property(tries = 100)
  void twoAttacksEarliestWins(
      @ForAll("attack") Samples.Sample a,
      @ForAll("attack") Samples.Sample b,
      @ForAll("chunkSizes") List<Integer> sizes) {
    byte[] stream = Samples.concat(a.bytes(), Samples.ascii("\n$ ls\n"), b.bytes());
    Optional<Detection> whole = Feeding.whole(ExportDetectors.outputChain(CFG), stream);
    assertThat(Feeding.feed(ExportDetectors.outputChain(CFG), stream, sizes)).isEqualTo(whole);
    assertThat(whole).isPresent();
    assertThat(whole.get().offset()).isLessThan(a.bytes().length + 6L);
  }

  /** Slices of the benign corpus never trigger, however they are cut. */
  @Property(tries = 200)
  void benignCorpusSlicesNeverTrigger(
      @ForAll @IntRange(min = 0, max = 400_000) int from,
      @ForAll @IntRange(min = 1, max = 30_000) int len,
      @ForAll("chunkSizes") List<Integer> sizes) {
    byte[] benign = Samples.benignCorpus();
    int start = Math.min(from, benign.length - 1);
    byte[] slice = java.util.Arrays.copyOfRange(benign, start, Math.min(benign.length, start + len));
    assertThat(Feeding.feed(ExportDetectors.outputChain(CFG), slice, sizes)).isEmpty();
  }

  @Provide
  Arbitrary<String> terminalText() {
    Arbitrary<String> word = Arbitraries.oneOf(
        Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(12),
        Arbitraries.strings().withCharRange('0', '9').ofMinLength(1).ofMaxLength(8),
        Arbitraries.longs().map(l -> String.format("0x%x", l)),
        Arbitraries.randomValue(r -> new java.util.UUID(r.nextLong(), r.nextLong()).toString()),
        Arbitraries.randomValue(r -> Long.toHexString(r.nextLong()) + Long.toHexString(r.nextLong())),
        Arbitraries.strings().withChars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
            .ofMinLength(1).ofMaxLength(12),
        Arbitraries.of("ls", "-la", "drwxr-xr-x", "root", "|", "[", "]", ":", "=", "\n", "\r\n",
            "\t", "Nov", "kernel:", "ok", "--", "BM", "GIF", "PK", "ustar", "begin", "ftyp"));
    return word.list().ofMaxSize(600).map(ws -> String.join(" ", ws));
  }

  @Property(tries = 300)
  void randomTerminalTextNeverTriggers(
      @ForAll("terminalText") String text, @ForAll("chunkSizes") List<Integer> sizes) {
    byte[] bytes = Samples.ascii(text);
    assertThat(Feeding.feed(ExportDetectors.outputChain(CFG), bytes, sizes)).isEmpty();
  }

  @Property(tries = 300)
  void randomPrintableAsciiNeverTriggers(
      @ForAll @Size(max = 4000) List<@IntRange(min = 9, max = 126) Integer> chars,
      @ForAll("chunkSizes") List<Integer> sizes) {
    byte[] bytes = new byte[chars.size()];
    for (int i = 0; i < bytes.length; i++) {
      int c = chars.get(i);
      bytes[i] = (byte) (c < 32 && c != '\n' && c != '\r' && c != '\t' ? ' ' : c);
    }
    assertThat(Feeding.feed(ExportDetectors.outputChain(CFG), bytes, sizes)).isEmpty();
  }
}
