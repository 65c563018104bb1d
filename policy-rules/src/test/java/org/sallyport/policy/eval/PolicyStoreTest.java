package org.sallyport.policy.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sallyport.policy.load.PolicyLoadException;
import org.sallyport.policy.model.AdmissionDecision;
import org.sallyport.policy.model.PolicyContext;
import org.sallyport.policy.model.RequestInfo;
import org.sallyport.policy.model.Requester;
import org.sallyport.policy.model.TargetInfo;

class PolicyStoreTest {
    @TempDir
    Path dir;

    private final List<String> events = new ArrayList<>();
    private final List<PolicyLoadException> rejections = new ArrayList<>();
    private final PolicyListener listener = new PolicyListener() {
        public void reloaded(Policy previous, Policy current) {
            events.add("reloaded " + current.fingerprint().substring(0, 8));
        }

        public void rejected(PolicyLoadException problem, Policy inForce) {
            events.add("rejected");
            rejections.add(problem);
        }
    };

    private static String policy(String effect) {
        return """
                admission:
                  - id: everyone
                    effect: %s
                    reason: the test says so
                approvals:
                  - {id: one, count: 1, reason: r}
                """.formatted(effect);
    }

    private static final PolicyContext CTX = PolicyContext.forRequest(new Requester("u", "o", Set.of()),
            new TargetInfo("t", "s", "camera", Set.of()), new RequestInfo(Instant.parse("2026-12-01T10:00:00Z"), Duration.ofHours(1), "", ""));

    @Test
    void aValidChangeReplacesThePolicyAndIsReported() throws Exception {
        Files.writeString(dir.resolve("p.yaml"), policy("allow"));
        PolicyStore store = PolicyStore.open(dir, listener);
        assertThat(store.current().decideRequest(CTX)).isInstanceOf(AdmissionDecision.Admitted.class);
        assertThat(store.refresh()).isFalse();

        Files.writeString(dir.resolve("p.yaml"), policy("deny"));
        assertThat(store.refresh()).isTrue();
        assertThat(store.current().decideRequest(CTX)).isInstanceOf(AdmissionDecision.Refused.class);
        assertThat(events).hasSize(1).first().asString().startsWith("reloaded");
    }

    @Test
    void aBrokenFileIsRefusedWithFileAndLineAndTheOldPolicyStays() throws Exception {
        Files.writeString(dir.resolve("p.yaml"), policy("allow"));
        PolicyStore store = PolicyStore.open(dir, listener);
        Policy before = store.current();

        Files.writeString(dir.resolve("p.yaml"), policy("allow").replace("effect: allow", "effect: allow\n    when: \"request.duration > 3\""));
        assertThat(store.refresh()).isFalse();

        assertThat(store.current()).isSameAs(before);
        assertThat(store.current().decideRequest(CTX)).isInstanceOf(AdmissionDecision.Admitted.class);
        assertThat(events).containsExactly("rejected");
        var problem = rejections.get(0).problems().get(0);
        assertThat(problem.file()).endsWith("p.yaml");
        assertThat(problem.line()).isEqualTo(4);
        assertThat(problem.message()).contains("no matching overload");

        // the same broken content is not reported again on the next poll
        assertThat(store.refresh()).isFalse();
        assertThat(events).containsExactly("rejected");

        // fixing it brings the new policy in
        Files.writeString(dir.resolve("p.yaml"), policy("deny"));
        assertThat(store.refresh()).isTrue();
        assertThat(store.current().decideRequest(CTX)).isInstanceOf(AdmissionDecision.Refused.class);
    }

    @Test
    void aNewBrokenFileBesideAGoodOneIsRefusedToo() throws Exception {
        Files.writeString(dir.resolve("a.yaml"), policy("allow"));
        PolicyStore store = PolicyStore.open(dir, listener);
        Files.writeString(dir.resolve("b.yaml"), "channels:\n  - id: c\n    shell: sometimes\n");
        assertThat(store.refresh()).isFalse();
        assertThat(rejections.get(0).getMessage()).contains("b.yaml:3").contains("'sometimes' is not one of [allow, deny]");
    }

    @Test
    void testFilesBesideThePolicyDoNotTriggerAReload() throws Exception {
        Files.writeString(dir.resolve("p.yaml"), policy("allow"));
        PolicyStore store = PolicyStore.open(dir, listener);
        Files.writeString(dir.resolve("p_test.yaml"), "tests: []\n");
        assertThat(store.refresh()).isFalse();
        assertThat(events).isEmpty();
    }

    @Test
    void aBrokerDoesNotStartOnABrokenPolicy() throws Exception {
        Files.writeString(dir.resolve("p.yaml"), "admission: nope\n");
        assertThatThrownBy(() -> PolicyStore.open(dir, listener)).isInstanceOf(PolicyLoadException.class)
                .hasMessageContaining("p.yaml:1").hasMessageContaining("must be a list");
    }
}
