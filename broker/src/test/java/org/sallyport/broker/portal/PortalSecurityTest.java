package org.sallyport.broker.portal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sallyport.broker.testing.MutableClock;
import org.sallyport.broker.testing.TestBroker;

/** The portal's session, CSRF, header and scoping rules, checked over plain HTTP as an attacker would probe them. */
class PortalSecurityTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;
    TestBroker b;
    final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeEach
    void start() {
        b = new TestBroker(dir, MutableClock.atSystemNow()).start();
    }

    @AfterEach
    void stop() {
        if (b != null) b.close();
    }

    record Signed(String cookie, String csrf) {}

    private HttpResponse<String> send(HttpRequest.Builder r) throws Exception {
        return http.send(r.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> postLogin(String user, String password, String origin) throws Exception {
        String form = "username=" + URLEncoder.encode(user, StandardCharsets.UTF_8) + "&password=" + URLEncoder.encode(password, StandardCharsets.UTF_8);
        return send(HttpRequest.newBuilder(URI.create(b.url() + "/portal/login")).header("Origin", origin)
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)));
    }

    private Signed signIn(String user) throws Exception {
        HttpResponse<String> r = postLogin(user, TestBroker.PASSWORD, b.url());
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(r.headers().firstValue("Location")).hasValue("/portal/queue");
        String setCookie = r.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).containsIgnoringCase("HttpOnly").contains("SameSite=Strict", "Path=/").doesNotContain("Secure");
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        HttpResponse<String> page = send(HttpRequest.newBuilder(URI.create(b.url() + "/portal/queue")).header("Cookie", cookie));
        assertThat(page.statusCode()).isEqualTo(200);
        Matcher m = Pattern.compile("data-csrf=\"([^\"]+)\"").matcher(page.body());
        assertThat(m.find()).isTrue();
        return new Signed(cookie, m.group(1));
    }

    private HttpResponse<String> approve(Signed s, String id, String csrf, String origin) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(b.url() + "/api/requests/" + id + "/approve")).header("Cookie", s.cookie())
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"comment\":\"checked\"}"));
        if (csrf != null) r.header("X-CSRF-Token", csrf);
        if (origin != null) r.header("Origin", origin);
        return send(r);
    }

    @Test
    void pagesNeedASessionAndCarryAStrictPolicy() throws Exception {
        HttpResponse<String> anon = send(HttpRequest.newBuilder(URI.create(b.url() + "/portal/queue")));
        assertThat(anon.statusCode()).isEqualTo(303);
        assertThat(anon.headers().firstValue("Location")).hasValue("/portal/login");

        HttpResponse<String> login = send(HttpRequest.newBuilder(URI.create(b.url() + "/portal/login")));
        assertThat(login.statusCode()).isEqualTo(200);
        String csp = login.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertThat(csp).contains("default-src 'none'", "script-src 'self'", "frame-ancestors 'none'").doesNotContain("unsafe-inline", "unsafe-eval", "*");
        assertThat(login.body()).doesNotContain("<script>", "style=\"").contains("<label class=\"usa-label\" for=\"username\">");
        assertThat(login.headers().firstValue("X-Frame-Options")).hasValue("DENY");

        Signed s = signIn("supervisor");
        HttpResponse<String> page = send(HttpRequest.newBuilder(URI.create(b.url() + "/portal/queue")).header("Cookie", s.cookie()));
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow()).doesNotContain("unsafe-inline");
        assertThat(page.body()).doesNotContain("<script>").contains("src=\"/portal/assets/app.js\"");
        assertThat(send(HttpRequest.newBuilder(URI.create(b.url() + "/portal/assets/app.js"))).statusCode()).isEqualTo(200);
        assertThat(send(HttpRequest.newBuilder(URI.create(b.url() + "/portal/assets/portal.css"))).statusCode()).isEqualTo(200);
    }

    @Test
    void wrongPasswordIsRefusedAuditedAndSaysNothingAboutWhichPart() throws Exception {
        HttpResponse<String> r = postLogin("supervisor", "wrong", b.url());
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(r.body()).contains("Wrong username or password.");
        assertThat(b.get("inspector", "/api/audit?action=auth.login-failed").json().get(0).get("objectId").asText()).isEqualTo("supervisor");
        assertThat(postLogin("supervisor", TestBroker.PASSWORD, "https://evil.example").statusCode()).as("login CSRF").isEqualTo(403);
    }

    @Test
    void stateChangesNeedTheCsrfTokenAndOurOrigin() throws Exception {
        String id = b.request("tech", "cam-anz-01", "30m");
        Signed s = signIn("supervisor");
        assertThat(approve(s, id, null, null).statusCode()).as("no token").isEqualTo(403);
        assertThat(approve(s, id, "forged", null).statusCode()).as("wrong token").isEqualTo(403);
        assertThat(approve(s, id, s.csrf(), "https://evil.example").statusCode()).as("foreign origin").isEqualTo(403);
        assertThat(b.get("supervisor", "/api/requests/" + id).json().get("state").asText()).isEqualTo("PENDING");
        HttpResponse<String> ok = approve(s, id, s.csrf(), b.url());
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(ok.body()).get("state").asText()).isEqualTo("APPROVED");
        JsonNode approvals = JSON.readTree(ok.body()).get("approvals");
        assertThat(approvals.get(0).get("approver").asText()).isEqualTo("supervisor");
    }

    @Test
    void logoutEndsTheSessionOnTheServer() throws Exception {
        Signed s = signIn("inspector");
        HttpResponse<String> noToken = send(HttpRequest.newBuilder(URI.create(b.url() + "/portal/logout")).header("Cookie", s.cookie())
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString("")));
        assertThat(noToken.statusCode()).isEqualTo(403);
        HttpResponse<String> out = send(HttpRequest.newBuilder(URI.create(b.url() + "/portal/logout")).header("Cookie", s.cookie())
                .header("Origin", b.url()).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("csrf=" + URLEncoder.encode(s.csrf(), StandardCharsets.UTF_8))));
        assertThat(out.statusCode()).isEqualTo(303);
        assertThat(out.headers().firstValue("Set-Cookie").orElseThrow()).contains("Max-Age=0");
        assertThat(send(HttpRequest.newBuilder(URI.create(b.url() + "/api/me")).header("Cookie", s.cookie())).statusCode()).isEqualTo(401);
        assertThat(b.get("inspector", "/api/audit?action=auth.logout").json()).hasSize(1);
    }

    @Test
    void theLiveQueueShowsEachSupervisorOnlyTheirSitesAndEachVendorOnlyTheirOwn() throws Exception {
        String anz = b.request("tech", "cam-anz-01", "30m");
        String north = b.request("tech2", "cam-north-01", "30m");
        assertThat(firstEvent("supervisor")).containsExactly(anz);
        assertThat(firstEvent("supervisor-north")).containsExactly(north);
        assertThat(firstEvent("tech2")).containsExactly(north);
        assertThat(firstEvent("inspector")).containsExactlyInAnyOrder(anz, north);
    }

    /** Ids in the first {@code requests} event of the SSE stream, read as {@code user}. */
    private List<String> firstEvent(String user) throws Exception {
        HttpResponse<Stream<String>> r = http.send(HttpRequest.newBuilder(URI.create(b.url() + "/api/events/requests"))
                .header("Authorization", "Bearer " + b.token(user)).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofLines());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/event-stream");
        try (Stream<String> lines = r.body()) {
            String data = lines.dropWhile(l -> !l.equals("event: requests")).skip(1).findFirst().orElseThrow();
            List<String> ids = new ArrayList<>();
            JSON.readTree(data.substring("data: ".length())).get("requests").forEach(n -> ids.add(n.get("id").asText()));
            return ids;
        }
    }
}
