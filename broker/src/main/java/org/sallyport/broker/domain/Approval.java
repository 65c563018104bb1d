package org.sallyport.broker.domain;

import java.time.Instant;

/** One supervisor's decision on a request, with the comment they were required to give. */
public record Approval(String approver, Verdict verdict, String comment, Instant at) {
    public enum Verdict { APPROVE, DENY }
}
