package org.sallyport.broker.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sallyport.broker.domain.AccessRequest;
import org.sallyport.broker.domain.Approval;
import org.sallyport.broker.domain.Approval.Verdict;
import org.sallyport.broker.domain.Grant;
import org.sallyport.broker.domain.RequestState;
import org.sallyport.broker.error.ConflictException;
import org.sallyport.broker.error.NotFoundException;
import org.sallyport.broker.error.UnavailableException;
import org.sallyport.recorder.audit.AuditChain;
import org.sallyport.recorder.audit.AuditEvent;
import org.sallyport.recorder.audit.AuditEventDraft;
import org.sallyport.recorder.audit.AuditVerifier;
import org.sallyport.recorder.audit.Checkpoint;
import org.sallyport.recorder.audit.VerificationReport;
import org.sallyport.recorder.crypto.SigningKey;

/**
 * The behaviour every {@link Store} must have. Each implementation (H2, PostgreSQL, and either behind
 * {@link FaultInjectingStore} with no fault on) runs all of it against a database of its own.
 */
abstract class StoreContract {
    static final Instant T0 = Instant.parse("2031-05-06T07:08:09.123456Z");

    protected Store store;

    /** Opens the store under test on this test's own database; called again (after close) to test restarts. */
    protected abstract Store openStore();

    @BeforeEach
    void openTheStore() {
        store = openStore();
    }

    @AfterEach
    void closeTheStore() {
        if (store != null) store.close();
    }

    // ---- requests ----

    @Test
    void requestRoundTripsWithEveryField() {
        AccessRequest r = new AccessRequest("req-1", "tech", "acme", List.of("cam-b", "cam-a", "cam-c"),
                Set.of("north", "south"), T0.plus(1, ChronoUnit.HOURS), Duration.ofMinutes(90), "replace lens",
                "INC-42", RequestState.PENDING, 2, "rule-vendor-window", List.of(), T0, T0.plusNanos(1_000));
        store.inTransaction(tx -> {
            tx.insertRequest(r);
            return null;
        });

        AccessRequest back = find("req-1").orElseThrow();

        assertThat(back).isEqualTo(r);
        assertThat(back.targets()).containsExactly("cam-b", "cam-a", "cam-c");
        assertThat(back.end()).isEqualTo(T0.plus(150, ChronoUnit.MINUTES));
    }

    @Test
    void instantsAreKeptToTheMicrosecond() {
        Instant withNanos = T0.plusNanos(789);
        store.inTransaction(tx -> {
            tx.insertRequest(request("req-1", "acme", Set.of("north"), withNanos));
            return null;
        });

        AccessRequest back = store.inTransaction(tx -> tx.findRequest("req-1", true)).orElseThrow();

        assertThat(back.createdAt()).isEqualTo(T0);
    }

    @Test
    void optionalFieldsMayBeNull() {
        AccessRequest r = new AccessRequest("req-1", "tech", null, List.of("cam-1"), Set.of("north"), T0,
                Duration.ofHours(1), null, null, RequestState.PENDING, 1, null, List.of(), T0, T0);
        store.inTransaction(tx -> {
            tx.insertRequest(r);
            return null;
        });

        assertThat(find("req-1")).contains(r);
    }

    @Test
    void unknownRequestIsEmpty() {
        assertThat(find("nope")).isEmpty();
    }

    @Test
    void requestIdIsUnique() {
        insert(request("req-1", "acme", Set.of("north"), T0));

        assertThatThrownBy(() -> insert(request("req-1", "acme", Set.of("north"), T0)))
                .isInstanceOf(ConflictException.class)
                .hasMessageContaining("req-1");
    }

    @Test
    void stateUpdateSetsStateAndTime() {
        insert(request("req-1", "acme", Set.of("north"), T0));

        store.inTransaction(tx -> {
            tx.updateRequestState("req-1", RequestState.APPROVED, T0.plusSeconds(60));
            return null;
        });

        AccessRequest back = find("req-1").orElseThrow();
        assertThat(back.state()).isEqualTo(RequestState.APPROVED);
        assertThat(back.updatedAt()).isEqualTo(T0.plusSeconds(60));
        assertThatThrownBy(() -> store.inTransaction(tx -> {
            tx.updateRequestState("nope", RequestState.APPROVED, T0);
            return null;
        })).isInstanceOf(NotFoundException.class);
    }

