package org.sallyport.policy.detect;

import java.util.List;
import java.util.Objects;

/** The default detector sets. */
public final class ExportDetectors {
  private ExportDetectors() {}

  /**
   * Fresh detectors for one output stream, in tie-break order: raw signatures first, then
   * encodings, then the volume cap.
   */
  public static List<StreamDetector> forOutput(DetectorConfig cfg) {
    Objects.requireNonNull(cfg, "cfg");
    return List.of(
        new BinarySignatureDetector(),
        new AnnexBVideoDetector(cfg.annexBMinStartCodes(), cfg.annexBWindowBytes()),
        new MjpegMultipartDetector(),
        new Base64SignatureDetector(),
        new HexDumpDetector(),
        new UuencodeDetector(),
        new VolumeCapDetector(cfg.maxOutputBytes()));
  }

  /** A chain over {@link #forOutput(DetectorConfig)}. */
  public static DetectorChain outputChain(DetectorConfig cfg) {
    return new DetectorChain(forOutput(cfg));
  }
}
