package org.sallyport.broker.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.sallyport.broker.domain.AccessRequest;
import org.sallyport.broker.domain.Approval;
import org.sallyport.broker.domain.GatewaySession;
import org.sallyport.broker.domain.Grant;
import org.sallyport.broker.domain.SessionEndReason;
import org.sallyport.broker.domain.RequestState;
import org.sallyport.recorder.audit.AuditEvent;
import org.sallyport.recorder.audit.AuditEventDraft;
import org.sallyport.recorder.audit.Checkpoint;

/** Operations available inside one transaction. Instances are only valid inside {@link Store#inTransaction}. */
public interface StoreTx {

    // ---- requests ----

    /** Inserts a new request with its targets and sites (approvals in the record are ignored). */
    void insertRequest(AccessRequest request);

    /**
     * Loads a request with its approvals (ordered by time). With {@code forUpdate} the row stays locked
     * until the transaction ends, so two supervisors deciding at once are serialised.
     */
    Optional<AccessRequest> findRequest(String id, boolean forUpdate);

    /** Sets state and updatedAt. */
    void updateRequestState(String id, RequestState state, Instant updatedAt);

    /** Requests matching the filter, newest first. */
    List<AccessRequest> listRequests(RequestFilter filter);

    /** Requests in one of {@code states} whose window ({@code start + duration}) ended at or before {@code now}. */
    List<AccessRequest> requestsEndedBy(Instant now, List<RequestState> states);

    void insertApproval(String requestId, Approval approval);

    // ---- grants ----

    void insertGrant(Grant grant);

    Optional<Grant> findGrant(String id);

    List<Grant> grantsForRequest(String requestId);

    List<Grant> listGrants(GrantFilter filter);

    void revokeGrant(String grantId, Instant at, String by);

    // ---- gateway sessions ----

    void insertSession(GatewaySession session);

    /** Records the end of a live session; a session already ended keeps its first end. */
    void endSession(String id, Instant endedAt, SessionEndReason reason, long bytesIn, long bytesOut, String recordingHead);

    Optional<GatewaySession> findSession(String id);

    List<GatewaySession> listSessions(SessionFilter filter);

    // ---- audit chain ----

    /**
     * Appends one event to the hash chain: locks the chain head, links to the last event, computes the
     * hash, inserts. Concurrent appenders are serialised, so the chain never forks.
     */
    AuditEvent appendAudit(AuditEventDraft draft, Instant now);

    /** Events with seq >= fromSeq in ascending order, at most {@code limit}. */
    List<AuditEvent> readAudit(long fromSeq, int limit);

    /** Events matching the filter, ascending by seq, at most filter.limit(). */
    List<AuditEvent> searchAudit(AuditFilter filter);

    Optional<AuditEvent> lastAudit();

    void insertCheckpoint(Checkpoint checkpoint);

    List<Checkpoint> checkpoints();

    Optional<Checkpoint> lastCheckpoint();
}
