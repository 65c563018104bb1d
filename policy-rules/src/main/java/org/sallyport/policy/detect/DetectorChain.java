package org.sallyport.policy.detect;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Feeds every chunk to each detector and reports the detection with the smallest offset (ties go
 * to the earlier detector in the list).
 *
 * <h2>Security guarantees</h2>
 *
 * <ul>
 *   <li>The verdict is a function of the stream's bytes only: any split into chunks, down to
 *       single bytes, yields the same detection (rule id and offset). An attacker cannot hide a
 *       signature by straddling chunk or packet boundaries.
 *   <li>Every byte is examined before {@code feed} returns, so a caller that calls {@code feed}
 *       before forwarding never forwards the chunk that completed a detection unexamined.
 *   <li>Fail closed and sticky: after the first detection the chain stops examining bytes and
 *       returns that detection for every later chunk until {@link #reset()}.
 *   <li>Bounded work and memory: linear time, a fixed few hundred bytes of state per detector,
 *       no allocation per byte; deterministic (no clock, no randomness, no I/O).
 * </ul>
 *
 * <h2>Restrictions</h2>
 *
 * <ul>
 *   <li>Detection is by signature: encrypted, compressed-then-custom-encoded, steganographic or
 *       otherwise custom-encoded data (XOR, base32, octal {@code od -b}, a home-made alphabet), or
 *       image data with its headers stripped, is not recognised. Volume caps and the byte-exact
 *       recording are the controls for those.
 *   <li>Tiny leaks below a signature (a few bytes) or below the volume cap pass; the chain makes
 *       bulk export loud, it does not make leaking one number impossible.
 *   <li>A detection is reported when the byte completing it is fed; bytes before it in the same
 *       chunk were examined but are the caller's to drop. Block or terminate on the whole chunk.
 *   <li>Not thread-safe: one chain per stream and direction, fed by one thread at a time.
 * </ul>
 */
public final class DetectorChain implements StreamDetector {
  private final List<StreamDetector> detectors;
  private Detection detection;

  public DetectorChain(List<? extends StreamDetector> detectors) {
    this.detectors = List.copyOf(Objects.requireNonNull(detectors, "detectors"));
  }

  @Override
  public Optional<Detection> feed(byte[] data, int off, int len) {
    Objects.checkFromIndexSize(off, len, data.length);
    if (detection != null) {
      return Optional.of(detection);
    }
    Detection first = null;
    for (StreamDetector d : detectors) {
      Optional<Detection> found = d.feed(data, off, len);
      if (found.isPresent() && (first == null || found.get().offset() < first.offset())) {
        first = found.get();
      }
    }
    detection = first;
    return Optional.ofNullable(first);
  }

  @Override
  public void reset() {
    detection = null;
    detectors.forEach(StreamDetector::reset);
  }

  @Override
  public String id() {
    return "chain";
  }

  public List<StreamDetector> detectors() {
    return detectors;
  }
}
