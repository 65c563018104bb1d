package org.sallyport.recorder.evidence;

import java.util.List;
import java.util.Map;

/**
 * What {@link EvidenceVerifier} established about a bundle that verified.
 *
 * @param keyPinned     true if the signer key was pinned by the caller, false if taken from the bundle itself
 * @param notes         facts an inspector should weigh that are not failures (e.g. a recording cut off by a crash)
 */
public record EvidenceSummary(String from, String to, Map<String, String> filter, String createdAt, String brokerKeyId,
                              boolean keyPinned, int files, long firstSeq, long lastSeq, long segmentEvents,
                              long selectedEvents, int checkpointsVerified, int sessions, String recordingMode,
                              int recordingsVerified, int recordingsDecrypted, List<String> notes) {
    /** Readable lines for the CLI. */
    public String describe() {
        StringBuilder b = new StringBuilder();
        b.append("evidence bundle verified\n");
        b.append("  period            ").append(from).append(" .. ").append(to)
                .append(filter.isEmpty() ? "" : "  filter " + filter).append('\n');
        b.append("  created           ").append(createdAt).append('\n');
        b.append("  signed by         key ").append(brokerKeyId)
                .append(keyPinned ? " (pinned with --key)" : " (taken from the bundle: pin it with --key for proof of origin)").append('\n');
        b.append("  files             ").append(files).append(", every SHA-256 matches the signed manifest\n");
        b.append("  chain segment     events ").append(firstSeq).append("..").append(lastSeq).append(" (")
                .append(segmentEvents).append("), continuous, ").append(checkpointsVerified).append(" signed checkpoints verified\n");
        b.append("  events            ").append(selectedEvents).append(" in events.jsonl and events.csv, each identical to the chain's\n");
        b.append("  sessions          ").append(sessions).append(", each matching its session.started/ended events\n");
        b.append("  recordings        ").append(recordingMode).append(": ").append(recordingsVerified).append(" verified");
        if (recordingsDecrypted > 0) b.append(", ").append(recordingsDecrypted).append(" decrypted with the inspector key");
        b.append('\n');
        for (String n : notes) b.append("  note: ").append(n).append('\n');
        return b.toString();
    }
}