    @Test
    void approvalsComeBackInDecisionOrder() {
        insert(request("req-1", "acme", Set.of("north"), T0));
        Approval second = new Approval("bob", Verdict.APPROVE, "fine", T0.plusSeconds(20));
        Approval first = new Approval("alice", Verdict.APPROVE, "looks right", T0.plusSeconds(10));
        Approval third = new Approval("carol", Verdict.DENY, "not today", T0.plusSeconds(30));
        store.inTransaction(tx -> {
            tx.insertApproval("req-1", second);
            tx.insertApproval("req-1", third);
            tx.insertApproval("req-1", first);
            return null;
        });

        AccessRequest back = find("req-1").orElseThrow();

        assertThat(back.approvals()).containsExactly(first, second, third);
    }

    @Test
    void aPersonDecidesARequestOnce() {
        insert(request("req-1", "acme", Set.of("north"), T0));
        approve("req-1", "alice", T0.plusSeconds(1));

        assertThatThrownBy(() -> approve("req-1", "alice", T0.plusSeconds(2)))
                .isInstanceOf(ConflictException.class)
                .hasMessageContaining("alice")
                .hasMessageContaining("already decided")
                .hasMessageContaining("req-1");
        assertThat(find("req-1").orElseThrow().approvals()).hasSize(1);
    }

    @Test
    void approvalOfUnknownRequestIsNotFound() {
        assertThatThrownBy(() -> approve("nope", "alice", T0)).isInstanceOf(NotFoundException.class);
    }

    @Test
    void listingIsNewestFirstAndFiltersByOrgSitesRequesterAndState() {
        insert(request("r1", "acme", Set.of("north"), T0));
        insert(request("r2", "globex", Set.of("south"), T0.plusSeconds(1)).withState(RequestState.APPROVED, T0));
        insert(request("r3", "acme", Set.of("north", "south"), T0.plusSeconds(2)));
        approve("r1", "alice", T0.plusSeconds(5));

        assertThat(ids(RequestFilter.all(10))).containsExactly("r3", "r2", "r1");
        assertThat(ids(RequestFilter.all(2))).containsExactly("r3", "r2");
        assertThat(ids(new RequestFilter("acme", null, null, null, 10))).containsExactly("r3", "r1");
        assertThat(ids(new RequestFilter(null, Set.of("south"), null, null, 10))).containsExactly("r3", "r2");
        assertThat(ids(new RequestFilter(null, Set.of("south", "east"), null, null, 10))).containsExactly("r3", "r2");
        assertThat(ids(new RequestFilter(null, Set.of("east"), null, null, 10))).isEmpty();
        assertThat(ids(new RequestFilter(null, Set.of(), null, null, 10))).as("no sites, no rows").isEmpty();
        assertThat(ids(new RequestFilter(null, null, null, RequestState.APPROVED, 10))).containsExactly("r2");
        assertThat(ids(new RequestFilter("acme", Set.of("south"), null, null, 10))).containsExactly("r3");
        assertThat(ids(new RequestFilter(null, null, "tech-globex", null, 10))).containsExactly("r2");

        List<AccessRequest> listed = store.inTransaction(tx -> tx.listRequests(RequestFilter.all(10)));
        assertThat(listed.get(2).approvals()).extracting(Approval::approver).containsExactly("alice");
        assertThat(listed.get(0).sites()).containsExactlyInAnyOrder("north", "south");
        assertThat(listed.get(0).targets()).containsExactly("cam-r3-1", "cam-r3-2");
    }

