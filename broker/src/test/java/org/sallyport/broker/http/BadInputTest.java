package org.sallyport.broker.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sallyport.broker.testing.MutableClock;
import org.sallyport.broker.testing.TestBroker;

/** Bad input gets a 4xx problem document naming the field, and nothing is written. */
class BadInputTest {
    @TempDir
    static Path dir;
    static TestBroker b;

    @BeforeAll
    static void start() {
        b = new TestBroker(dir, MutableClock.atSystemNow()).start();
    }

    @AfterAll
    static void stop() {
        b.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "malformed JSON | {\"targets\": [ | 400 | body",
            "not an object | [1,2] | 400 | body",
            "unknown field | {\"targets\":[\"cam-anz-01\"],\"duration\":\"1h\",\"reason\":\"abc\",\"ticket\":\"T-1\",\"admin\":true} | 400 | admin",
            "missing targets | {\"duration\":\"1h\",\"reason\":\"abc\",\"ticket\":\"T-1\"} | 400 | targets",
            "unknown target | {\"targets\":[\"cam-nowhere\"],\"duration\":\"1h\",\"reason\":\"abc\",\"ticket\":\"T-1\"} | 400 | targets",
            "duplicate target | {\"targets\":[\"cam-anz-01\",\"cam-anz-01\"],\"duration\":\"1h\",\"reason\":\"abc\",\"ticket\":\"T-1\"} | 400 | targets",
            "duration over the limit | {\"targets\":[\"cam-anz-01\"],\"duration\":\"9h\",\"reason\":\"abc\",\"ticket\":\"T-1\"} | 400 | duration",
            "duration gibberish | {\"targets\":[\"cam-anz-01\"],\"duration\":\"soon\",\"reason\":\"abc\",\"ticket\":\"T-1\"} | 400 | duration",
            "duration too short | {\"targets\":[\"cam-anz-01\"],\"duration\":\"10s\",\"reason\":\"abc\",\"ticket\":\"T-1\"} | 400 | duration",
            "start in the past | {\"targets\":[\"cam-anz-01\"],\"start\":\"2020-01-01T00:00:00Z\",\"duration\":\"1h\",\"reason\":\"abc\",\"ticket\":\"T-1\"} | 400 | start",
            "start not a date | {\"targets\":[\"cam-anz-01\"],\"start\":\"tomorrow\",\"duration\":\"1h\",\"reason\":\"abc\",\"ticket\":\"T-1\"} | 400 | start",
            "reason too short | {\"targets\":[\"cam-anz-01\"],\"duration\":\"1h\",\"reason\":\"x\",\"ticket\":\"T-1\"} | 400 | reason",
            "ticket with spaces | {\"targets\":[\"cam-anz-01\"],\"duration\":\"1h\",\"reason\":\"abc\",\"ticket\":\"rm -rf\"} | 400 | ticket",
            "targets not a list | {\"targets\":\"cam-anz-01\",\"duration\":\"1h\",\"reason\":\"abc\",\"ticket\":\"T-1\"} | 400 | targets",
    })
    void badRequestBodyIsRefusedNamingTheField(String name, String body, int status, String field) {
        long before = countRequests();
        var r = b.post("tech", "/api/requests", body);
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().get("field").asText()).isEqualTo(field);
        assertThat(r.json().get("detail").asText()).startsWith(field);
        assertThat(countRequests()).as("nothing written").isEqualTo(before);
    }

    @Test
    void startTooFarAheadIsRefused() {
        String start = Instant.now().plus(Duration.ofDays(40)).toString();
        var r = b.post("tech", "/api/requests", "{\"targets\":[\"cam-anz-01\"],\"start\":\"" + start
                + "\",\"duration\":\"1h\",\"reason\":\"abc\",\"ticket\":\"T-1\"}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("field").asText()).isEqualTo("start");
    }

    @Test
    void oversizedBodyIs413() {
        String reason = "x".repeat(70_000);
        var r = b.post("tech", "/api/requests", "{\"targets\":[\"cam-anz-01\"],\"duration\":\"1h\",\"reason\":\"" + reason
                + "\",\"ticket\":\"T-1\"}");
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.contentType()).startsWith("application/problem+json");
    }

    @Test
    void oversizedFieldIsNamed() {
        var r = b.post("tech", "/api/requests", "{\"targets\":[\"cam-anz-01\"],\"duration\":\"1h\",\"reason\":\""
                + "y".repeat(1001) + "\",\"ticket\":\"T-1\"}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("field").asText()).isEqualTo("reason");
    }

    @Test
    void wrongContentTypeIs415() {
        var r = b.raw("POST", "/api/requests", b.token("tech"), "targets=cam-anz-01", "application/x-www-form-urlencoded");
        assertThat(r.status()).isEqualTo(415);
        assertThat(r.json().get("field").asText()).isEqualTo("Content-Type");
    }

    @Test
    void missingForgedAndExpiredTokensAre401() {
        assertThat(b.send("GET", "/api/requests", null, null).status()).isEqualTo(401);
        assertThat(b.send("GET", "/api/requests", "not.a.jwt", null).status()).isEqualTo(401);
        String token = b.token("tech");
        String forged = token.substring(0, token.lastIndexOf('.') + 1) + "AAAA" + token.substring(token.lastIndexOf('.') + 5);
        assertThat(b.send("GET", "/api/requests", forged, null).status()).isEqualTo(401);
    }

    @Test
    void wrongPasswordIs401AndAudited() {
        var r = b.send("POST", "/api/auth/login", null, "{\"username\":\"supervisor\",\"password\":\"guess\"}");
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.body()).doesNotContain("guess");
        var events = b.get("inspector", "/api/audit?action=auth.login-failed&objectId=supervisor").json();
        assertThat(events).isNotEmpty();
        assertThat(events.toString()).doesNotContain("guess");
    }

    @Test
    void commentIsRequiredToDecide() {
        String id = b.request("tech", "cam-anz-01", "1h");
        var r = b.post("supervisor", "/api/requests/" + id + "/approve", "{\"comment\":\"  \"}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("field").asText()).isEqualTo("comment");
        assertThat(b.get("supervisor", "/api/requests/" + id).json().get("state").asText()).isEqualTo("PENDING");
    }

    @Test
    void unknownEndpointAndBadQueryAreProblems() {
        assertThat(b.get("tech", "/api/nothing-here").status()).isEqualTo(404);
        var r = b.get("tech", "/api/requests?state=MAYBE");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("field").asText()).isEqualTo("state");
    }

    private static long countRequests() {
        return b.get("inspector", "/api/requests?limit=1000").json().size();
    }
}
