package org.sallyport.policy.detect;

/**
 * Tunables of the export detectors. Defaults live in {@link #withDefaults()}.
 *
 * @param maxOutputBytes output bytes a session may produce before {@code volume.output} fires
 * @param annexBMinStartCodes H.264/H.265 start codes that must be seen within the window
 * @param annexBWindowBytes window, in bytes, that those start codes must fit in
 */
public record DetectorConfig(long maxOutputBytes, int annexBMinStartCodes, int annexBWindowBytes) {

  public DetectorConfig {
    if (maxOutputBytes < 0) {
      throw new IllegalArgumentException("maxOutputBytes must be >= 0: " + maxOutputBytes);
    }
    if (annexBMinStartCodes < 2 || annexBMinStartCodes > 16) {
      throw new IllegalArgumentException(
          "annexBMinStartCodes must be in [2, 16]: " + annexBMinStartCodes);
    }
    if (annexBWindowBytes < 16) {
      throw new IllegalArgumentException("annexBWindowBytes must be >= 16: " + annexBWindowBytes);
    }
  }

  public static DetectorConfig withDefaults() {
    return new DetectorConfig(
        // 50 MiB: a long maintenance session (logs, firmware banners, top) stays far below it;
        // 184,000 face images (~30 KiB each, ~5 GiB) are far above it.
        50L * 1024 * 1024,
        // Cameras start each key frame with SPS, PPS (and VPS for H.265) then the IDR slice:
        // three start codes a few dozen bytes apart. One or two are common in ordinary binaries.
        3,
        // Parameter sets and the first slice of a key frame sit within a few hundred bytes.
        4096);
  }

  public DetectorConfig withMaxOutputBytes(long max) {
    return new DetectorConfig(max, annexBMinStartCodes, annexBWindowBytes);
  }
}
