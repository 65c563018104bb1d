package org.sallyport.policy.eval;

import java.util.List;
import java.util.Map;
import org.sallyport.policy.detect.DetectorChain;
import org.sallyport.policy.detect.DetectorConfig;
import org.sallyport.policy.detect.ExportDetectors;
import org.sallyport.policy.detect.StreamDetector;
import org.sallyport.policy.model.OutputSettings;

/**
 * Builds a session's output detector chain from the policy's {@link OutputSettings}: the detectors it
 * names, in the standard tie-break order, with its volume cap.
 */
public final class OutputDetectors {
    /** Policy detector name to {@link StreamDetector#id()}. */
    static final Map<String, String> DETECTOR_IDS = Map.of(
            "signatures", "binary",
            "annexb", "video.annexb",
            "mjpeg", "video.mjpeg",
            "base64", "base64",
            "hexdump", "hexdump",
            "uuencode", "uuencode",
            "volume", "volume.output");

    private OutputDetectors() {}

    /** A fresh chain for one session's output (detectors keep per-stream state: one chain per stream). */
    public static DetectorChain chain(OutputSettings s) {
        DetectorConfig cfg = DetectorConfig.withDefaults();
        if (s.maxOutputBytes() > 0) cfg = cfg.withMaxOutputBytes(s.maxOutputBytes());
        List<StreamDetector> on = ExportDetectors.forOutput(cfg).stream()
                .filter(d -> s.detectors().stream().map(DETECTOR_IDS::get).anyMatch(d.id()::equals))
                .toList();
        return new DetectorChain(on);
    }
}
