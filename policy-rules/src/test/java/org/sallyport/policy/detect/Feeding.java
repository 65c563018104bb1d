package org.sallyport.policy.detect;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** Feeds streams in chunks and collects what each detector reports. */
final class Feeding {
  private Feeding() {}

  /** Feeds {@code data} cut at {@code sizes} (cycled); returns the first distinct detection. */
  static Optional<Detection> feed(StreamDetector d, byte[] data, List<Integer> sizes) {
    Optional<Detection> first = Optional.empty();
    int off = 0;
    int k = 0;
    while (off < data.length) {
      int n = sizes.isEmpty() ? data.length : Math.max(1, sizes.get(k++ % sizes.size()));
      n = Math.min(n, data.length - off);
      Optional<Detection> r = d.feed(data, off, n);
      if (first.isEmpty()) {
        first = r;
      } else if (r.isPresent() && !r.equals(first)) {
        throw new AssertionError("sticky detection changed: " + first + " -> " + r);
      }
      off += n;
    }
    return first;
  }

  static Optional<Detection> whole(StreamDetector d, byte[] data) {
    return feed(d, data, List.of());
  }

  /** Per-detector results of a fresh default output set. */
  static List<Optional<Detection>> each(
      Supplier<List<StreamDetector>> set, byte[] data, List<Integer> sizes) {
    List<Optional<Detection>> out = new ArrayList<>();
    for (StreamDetector d : set.get()) {
      out.add(feed(d, data, sizes));
    }
    return out;
  }
}
