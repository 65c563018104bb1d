package org.sallyport.policy.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.sallyport.policy.detect.StreamDetector;
import org.sallyport.policy.model.OutputSettings;
import org.sallyport.policy.model.StreamAction;

class OutputDetectorsTest {
    private static final byte[] JPEG = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 16, 'J', 'F', 'I', 'F', 0};

    @Test
    void everyPolicyDetectorNameMapsToARealDetector() {
        var all = OutputDetectors.chain(new OutputSettings("r", OutputSettings.DETECTORS, StreamAction.TERMINATE, 0, 0, null, "r"));
        assertThat(all.detectors().stream().map(StreamDetector::id))
                .containsExactlyInAnyOrderElementsOf(OutputDetectors.DETECTOR_IDS.values());
        assertThat(OutputDetectors.DETECTOR_IDS.keySet()).isEqualTo(OutputSettings.DETECTORS);
    }

    @Test
    void onlyTheNamedDetectorsRunAndTheCapApplies() {
        var base64Only = OutputDetectors.chain(new OutputSettings("r", Set.of("base64", "volume"), StreamAction.BLOCK, 100, 0, null, "r"));
        assertThat(base64Only.feed(JPEG, 0, JPEG.length)).isEmpty();
        byte[] text = "x".repeat(101).getBytes(StandardCharsets.US_ASCII);
        var hit = base64Only.feed(text, 0, text.length);
        assertThat(hit).isPresent();

        var signatures = OutputDetectors.chain(new OutputSettings("r", Set.of("signatures"), StreamAction.TERMINATE, 0, 0, null, "r"));
        assertThat(signatures.feed(JPEG, 0, JPEG.length)).isPresent();
    }
}
