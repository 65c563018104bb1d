package org.sallyport.policy.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Every detector, cut into two chunks at every boundary of the region where each attack's
 * signature sits (after benign text), reports exactly what it reports on the whole stream.
 */
class EveryBoundaryTest {
  private static final DetectorConfig CFG = DetectorConfig.withDefaults().withMaxOutputBytes(40_000);

  @Provide
  Arbitrary<Samples.Sample> attack() {
    return Arbitraries.of(Samples.attacks());
  }

  @Property(tries = 60)
  void twoChunksAtEveryBoundaryGiveTheSameDetection(@ForAll("attack") Samples.Sample s) {
    byte[] prefix = Arrays.copyOfRange(Samples.benignCorpus(), 1000, 1300);
    byte[] stream = Samples.concat(prefix, Samples.ascii("\r\n"), s.bytes());
    List<Optional<Detection>> whole = Feeding.each(() -> ExportDetectors.forOutput(CFG), stream, List.of());
    int last = Math.min(stream.length, prefix.length + 700);
    for (int cut = 1; cut < last; cut++) {
      List<Integer> sizes = List.of(cut, stream.length);
      assertThat(Feeding.each(() -> ExportDetectors.forOutput(CFG), stream, sizes))
          .as("%s cut at %d", s.name(), cut).isEqualTo(whole);
    }
    assertThat(whole).anySatisfy(d -> assertThat(d).map(Detection::detectorId).contains(s.expectedRule()));
  }
}
