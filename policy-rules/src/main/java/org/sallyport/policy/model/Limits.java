package org.sallyport.policy.model;

import java.time.Duration;

/**
 * Limits that matched a request. The policy itself refuses a window that is too long or outside allowed
 * hours; the concurrency caps need the broker's count of open windows, so they are handed to it here.
 * A cap of 0 means "no cap from policy"; each cap names the rule that set it (null when none did).
 */
public record Limits(Duration maxDuration, String maxDurationRule,
                     int maxConcurrentPerVendor, String perVendorRule,
                     int maxConcurrentPerTarget, String perTargetRule) {
    public static final Limits NONE = new Limits(null, null, 0, null, 0, null);

    /** The stricter of the two, rule by rule. */
    public Limits tighten(Limits o) {
        Duration d = maxDuration;
        String dr = maxDurationRule;
        if (o.maxDuration != null && (d == null || o.maxDuration.compareTo(d) < 0)) {
            d = o.maxDuration;
            dr = o.maxDurationRule;
        }
        int v = maxConcurrentPerVendor;
        String vr = perVendorRule;
        if (o.maxConcurrentPerVendor > 0 && (v == 0 || o.maxConcurrentPerVendor < v)) {
            v = o.maxConcurrentPerVendor;
            vr = o.perVendorRule;
        }
        int t = maxConcurrentPerTarget;
        String tr = perTargetRule;
        if (o.maxConcurrentPerTarget > 0 && (t == 0 || o.maxConcurrentPerTarget < t)) {
            t = o.maxConcurrentPerTarget;
            tr = o.perTargetRule;
        }
        return new Limits(d, dr, v, vr, t, tr);
    }
}
