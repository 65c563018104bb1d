package org.sallyport.policy.detect;

import java.util.Objects;

/**
 * Evidence that a stream carries an export.
 *
 * @param detectorId the rule that fired, e.g. {@code image.jpeg} or {@code base64.image.png}
 *     (see DETECTORS.md); a detector may fire several rules
 * @param reason human-readable explanation, for the audit event
 * @param offset stream offset (bytes since the start of the stream in that direction) of the byte
 *     that completed the match
 */
public record Detection(String detectorId, String reason, long offset) {
  public Detection {
    Objects.requireNonNull(detectorId, "detectorId");
    Objects.requireNonNull(reason, "reason");
    if (offset < 0) {
      throw new IllegalArgumentException("offset must be >= 0: " + offset);
    }
  }
}
