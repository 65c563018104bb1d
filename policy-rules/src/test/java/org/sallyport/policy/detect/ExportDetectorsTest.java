package org.sallyport.policy.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ExportDetectorsTest {
  private static final DetectorConfig CFG = DetectorConfig.withDefaults();

  static Stream<Samples.Sample> attacks() {
    return Samples.attacks().stream();
  }

  static byte[] benignPrefix(int n) {
    byte[] b = Samples.benignCorpus();
    // A dump or encoded file starts on its own line (after the prompt and command line).
    byte[] out = java.util.Arrays.copyOf(b, n);
    out[n - 1] = '\n';
    return out;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("attacks")
  void chainReportsTheExpectedRule(Samples.Sample s) {
    byte[] stream = Samples.concat(benignPrefix(5000), s.bytes(), benignPrefix(3000));
    Optional<Detection> d = Feeding.whole(ExportDetectors.outputChain(CFG), stream);
    assertThat(d).as(s.name()).isPresent();
    assertThat(d.get().detectorId()).as(s.name()).isEqualTo(s.expectedRule());
    assertThat(d.get().offset()).isBetween(5000L, 5000L + s.bytes().length);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("attacks")
  void byteByByteEqualsWhole(Samples.Sample s) {
    byte[] stream = Samples.concat(benignPrefix(777), s.bytes());
    for (int i = 0; i < 7; i++) {
      StreamDetector whole = ExportDetectors.forOutput(CFG).get(i);
      StreamDetector single = ExportDetectors.forOutput(CFG).get(i);
      assertThat(Feeding.feed(single, stream, List.of(1)))
          .as(s.name() + " " + whole.id())
          .isEqualTo(Feeding.whole(whole, stream));
    }
  }

  @Test
  void rawSignatureOffsetIsTheCompletingByte() {
    byte[] jpeg = Samples.image("jpg");
    byte[] stream = Samples.concat(benignPrefix(1234), jpeg);
    assertThat(Feeding.whole(new BinarySignatureDetector(), stream))
        .contains(new Detection("image.jpeg", MagicMatcher.reason(MagicMatcher.JPEG), 1234 + 3));
    byte[] png = Samples.image("png");
    assertThat(Feeding.whole(new BinarySignatureDetector(), Samples.concat(benignPrefix(10), png)))
        .map(Detection::offset)
        .contains(10L + 7);
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "compiler-noise.txt", "dmesg.txt", "git-log.txt", "ifconfig.txt", "ipcam.conf", "ls-la.txt",
    "md5sum.txt", "ps-aux.txt", "syslog.txt", "tokens.txt"
  })
  void benignCorpusDoesNotTrigger(String file) {
    byte[] text = Samples.resource("corpus/benign/" + file);
    assertThat(Feeding.whole(ExportDetectors.outputChain(CFG), text)).isEmpty();
    assertThat(Feeding.whole(ExportDetectors.outputChain(CFG), Samples.toTerminal(text))).isEmpty();
  }

  @Test
  void staticAttackCorpusIsDetected() {
    String manifest = new String(Samples.resource("corpus/attack/expected.txt"),
        java.nio.charset.StandardCharsets.US_ASCII);
    int checked = 0;
    for (String line : manifest.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] kv = line.trim().split("\\s+");
      byte[] data = Samples.resource("corpus/attack/" + kv[0]);
      assertThat(Feeding.whole(ExportDetectors.outputChain(CFG), data))
          .as(kv[0])
          .map(Detection::detectorId)
          .contains(kv[1]);
      checked++;
    }
    assertThat(checked).isGreaterThan(5);
  }

  @Test
  void volumeCapFiresOnTheFirstByteBeyondIt() {
    StreamDetector chain = ExportDetectors.outputChain(CFG.withMaxOutputBytes(10_000));
    byte[] text = benignPrefix(30_000);
    assertThat(Feeding.feed(chain, text, List.of(4096)))
        .contains(new Detection("volume.output", "output volume exceeds 10000 bytes", 10_000));
    StreamDetector exact = ExportDetectors.outputChain(CFG.withMaxOutputBytes(10_000));
    assertThat(Feeding.whole(exact, benignPrefix(10_000))).isEmpty();
  }

  @Test
  void earliestDetectionWinsAcrossDetectorsInOneChunk() {
    byte[] stream = Samples.concat(
        benignPrefix(100), Samples.base64Tool(Samples.image("png")), Samples.image("jpg"));
    Detection d = Feeding.whole(ExportDetectors.outputChain(CFG), stream).orElseThrow();
    assertThat(d.detectorId()).isEqualTo("base64.image.png");
  }

  @Test
  void stickyUntilReset() {
    DetectorChain chain = ExportDetectors.outputChain(CFG);
    byte[] jpeg = Samples.image("jpg");
    Detection d = chain.feed(jpeg, 0, jpeg.length).orElseThrow();
    byte[] text = benignPrefix(100);
    assertThat(chain.feed(text, 0, text.length)).contains(d);
    chain.reset();
    assertThat(chain.feed(text, 0, text.length)).isEmpty();
  }

  @Test
  void spacedBase64TokensAndShortTokensDoNotTrigger() {
    byte[] text = Samples.ascii("token /9j/ is short\nnonce=/9j/4AAQ\nH4sI in a sentence\n"
        + "R0lGODlh\niVBORw0KGgo=\n");
    assertThat(Feeding.whole(ExportDetectors.outputChain(CFG), text)).isEmpty();
  }

  @Test
  void rejectsBadArguments() {
    StreamDetector d = ExportDetectors.outputChain(CFG);
    assertThatThrownBy(() -> d.feed(new byte[4], 2, 3))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> new DetectorConfig(-1, 3, 4096))
        .hasMessageContaining("maxOutputBytes");
    assertThatThrownBy(() -> new Detection("x", "y", -1)).hasMessageContaining("offset");
  }

  @Test
  void base64AutomatonStaysSmall() {
    assertThat(Base64SignatureDetector.words()).isLessThanOrEqualTo(8);
  }
}