    @Test
    void requestsEndedByMatchesWindowEndAndState() {
        // windows of one hour: r-ended ends at T0, r-later one second after
        insert(window("r-ended", T0.minus(1, ChronoUnit.HOURS), RequestState.APPROVED));
        insert(window("r-pending", T0.minus(2, ChronoUnit.HOURS), RequestState.PENDING));
        insert(window("r-later", T0.minus(1, ChronoUnit.HOURS).plusSeconds(1), RequestState.APPROVED));
        insert(window("r-denied", T0.minus(3, ChronoUnit.HOURS), RequestState.DENIED));

        List<AccessRequest> ended = store.inTransaction(
                tx -> tx.requestsEndedBy(T0, List.of(RequestState.PENDING, RequestState.APPROVED)));

        assertThat(ended).extracting(AccessRequest::id).containsExactlyInAnyOrder("r-ended", "r-pending");
        List<AccessRequest> noStates = store.inTransaction(tx -> tx.requestsEndedBy(T0, List.of()));
        assertThat(noStates).isEmpty();
    }

    // ---- grants ----

    @Test
    void grantsAreStoredFoundListedAndRevoked() {
        insert(request("r1", "acme", Set.of("north", "south"), T0));
        Grant g1 = new Grant("g1", "r1", "tech-acme", "acme", "cam-1", "north", T0, T0.plusSeconds(3600), null, null);
        Grant g2 = new Grant("g2", "r1", "tech-acme", "acme", "cam-2", "south", T0.plusSeconds(1), T0.plusSeconds(3600), null, null);
        Grant g3 = new Grant("g3", "r1", "other", "globex", "cam-3", "east", T0.plusSeconds(2), T0.plusSeconds(3600), null, null);
        store.inTransaction(tx -> {
            tx.insertGrant(g1);
            tx.insertGrant(g2);
            tx.insertGrant(g3);
            return null;
        });

        assertThat(grant("g2")).contains(g2);
        assertThat(grant("nope")).isEmpty();
        assertThat(grantsOf("r1")).containsExactly(g1, g2, g3);
        assertThat(grantIds(new GrantFilter("tech-acme", null, null, null, 10))).containsExactly("g2", "g1");
        assertThat(grantIds(new GrantFilter(null, "globex", null, null, 10))).containsExactly("g3");
        assertThat(grantIds(new GrantFilter(null, null, Set.of("north", "east"), null, 10))).containsExactly("g3", "g1");
        assertThat(grantIds(new GrantFilter(null, null, Set.of(), null, 10))).isEmpty();
        assertThat(grantIds(new GrantFilter(null, null, null, "cam-2", 10))).containsExactly("g2");
        assertThat(grantIds(new GrantFilter(null, null, null, null, 1))).containsExactly("g3");

        store.inTransaction(tx -> {
            tx.revokeGrant("g1", T0.plusSeconds(60), "supervisor");
            return null;
        });
        store.inTransaction(tx -> {
            tx.revokeGrant("g1", T0.plusSeconds(99), "someone-else");
            return null;
        });

        Grant revoked = grant("g1").orElseThrow();
        assertThat(revoked.revokedAt()).as("the first revocation stands").isEqualTo(T0.plusSeconds(60));
        assertThat(revoked.revokedBy()).isEqualTo("supervisor");
        assertThat(revoked.usableAt(T0.plusSeconds(61))).isFalse();
        assertThatThrownBy(() -> store.inTransaction(tx -> {
            tx.revokeGrant("nope", T0, "supervisor");
            return null;
        })).isInstanceOf(NotFoundException.class);
    }

    @Test
    void grantOfUnknownRequestIsNotFound() {
        Grant g = new Grant("g1", "nope", "tech", "acme", "cam-1", "north", T0, T0.plusSeconds(60), null, null);
        assertThatThrownBy(() -> store.inTransaction(tx -> {
            tx.insertGrant(g);
            return null;
        })).isInstanceOf(NotFoundException.class);
    }

    // ---- audit chain ----

