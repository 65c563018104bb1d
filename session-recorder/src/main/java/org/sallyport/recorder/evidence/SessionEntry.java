package org.sallyport.recorder.evidence;

import java.time.Instant;
import java.util.Objects;

/**
 * One line of the bundle's session index ({@code sessions.jsonl}). The fields an audit event also carries are
 * checked against the chain by {@link EvidenceVerifier}: {@code startedSeq} must be the {@code session.started}
 * event of this session (user, target, recording id) and {@code endedSeq}, when set, its {@code session.ended}
 * event (end reason, recording id and the recording's final chain hash).
 *
 * @param endedAt       null while the session was live at export time
 * @param endReason     wire name ("completed", "terminated-by-supervisor", ...), null while live
 * @param recordingId   null if the session has no recording
 * @param recordingHead the recording's final chain hash from {@code session.ended}, or null
 * @param startedSeq    seq of the {@code session.started} event, 0 if it precedes the chain segment
 * @param endedSeq      seq of the {@code session.ended} event, 0 if none in the segment
 */
public record SessionEntry(String sessionId, String user, String org, String targetId, String site, String kind,
                           String requestId, String grantId, Instant startedAt, Instant endedAt, String endReason,
                           long bytesIn, long bytesOut, String recordingId, String recordingHead, long startedSeq,
                           long endedSeq) {
    public SessionEntry {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(startedAt, "startedAt");
    }
}
