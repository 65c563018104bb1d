package org.sallyport.broker.store;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.sallyport.broker.domain.AccessRequest;
import org.sallyport.broker.domain.Approval;
import org.sallyport.broker.domain.Grant;
import org.sallyport.broker.domain.RequestState;
import org.sallyport.broker.error.UnavailableException;
import org.sallyport.recorder.audit.AuditEvent;
import org.sallyport.recorder.audit.AuditEventDraft;
import org.sallyport.recorder.audit.Checkpoint;

/**
 * A {@link Store} wrapper whose failures a test switches on and off, for the faults a real database will
 * not produce on cue. With no fault on it is a transparent pass-through (the contract suite runs through it).
 *
 * <p>Threading: faults may be switched from any thread; a transaction sees the faults on when it starts,
 * except {@link Fault#FAIL_AUDIT_APPEND}, checked at each append.
 */
public final class FaultInjectingStore implements Store {

    public enum Fault {
        /** {@link StoreTx#appendAudit} throws {@link UnavailableException}; the transaction rolls back. */
        FAIL_AUDIT_APPEND,
        /** The work runs, then the commit fails: everything is rolled back and {@link UnavailableException} thrown. */
        FAIL_COMMIT,
        /** {@link #ping()} answers false and {@link #inTransaction} throws {@link UnavailableException}. */
        DATABASE_DOWN
    }

    private final Store delegate;
    private final Set<Fault> faults = ConcurrentHashMap.newKeySet();

    public FaultInjectingStore(Store delegate) {
        this.delegate = delegate;
    }

    public FaultInjectingStore inject(Fault fault) {
        faults.add(fault);
        return this;
    }

    public FaultInjectingStore heal(Fault fault) {
        faults.remove(fault);
        return this;
    }

    public FaultInjectingStore healAll() {
        faults.clear();
        return this;
    }

    public Set<Fault> faults() {
        return faults.isEmpty() ? EnumSet.noneOf(Fault.class) : EnumSet.copyOf(faults);
    }

    public Store delegate() {
        return delegate;
    }

    @Override
    public <T> T inTransaction(TxWork<T> work) {
        if (faults.contains(Fault.DATABASE_DOWN)) throw new UnavailableException("store: database down (injected)");
        boolean failCommit = faults.contains(Fault.FAIL_COMMIT);
        try {
            return delegate.inTransaction(tx -> {
                T result = work.run(new FaultyTx(tx));
                // Throwing after the work makes the real store roll back, exactly what a failed commit leaves.
                if (failCommit) throw new InjectedCommitFailure();
                return result;
            });
        } catch (InjectedCommitFailure e) {
            throw new UnavailableException("store: commit failed (injected)");
        }
    }

    @Override
    public boolean ping() {
        return !faults.contains(Fault.DATABASE_DOWN) && delegate.ping();
    }

    @Override
    public String describe() {
        return delegate.describe() + " (fault-injecting)";
    }

    @Override
    public void close() {
        delegate.close();
    }

    private static final class InjectedCommitFailure extends RuntimeException {
        InjectedCommitFailure() {
            super(null, null, false, false);
        }
    }

    private final class FaultyTx implements StoreTx {
        private final StoreTx tx;

        FaultyTx(StoreTx tx) {
            this.tx = tx;
        }

        @Override
        public AuditEvent appendAudit(AuditEventDraft draft, Instant now) {
            if (faults.contains(Fault.FAIL_AUDIT_APPEND)) throw new UnavailableException("store: audit append failed (injected)");
            return tx.appendAudit(draft, now);
        }

        @Override
        public void insertRequest(AccessRequest request) {
            tx.insertRequest(request);
        }

        @Override
        public Optional<AccessRequest> findRequest(String id, boolean forUpdate) {
            return tx.findRequest(id, forUpdate);
        }

        @Override
        public void updateRequestState(String id, RequestState state, Instant updatedAt) {
            tx.updateRequestState(id, state, updatedAt);
        }

        @Override
        public List<AccessRequest> listRequests(RequestFilter filter) {
            return tx.listRequests(filter);
        }

        @Override
        public List<AccessRequest> requestsEndedBy(Instant now, List<RequestState> states) {
            return tx.requestsEndedBy(now, states);
        }

        @Override
        public void insertApproval(String requestId, Approval approval) {
            tx.insertApproval(requestId, approval);
        }

        @Override
        public void insertGrant(Grant grant) {
            tx.insertGrant(grant);
        }

        @Override
        public Optional<Grant> findGrant(String id) {
            return tx.findGrant(id);
        }

        @Override
        public List<Grant> grantsForRequest(String requestId) {
            return tx.grantsForRequest(requestId);
        }

        @Override
        public List<Grant> listGrants(GrantFilter filter) {
            return tx.listGrants(filter);
        }

        @Override
        public void revokeGrant(String grantId, Instant at, String by) {
            tx.revokeGrant(grantId, at, by);
        }

        @Override
        public void insertSession(org.sallyport.broker.domain.GatewaySession session) {
            tx.insertSession(session);
        }

        @Override
        public void endSession(String id, Instant endedAt, org.sallyport.broker.domain.SessionEndReason reason, long bytesIn,
                               long bytesOut, String recordingHead) {
            tx.endSession(id, endedAt, reason, bytesIn, bytesOut, recordingHead);
        }

        @Override
        public Optional<org.sallyport.broker.domain.GatewaySession> findSession(String id) {
            return tx.findSession(id);
        }

        @Override
        public List<org.sallyport.broker.domain.GatewaySession> listSessions(SessionFilter filter) {
            return tx.listSessions(filter);
        }

        @Override
        public List<AuditEvent> readAudit(long fromSeq, int limit) {
            return tx.readAudit(fromSeq, limit);
        }

        @Override
        public List<AuditEvent> searchAudit(AuditFilter filter) {
            return tx.searchAudit(filter);
        }

        @Override
        public Optional<AuditEvent> lastAudit() {
            return tx.lastAudit();
        }

        @Override
        public void insertCheckpoint(Checkpoint checkpoint) {
            tx.insertCheckpoint(checkpoint);
        }

        @Override
        public List<Checkpoint> checkpoints() {
            return tx.checkpoints();
        }

        @Override
        public Optional<Checkpoint> lastCheckpoint() {
            return tx.lastCheckpoint();
        }
    }
}
