package org.sallyport.policy.guard;

import java.time.Duration;
import java.util.Objects;

/**
 * A cap on the bytes a session sends towards the vendor (stdout and stderr together).
 *
 * @param id rule id
 * @param maxBytes total output bytes allowed per session; 0 means no total cap. Fires on the
 *     first byte beyond it (offset == maxBytes).
 * @param maxBytesPerSecond sustained rate allowed, averaged over {@code rateWindow}; 0 means no
 *     rate cap. Fires when more than {@code maxBytesPerSecond * rateWindow} bytes arrive within one
 *     window (fixed windows starting at the session's first output byte).
 * @param rateWindow averaging window for the rate cap (>= 1 s)
 * @param action what happens when either cap fires
 */
public record VolumeCap(
    String id, long maxBytes, long maxBytesPerSecond, Duration rateWindow, GuardAction action) {

  public VolumeCap {
    GuardRules.requireId(id, "volume cap id");
    if (maxBytes < 0 || maxBytesPerSecond < 0) {
      throw new IllegalArgumentException("volume cap " + id + ": limits must be >= 0");
    }
    Objects.requireNonNull(rateWindow, "volume cap " + id + ": rateWindow");
    if (rateWindow.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("volume cap " + id + ": rateWindow must be >= 1s");
    }
    if (action != GuardAction.BLOCK && action != GuardAction.TERMINATE) {
      throw new IllegalArgumentException(
          "volume cap " + id + ": action must be BLOCK or TERMINATE, not " + action);
    }
  }

  /** Bytes allowed within one rate window, or {@link Long#MAX_VALUE} without a rate cap. */
  long bytesPerWindow() {
    if (maxBytesPerSecond == 0) {
      return Long.MAX_VALUE;
    }
    long s = rateWindow.toSeconds();
    return maxBytesPerSecond > Long.MAX_VALUE / s ? Long.MAX_VALUE : maxBytesPerSecond * s;
  }
}
