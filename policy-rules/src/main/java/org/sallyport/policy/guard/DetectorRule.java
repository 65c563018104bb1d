package org.sallyport.policy.guard;

import java.util.Objects;
import java.util.Set;
import org.sallyport.policy.detect.Direction;

/**
 * Turns one export detector on, for the directions given, with the action taken when it fires.
 *
 * @param id rule id, reported in verdicts (the detector's own sub-rule, e.g. {@code
 *     base64.image.jpeg}, is reported as the verdict's {@code match})
 * @param detector detector name: one of {@link #DETECTORS} (see policy-rules/DETECTORS.md)
 * @param action {@link GuardAction#BLOCK} (the chunk is not forwarded; the detector stays fired,
 *     so every later chunk of that direction is blocked too) or {@link GuardAction#TERMINATE}
 * @param directions the stream directions the detector watches (non-empty)
 */
public record DetectorRule(String id, String detector, GuardAction action, Set<Direction> directions) {

  /** Detector names known to the guard. */
  public static final Set<String> DETECTORS =
      Set.of("binary", "video.annexb", "video.mjpeg", "base64", "hexdump", "uuencode");

  public DetectorRule {
    GuardRules.requireId(id, "detector rule id");
    Objects.requireNonNull(detector, "detector rule " + id + ": detector");
    if (!DETECTORS.contains(detector)) {
      throw new IllegalArgumentException(
          "detector rule " + id + ": unknown detector '" + detector + "' (known: "
              + new java.util.TreeSet<>(DETECTORS) + ")");
    }
    if (action != GuardAction.BLOCK && action != GuardAction.TERMINATE) {
      throw new IllegalArgumentException(
          "detector rule " + id + ": action must be BLOCK or TERMINATE, not " + action);
    }
    directions = Set.copyOf(Objects.requireNonNull(directions, "detector rule " + id + ": directions"));
    if (directions.isEmpty()) {
      throw new IllegalArgumentException("detector rule " + id + ": directions must not be empty");
    }
  }
}
