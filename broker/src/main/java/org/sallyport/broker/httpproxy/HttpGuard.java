package org.sallyport.broker.httpproxy;

import java.util.Objects;

/**
 * The policy hook of the HTTP proxy, asked before a request is forwarded and while a response body arrives, before
 * any byte of it reaches the browser. Deny by default: an implementation answers {@link Action#BLOCK} for what it
 * does not know to be harmless. The policy engine (policy-rules) plugs in here; {@link DefaultCameraHttpGuard} is
 * the built-in camera rule set.
 *
 * <p>Threading: one {@link ResponseInspection} per response, used from one thread at a time.
 */
public interface HttpGuard {

    enum Action { PASS, BLOCK }

    /** A decision and the rule that made it; every BLOCK becomes an audit event and a 403 page naming the rule. */
    record Verdict(Action action, String ruleId, String reason) {
        public Verdict {
            Objects.requireNonNull(action, "action");
            Objects.requireNonNull(ruleId, "ruleId");
            Objects.requireNonNull(reason, "reason");
        }

        public static Verdict pass(String ruleId) {
            return new Verdict(Action.PASS, ruleId, "allowed");
        }

        public static Verdict block(String ruleId, String reason) {
            return new Verdict(Action.BLOCK, ruleId, reason);
        }

        public boolean blocked() {
            return action == Action.BLOCK;
        }
    }

    /**
     * What the browser asked for.
     *
     * @param query the raw query string, or "" without one
     * @param contentType the request's declared content type, or null
     * @param soapAction the SOAP action (from {@code SOAPAction} or the content type's {@code action}, else the first
     *                   element of the SOAP body), or null when the request is not SOAP
     */
    record Request(String method, String path, String query, String contentType, String soapAction) {}

    /** Before forwarding; the request body has been read in full (it is small next to what may leave). */
    Verdict request(Request request, byte[] body);

    /**
     * A response is about to arrive. The proxy feeds the <em>decoded</em> body (content-coding removed) to the
     * returned inspection, then asks {@link ResponseInspection#finish()}.
     *
     * @param contentDisposition the response's Content-Disposition header, or null
     */
    ResponseInspection response(Request request, int status, String contentType, String contentDisposition);

    /** The verdict on one response body, formed as its bytes arrive. */
    interface ResponseInspection {
        /** The verdict from the head alone (status, content type, disposition): PASS to go on reading. */
        Verdict head();

        /** More decoded body bytes; PASS to go on. */
        Verdict body(byte[] data, int off, int len);

        /** The whole body has been seen. */
        Verdict finish();
    }
}