    @Test
    void appendsAreNumberedFromOneAndLinked() {
        AuditEvent e1 = append(draft("alice", "request.create", "r1"), T0);
        AuditEvent e2 = append(draft("bob", "request.approve", "r1"), T0.plusSeconds(1));
        AuditEvent e3 = append(draft("system", "request.expire", "r1"), T0.plusSeconds(2));

        assertThat(List.of(e1.seq(), e2.seq(), e3.seq())).containsExactly(1L, 2L, 3L);
        assertThat(e1.prevHash()).isEqualTo(AuditChain.GENESIS);
        assertThat(e2.prevHash()).isEqualTo(e1.hash());
        assertThat(e3.prevHash()).isEqualTo(e2.hash());
        assertThat(read(1, 10)).containsExactly(e1, e2, e3);
        assertThat(read(2, 1)).containsExactly(e2);
        assertThat(lastEvent()).contains(e3);
        assertThat(verifyChain().lastSeq()).isEqualTo(3);
    }

    @Test
    void anEmptyChainHasNoLastEvent() {
        assertThat(lastEvent()).isEmpty();
        assertThat(read(1, 10)).isEmpty();
    }

    @Test
    void auditEventRoundTripsExactly() {
        Map<String, String> details = Map.of("comment", "quotes \" and \\ and\nnewline", "ünïcødé", "日本語 🎥", "empty", "");
        AuditEvent appended = append(new AuditEventDraft("alice", "login", "session", null, details), T0.plusNanos(999));

        AuditEvent read = read(1, 1).getFirst();

        assertThat(read).isEqualTo(appended);
        assertThat(read.time()).isEqualTo(T0);
        assertThat(AuditChain.recompute(read)).isEqualTo(read.hash());
    }

