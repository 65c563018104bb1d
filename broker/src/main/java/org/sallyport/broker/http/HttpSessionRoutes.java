package org.sallyport.broker.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;
import org.sallyport.broker.domain.Principal;
import org.sallyport.broker.domain.Role;
import org.sallyport.broker.domain.SessionEndReason;
import org.sallyport.broker.error.ForbiddenException;
import org.sallyport.broker.error.NotFoundException;
import org.sallyport.broker.httpproxy.HttpProxyHandler;
import org.sallyport.broker.httpproxy.HttpSessions;

/**
 * HTTP sessions to device web UIs: {@code POST /api/http-sessions} opens one (the same grant rules as SSH) and
 * returns the ticket that {@code sallyport connect TARGET --http} adds to every request it tunnels; {@code POST
 * /api/http-sessions/:id/close} ends it. Requests carrying a ticket are handed to the {@link HttpProxyHandler}
 * before any API route (they are the camera's paths, not the broker's).
 */
public final class HttpSessionRoutes {
    private final Vertx vertx;
    private final HttpSessions sessions;
    private final HttpProxyHandler proxy;

    public HttpSessionRoutes(Vertx vertx, HttpSessions sessions, HttpProxyHandler proxy) {
        this.vertx = vertx;
        this.sessions = sessions;
        this.proxy = proxy;
    }

    /** First handler of the router: tunnelled camera requests never reach the API's handlers. */
    void front(RoutingContext ctx) {
        if (HttpProxyHandler.isProxied(ctx.request())) proxy.handle(ctx.request());
        else ctx.next();
    }

    void mount(Router router) {
        router.post("/api/http-sessions").handler(this::open);
        router.post("/api/http-sessions/:id/close").handler(this::close);
    }

    private void open(RoutingContext ctx) {
        Principal p = ApiVerticle.principal(ctx);
        String target = Input.of(ctx, Set.of("target")).text("target", 1, 63, true);
        String remote = String.valueOf(ctx.request().remoteAddress());
        vertx.executeBlocking(() -> {
            if (!p.has(Role.VENDOR_TECHNICIAN)) throw new ForbiddenException("only vendor technicians open sessions to devices");
            HttpSessions.Opened o = sessions.open(p.username(), target, remote);
            ObjectNode n = Json.MAPPER.createObjectNode();
            n.put("id", o.session().id());
            n.put("target", target);
            n.put("ticket", o.ticket());
            n.put("ticketHeader", HttpProxyHandler.TICKET_HEADER);
            n.put("notAfter", o.session().notAfter().toString());
            n.put("recordingId", o.session().session().recordingId());
            return n;
        }, false).onSuccess(n -> ApiVerticle.json(ctx, 201, n)).onFailure(ctx::fail);
    }

    private void close(RoutingContext ctx) {
        Principal p = ApiVerticle.principal(ctx);
        String id = ctx.pathParam("id");
        vertx.executeBlocking(() -> {
            var s = sessions.liveSession(id).filter(x -> x.session().username().equals(p.username()))
                    .orElseThrow(() -> new NotFoundException("no live HTTP session " + id + " of yours"));
            sessions.end(s, SessionEndReason.COMPLETED, "closed by the vendor");
            ObjectNode n = Json.MAPPER.createObjectNode();
            n.put("id", id);
            n.put("closed", true);
            return n;
        }, false).onSuccess(n -> ApiVerticle.json(ctx, 200, n)).onFailure(ctx::fail);
    }
}
