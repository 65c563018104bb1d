package org.sallyport.broker.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sallyport.broker.testing.MutableClock;
import org.sallyport.broker.testing.TestBroker;

/** A restart in the middle of a grant never leaves it usable past its window, and keeps the audit chain whole. */
class RestartTest {
    @TempDir
    Path dir;

    @Test
    void grantApprovedBeforeARestartIsExpiredAfterItIfItsWindowPassed() {
        MutableClock clock = MutableClock.atSystemNow();
        String id;
        try (TestBroker b = new TestBroker(dir, clock).start()) {
            id = b.request("tech", "cam-anz-01", "20m");
            assertThat(b.post("supervisor", "/api/requests/" + id + "/approve", "{\"comment\":\"ok\"}").json()
                    .get("state").asText()).isEqualTo("APPROVED");
        }
        clock.advance(Duration.ofMinutes(25));
        try (TestBroker b = new TestBroker(dir, clock).start()) {
            var r = b.get("tech", "/api/requests/" + id).json();
            assertThat(r.get("state").asText()).as("start-up sweep").isEqualTo("EXPIRED");
            assertThat(r.get("grants").get(0).get("status").asText()).isEqualTo("expired");
            var verify = b.get("inspector", "/api/audit/verify").json();
            assertThat(verify.get("ok").asBoolean()).as(verify.toString()).isTrue();
            assertThat(verify.get("checkpointsVerified").asInt()).isGreaterThanOrEqualTo(1);
            var expired = b.get("inspector", "/api/audit?action=request.expired&objectId=" + id).json();
            assertThat(expired).hasSize(1);
            assertThat(expired.get(0).get("actor").asText()).isEqualTo("system");
        }
    }

    @Test
    void grantStillInsideItsWindowSurvivesARestart() {
        MutableClock clock = MutableClock.atSystemNow();
        String id;
        try (TestBroker b = new TestBroker(dir, clock).start()) {
            id = b.request("tech", "cam-anz-01", "2h");
            b.post("supervisor", "/api/requests/" + id + "/approve", "{\"comment\":\"ok\"}");
        }
        clock.advance(Duration.ofMinutes(30));
        try (TestBroker b = new TestBroker(dir, clock).start()) {
            var r = b.get("tech", "/api/requests/" + id).json();
            assertThat(r.get("state").asText()).isEqualTo("APPROVED");
            assertThat(r.get("grants").get(0).get("status").asText()).isEqualTo("active");
        }
    }

    @Test
    void tokensStopWorkingAfterTheirLifetime() {
        MutableClock clock = MutableClock.atSystemNow();
        try (TestBroker b = new TestBroker(dir, clock).start()) {
            String token = b.token("tech");
            assertThat(b.send("GET", "/api/me", token, null).status()).isEqualTo(200);
            clock.advance(Duration.ofMinutes(61));
            var r = b.send("GET", "/api/me", token, null);
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.json().get("detail").asText()).contains("expired");
        }
    }
}