    @Test
    void concurrentAppendsNeverForkTheChain() throws Exception {
        int threads = 8;
        int perThread = 50;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String actor = "appender-" + t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) append(draft(actor, "tick", Integer.toString(i)), T0.plusSeconds(i));
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) f.get(2, TimeUnit.MINUTES);
        } finally {
            pool.shutdownNow();
        }

        List<AuditEvent> all = read(1, 10_000);
        assertThat(all).extracting(AuditEvent::seq)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, threads * perThread).boxed().toList());
        VerificationReport report = verifyChain();
        assertThat(report.events()).isEqualTo(threads * perThread);
    }

    @Test
    void failedWorkLeavesNothingHalfWritten() {
        IllegalStateException boom = new IllegalStateException("boom");

        assertThatThrownBy(() -> store.inTransaction(tx -> {
            tx.insertRequest(request("r1", "acme", Set.of("north"), T0));
            tx.appendAudit(draft("tech", "request.create", "r1"), T0);
            throw boom;
        })).isSameAs(boom);

        assertThat(find("r1")).isEmpty();
        assertThat(lastEvent()).isEmpty();
        assertThat(append(draft("tech", "request.create", "r1"), T0).seq()).as("the head did not move").isEqualTo(1);
    }

    @Test
    void checkpointsRoundTripAndAnchorTheChain() {
        SigningKey key = SigningKey.generate();
        append(draft("alice", "a", "x"), T0);
        AuditEvent e2 = append(draft("alice", "b", "x"), T0.plusSeconds(1));
        Checkpoint cp2 = Checkpoint.sign(2, e2.hash(), T0.plusSeconds(2).plusNanos(1_500), key);
        AuditEvent e3 = append(draft("alice", "c", "x"), T0.plusSeconds(3));
        Checkpoint cp3 = Checkpoint.sign(3, e3.hash(), T0.plusSeconds(4), key);
        store.inTransaction(tx -> {
            tx.insertCheckpoint(cp3);
            tx.insertCheckpoint(cp2);
            return null;
        });

        assertThat(checkpoints()).containsExactly(cp2, cp3);
        assertThat(lastCheckpoint()).contains(cp3);
        List<AuditEvent> events = read(1, 10);
        VerificationReport report = AuditVerifier.verify(events.iterator(), checkpoints(),
                key.verifyingKey(), AuditChain.GENESIS, 1);
        assertThat(report.checkpointsVerified()).isEqualTo(2);
        assertThatThrownBy(() -> store.inTransaction(tx -> {
            tx.insertCheckpoint(cp3);
            return null;
        })).isInstanceOf(ConflictException.class);
    }

    @Test
    void noCheckpointYetIsEmpty() {
        assertThat(lastCheckpoint()).isEmpty();
        assertThat(checkpoints()).isEmpty();
    }

    @Test
    void searchFiltersByTimeActorActionAndObject() {
        AuditEvent e1 = append(draft("alice", "request.create", "r1"), T0);
        AuditEvent e2 = append(draft("bob", "request.approve", "r1"), T0.plusSeconds(10));
        AuditEvent e3 = append(draft("alice", "request.create", "r2"), T0.plusSeconds(20));
        AuditEvent e4 = append(draft("carol", "session.start", "r2"), T0.plusSeconds(30));

        assertThat(search(T0.plusSeconds(10), T0.plusSeconds(30), null, null, null, 0, 10))
                .as("[from, to)").containsExactly(e2, e3);
        assertThat(search(null, null, "alice", null, null, 0, 10)).containsExactly(e1, e3);
        assertThat(search(null, null, null, "request.create", null, 0, 10)).containsExactly(e1, e3);
        assertThat(search(null, null, null, null, "r2", 0, 10)).containsExactly(e3, e4);
        assertThat(search(null, null, "alice", "request.create", "r2", 0, 10)).containsExactly(e3);
        assertThat(search(null, null, null, null, null, 1, 2)).as("paging after seq").containsExactly(e2, e3);
        assertThat(search(T0.plusSeconds(31), null, null, null, null, 0, 10)).isEmpty();
    }

    @Test
    void appendingAfterATamperedHeadFailsClosed() {
        append(draft("alice", "a", "x"), T0);
        append(draft("alice", "b", "x"), T0.plusSeconds(1));
        rawSql("DELETE FROM audit_event WHERE seq = 2");

        assertThatThrownBy(() -> append(draft("alice", "c", "x"), T0.plusSeconds(2)))
                .isInstanceOf(UnavailableException.class)
                .hasMessageContaining("audit verify");
    }

    @Test
    void theHeadIsSeededWithGenesis() {
        assertThat(rawQueryString("SELECT hash FROM audit_head WHERE id = 1")).isEqualTo(AuditChain.GENESIS);
    }

    // ---- transactions and life cycle ----

    @Test
    void nestedTransactionsAreRefused() {
        assertThatThrownBy(() -> store.inTransaction(tx -> store.inTransaction(inner -> null)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("nested");
        String after = store.inTransaction(tx -> "still usable");
        assertThat(after).isEqualTo("still usable");
    }

    @Test
    void aTransactionCannotBeUsedAfterItEnds() {
        StoreTx escaped = store.inTransaction(tx -> tx);

        assertThatThrownBy(escaped::lastAudit).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void restartKeepsEverythingAndMigratesIdempotently() {
        insert(request("r1", "acme", Set.of("north"), T0));
        approve("r1", "alice", T0.plusSeconds(1));
        Grant g = new Grant("g1", "r1", "tech-acme", "acme", "cam-1", "north", T0, T0.plusSeconds(60), null, null);
        store.inTransaction(tx -> {
            tx.insertGrant(g);
            return null;
        });
        AuditEvent e1 = append(draft("alice", "request.approve", "r1"), T0);
        Checkpoint cp = new Checkpoint(1, e1.hash(), T0, "key-1", "c2lnbmF0dXJl");
        store.inTransaction(tx -> {
            tx.insertCheckpoint(cp);
            return null;
        });
        AccessRequest before = find("r1").orElseThrow();

        store.close();
        store = openStore();
        store.close();
        store = openStore();

        assertThat(find("r1")).contains(before);
        assertThat(grant("g1")).contains(g);
        assertThat(lastEvent()).contains(e1);
        assertThat(checkpoints()).containsExactly(cp);
        AuditEvent e2 = append(draft("bob", "request.approve", "r1"), T0.plusSeconds(1));
        assertThat(e2.seq()).isEqualTo(2);
        assertThat(e2.prevHash()).isEqualTo(e1.hash());
    }

    @Test
    void aClosedStoreIsUnavailable() {
        assertThat(store.ping()).isTrue();

        store.close();

        assertThat(store.ping()).isFalse();
        assertThatThrownBy(() -> store.inTransaction(tx -> null)).isInstanceOf(UnavailableException.class);
    }

    @Test
    void describeNamesTheDatabaseWithoutCredentials() {
        assertThat(store.describe()).isNotBlank().doesNotContainIgnoringCase("password");
    }

    // ---- helpers ----

    /** Runs one statement on this test's database behind the store's back (tampering, inspection). */
    protected abstract void rawSql(String sql);

    /** First column of the first row of {@code sql} on this test's database. */
    protected abstract String rawQueryString(String sql);

    static AccessRequest request(String id, String org, Set<String> sites, Instant createdAt) {
        return new AccessRequest(id, "tech-" + org, org, List.of("cam-" + id + "-1", "cam-" + id + "-2"), sites,
                createdAt.plusSeconds(600), Duration.ofHours(1), "maintenance", "INC-" + id, RequestState.PENDING, 1,
                "rule-1", List.of(), createdAt, createdAt);
    }

    static AccessRequest window(String id, Instant start, RequestState state) {
        return new AccessRequest(id, "tech", "acme", List.of("cam-1"), Set.of("north"), start, Duration.ofHours(1),
                "maintenance", null, state, 1, "rule-1", List.of(), T0.minus(1, ChronoUnit.DAYS), T0.minus(1, ChronoUnit.DAYS));
    }

    static AuditEventDraft draft(String actor, String action, String objectId) {
        return new AuditEventDraft(actor, action, "access-request", objectId, Map.of("note", action + " " + objectId));
    }

    void insert(AccessRequest r) {
        store.inTransaction(tx -> {
            tx.insertRequest(r);
            return null;
        });
    }

    void approve(String requestId, String approver, Instant at) {
        store.inTransaction(tx -> {
            tx.insertApproval(requestId, new Approval(approver, Verdict.APPROVE, "ok", at));
            return null;
        });
    }

    AuditEvent append(AuditEventDraft d, Instant at) {
        return store.inTransaction(tx -> tx.appendAudit(d, at));
    }

    List<String> ids(RequestFilter f) {
        return store.inTransaction(tx -> tx.listRequests(f)).stream().map(AccessRequest::id).toList();
    }

    List<String> grantIds(GrantFilter f) {
        return store.inTransaction(tx -> tx.listGrants(f)).stream().map(Grant::id).toList();
    }

    List<AuditEvent> search(Instant from, Instant to, String actor, String action, String objectId, long afterSeq, int limit) {
        return store.inTransaction(tx -> tx.searchAudit(new AuditFilter(from, to, actor, action, objectId, afterSeq, limit)));
    }

    Optional<AccessRequest> find(String id) {
        return store.inTransaction(tx -> tx.findRequest(id, false));
    }

    Optional<Grant> grant(String id) {
        return store.inTransaction(tx -> tx.findGrant(id));
    }

    List<Grant> grantsOf(String requestId) {
        return store.inTransaction(tx -> tx.grantsForRequest(requestId));
    }

    List<AuditEvent> read(long fromSeq, int limit) {
        return store.inTransaction(tx -> tx.readAudit(fromSeq, limit));
    }

    Optional<AuditEvent> lastEvent() {
        return store.inTransaction(StoreTx::lastAudit);
    }

    List<Checkpoint> checkpoints() {
        return store.inTransaction(StoreTx::checkpoints);
    }

    Optional<Checkpoint> lastCheckpoint() {
        return store.inTransaction(StoreTx::lastCheckpoint);
    }

    VerificationReport verifyChain() {
        List<AuditEvent> all = read(1, 100_000);
        return AuditVerifier.verify(all.iterator(), List.of(), null, AuditChain.GENESIS, 1);
    }

    static Optional<String> env(String name) {
        return Optional.ofNullable(System.getenv(name)).filter(v -> !v.isBlank());
    }
}
