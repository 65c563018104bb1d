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

  /**
   * A fresh detector by its {@link StreamDetector#id()}: {@code binary}, {@code video.annexb},
   * {@code video.mjpeg}, {@code base64}, {@code hexdump}, {@code uuencode} or {@code
   * volume.output}.
   *
   * @throws IllegalArgumentException naming an unknown detector
   */
  public static StreamDetector create(String id, DetectorConfig cfg) {
    Objects.requireNonNull(cfg, "cfg");
    return switch (id) {
      case "binary" -> new BinarySignatureDetector();
      case "video.annexb" ->
          new AnnexBVideoDetector(cfg.annexBMinStartCodes(), cfg.annexBWindowBytes());
      case "video.mjpeg" -> new MjpegMultipartDetector();
      case "base64" -> new Base64SignatureDetector();
      case "hexdump" -> new HexDumpDetector();
      case "uuencode" -> new UuencodeDetector();
      case "volume.output" -> new VolumeCapDetector(cfg.maxOutputBytes());
      default -> throw new IllegalArgumentException("unknown detector '" + id + "'");
    };
  }

  /** A chain over {@link #forOutput(DetectorConfig)}. */
  public static DetectorChain outputChain(DetectorConfig cfg) {
    return new DetectorChain(forOutput(cfg));
  }
}
