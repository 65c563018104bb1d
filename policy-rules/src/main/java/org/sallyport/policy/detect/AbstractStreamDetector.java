package org.sallyport.policy.detect;

import java.util.Objects;
import java.util.Optional;

/**
 * Byte-at-a-time detector skeleton: subclasses keep all cross-chunk state in fields and examine
 * bytes strictly in order, which makes the result independent of chunking by construction.
 */
abstract class AbstractStreamDetector implements StreamDetector {
  private final String id;
  private long position;
  private Detection detection;
  private String hitRule;
  private String hitReason;

  AbstractStreamDetector(String id) {
    this.id = id;
  }

  @Override
  public final Optional<Detection> feed(byte[] data, int off, int len) {
    Objects.checkFromIndexSize(off, len, data.length);
    if (detection != null) {
      return Optional.of(detection);
    }
    if (len == 0) {
      return Optional.empty();
    }
    int hit = scan(data, off, off + len, position);
    if (hit >= 0) {
      detection = new Detection(hitRule, hitReason, position + (hit - off));
    }
    position += len;
    return Optional.ofNullable(detection);
  }

  @Override
  public final void reset() {
    position = 0;
    detection = null;
    resetState();
  }

  @Override
  public final String id() {
    return id;
  }

  /**
   * Examines {@code data[from, to)} whose first byte has stream offset {@code streamOffset}.
   *
   * @return index (into {@code data}) of the byte that completed a match, via {@link #hit}, or -1
   */
  protected abstract int scan(byte[] data, int from, int to, long streamOffset);

  protected abstract void resetState();

  protected final int hit(int index, String rule, String reason) {
    hitRule = rule;
    hitReason = reason;
    return index;
  }
}
