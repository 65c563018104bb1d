package org.sallyport.broker.policy;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.sallyport.broker.audit.AuditLog;
import org.sallyport.broker.config.ConfigException;
import org.sallyport.policy.eval.Policy;
import org.sallyport.policy.eval.PolicyListener;
import org.sallyport.policy.eval.PolicyStore;
import org.sallyport.policy.load.PolicyLoadException;
import org.sallyport.policy.load.PolicyLoader;
import org.sallyport.recorder.audit.AuditEventDraft;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The policy in force for this broker: a directory that hot-reloads (config {@code workflow.policyDir}), or,
 * without one, the bundled camera-maintenance policy.
 *
 * <p>Reload outcomes are audit events: {@code policy.reloaded} (new and previous fingerprints, rule count)
 * and {@code policy.rejected} (every problem with file and line; the previous policy stays in force).
 *
 * <p>Security guarantees: the broker does not start on a policy that does not validate (fail closed).
 *
 * <p>Threading: {@link #current()} from any thread; polling runs the reload on a worker, never the event loop.
 */
public final class BrokerPolicy {
    /**
     * How often the directory is checked: a couple of seconds between an admin's save and the new rules, and
     * one digest of a few small files per poll.
     */
    public static final long POLL_MS = 2_000;
    private static final Logger LOG = LoggerFactory.getLogger(BrokerPolicy.class);

    private final PolicyStore store;
    private long timer = -1;

    private BrokerPolicy(PolicyStore store) {
        this.store = store;
    }

    /** Bundled default; never reloads. */
    public static BrokerPolicy bundledDefault() {
        return new BrokerPolicy(PolicyStore.fixed(PolicyLoader.loadDefault()));
    }

    /**
     * @param dir policy directory, or null for the bundled default
     * @throws ConfigException naming every problem (file, line) when the directory's policy does not validate
     */
    public static BrokerPolicy open(Path dir, AuditLog audit) {
        if (dir == null) return bundledDefault();
        try {
            return new BrokerPolicy(PolicyStore.open(dir, new AuditingListener(audit, dir)));
        } catch (PolicyLoadException e) {
            throw new ConfigException("workflow.policyDir " + dir + ": the policy does not validate:\n" + e.getMessage());
        }
    }

    public Policy current() {
        return store.current();
    }

    public PolicyStore store() {
        return store;
    }

    /** Where the policy comes from, for logs and the start-up audit event. */
    public String describe() {
        return store.current().source() + " (" + store.current().fingerprint().substring(0, 12) + ")";
    }

    /** Polls the directory every {@link #POLL_MS}; reloads run on a worker thread. */
    public void startPolling(Vertx vertx) {
        if (store.directory() == null) return;
        timer = vertx.setPeriodic(POLL_MS, id -> vertx.executeBlocking(store::refresh, false)
                .onFailure(e -> LOG.error("policy reload check failed; the policy in force stays", e)));
    }

    public void stopPolling(Vertx vertx) {
        if (timer >= 0) vertx.cancelTimer(timer);
    }

    /** Turns reload outcomes into audit events (blocking: called from the worker that polls). */
    static final class AuditingListener implements PolicyListener {
        private final AuditLog audit;
        private final Path dir;

        AuditingListener(AuditLog audit, Path dir) {
            this.audit = audit;
            this.dir = dir;
        }

        @Override
        public void reloaded(Policy previous, Policy current) {
            LOG.info("policy reloaded from {}: {} rules, fingerprint {}", dir, current.ruleCount(), current.fingerprint());
            Map<String, String> d = new LinkedHashMap<>();
            d.put("directory", dir.toString());
            d.put("fingerprint", current.fingerprint());
            d.put("previous", previous.fingerprint());
            d.put("rules", Integer.toString(current.ruleCount()));
            audit.record(new AuditEventDraft("system", "policy.reloaded", "policy", current.fingerprint(), d));
        }

        @Override
        public void rejected(PolicyLoadException problem, Policy inForce) {
            LOG.warn("policy change in {} refused, previous policy stays in force:\n{}", dir, problem.getMessage());
            Map<String, String> d = new LinkedHashMap<>();
            d.put("directory", dir.toString());
            d.put("problems", problem.getMessage());
            d.put("inForce", inForce.fingerprint());
            audit.record(new AuditEventDraft("system", "policy.rejected", "policy", inForce.fingerprint(), d));
        }
    }
}
