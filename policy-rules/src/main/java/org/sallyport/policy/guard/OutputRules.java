package org.sallyport.policy.guard;

import java.util.List;
import java.util.Objects;
import org.sallyport.policy.detect.DetectorConfig;

/**
 * The byte-stream side of the guard.
 *
 * @param detectors export detectors to run (tie-break order: earlier first)
 * @param tuning detector thresholds (Annex-B start codes and window); its {@code maxOutputBytes}
 *     is ignored here, volume is governed by {@code volumeCaps}
 * @param volumeCaps caps on output bytes and rate per session
 */
public record OutputRules(List<DetectorRule> detectors, DetectorConfig tuning, List<VolumeCap> volumeCaps) {
  public OutputRules {
    detectors = List.copyOf(Objects.requireNonNull(detectors, "detectors"));
    Objects.requireNonNull(tuning, "tuning");
    volumeCaps = List.copyOf(Objects.requireNonNull(volumeCaps, "volumeCaps"));
  }
}
