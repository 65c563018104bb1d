package org.sallyport.broker.httpproxy;

import java.util.List;

/** Combinators over {@link HttpGuard}s (e.g. a policy's HTTP rules and the built-in media rules together). */
public final class HttpGuards {
    private HttpGuards() {}

    /**
     * A guard that passes only what every guard passes; the first BLOCK (in the given order) decides and names its
     * rule. The PASS reported is the first guard's, so the audit shows the rule that admitted the exchange.
     */
    public static HttpGuard allOf(HttpGuard... guards) {
        List<HttpGuard> all = List.of(guards);
        if (all.isEmpty()) throw new IllegalArgumentException("allOf: at least one guard");
        return new HttpGuard() {
            @Override
            public Verdict request(Request request, byte[] body) {
                Verdict first = null;
                for (HttpGuard g : all) {
                    Verdict v = g.request(request, body);
                    if (v.blocked()) return v;
                    if (first == null) first = v;
                }
                return first;
            }

            @Override
            public ResponseInspection response(Request request, int status, String contentType, String contentDisposition) {
                List<ResponseInspection> parts = all.stream().map(g -> g.response(request, status, contentType, contentDisposition)).toList();
                return new ResponseInspection() {
                    @Override
                    public Verdict head() {
                        return each(i -> i.head());
                    }

                    @Override
                    public Verdict body(byte[] data, int off, int len) {
                        return each(i -> i.body(data, off, len));
                    }

                    @Override
                    public Verdict finish() {
                        return each(ResponseInspection::finish);
                    }

                    private Verdict each(java.util.function.Function<ResponseInspection, Verdict> step) {
                        Verdict first = null;
                        for (ResponseInspection i : parts) {
                            Verdict v = step.apply(i);
                            if (v.blocked()) return v;
                            if (first == null) first = v;
                        }
                        return first;
                    }
                };
            }
        };
    }
}
