package org.sallyport.policy.eval;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Set;
import org.sallyport.policy.load.PolicyLoader;
import org.sallyport.policy.model.AdmissionDecision;
import org.sallyport.policy.model.PolicyContext;
import org.sallyport.policy.model.RequestInfo;
import org.sallyport.policy.model.Requester;
import org.sallyport.policy.model.TargetInfo;

/**
 * Cost of the policy on the broker's paths, with the shipped camera-maintenance policy, one thread: a
 * request decision (admission + approvals + limits), the per-session rules compiled for the live guard
 * (once per session start), and a full load with CEL type-checking (once per reload). Not a test:
 *
 * <pre>
 * mvn -q -o -pl policy-rules test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/policy-cp.txt
 * java --sun-misc-unsafe-memory-access=allow \
 *     -cp "policy-rules/target/classes:policy-rules/target/test-classes:$(cat /tmp/policy-cp.txt)" \
 *     org.sallyport.policy.eval.PolicyDecisionBenchmark
 * </pre>
 */
public final class PolicyDecisionBenchmark {
    private PolicyDecisionBenchmark() {}

    public static void main(String[] args) {
        Policy p = PolicyLoader.loadDirectory(Path.of(args.length > 0 ? args[0] : "policy-rules/examples/camera-maintenance"));
        Instant start = Instant.parse("2026-12-01T16:00:00Z");
        PolicyContext[] ctxs = new PolicyContext[64];
        for (int i = 0; i < ctxs.length; i++) {
            ctxs[i] = PolicyContext.forRequest(new Requester("tech" + i, "acme-optics", Set.of("vendor-technician", "/vendors/acme-optics")),
                    new TargetInfo("cam-" + i, "anzalduas", "ip-camera", i % 4 == 0 ? Set.of("high-risk") : Set.of()),
                    new RequestInfo(start.plusSeconds(i * 600L), Duration.ofMinutes(30 + i), "focus", "INC-" + i));
        }
        report("decideRequest", () -> {
            int admitted = 0;
            for (int i = 0; i < 100_000; i++) if (p.decideRequest(ctxs[i & 63]) instanceof AdmissionDecision.Admitted) admitted++;
            if (admitted != 100_000) throw new IllegalStateException("benchmark contexts should all be admitted");
        }, 100_000);
        report("guardRules (per session start)", () -> {
            for (int i = 0; i < 20_000; i++) p.guardRules(ctxs[i & 63]);
        }, 20_000);
        report("load + type-check policy", () -> {
            for (int i = 0; i < 200; i++) PolicyLoader.loadDirectory(Path.of(args.length > 0 ? args[0] : "policy-rules/examples/camera-maintenance"));
        }, 200);
    }

    private static void report(String what, Runnable batch, int ops) {
        double[] us = new double[7];
        for (int run = 0; run < us.length; run++) {
            long t0 = System.nanoTime();
            batch.run();
            us[run] = (System.nanoTime() - t0) / 1e3 / ops;
        }
        double[] measured = Arrays.copyOfRange(us, 2, us.length); // the first runs warm the JIT up
        Arrays.sort(measured);
        double median = measured[measured.length / 2];
        System.out.printf("%-32s median %8.2f us/op  (%,.0f ops/s)%n", what, median, 1e6 / median);
    }
}
