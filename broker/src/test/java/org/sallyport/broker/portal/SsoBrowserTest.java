package org.sallyport.broker.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.sallyport.broker.testing.Browser;
import org.sallyport.broker.testing.MutableClock;
import org.sallyport.broker.testing.Sso;
import org.sallyport.broker.testing.TestBroker;
import org.sallyport.fixtures.junit.WithKeycloak;
import org.sallyport.fixtures.keycloak.KeycloakServer;

/**
 * Single sign-on in a real browser: a supervisor goes from the portal's login page to Keycloak's own login page,
 * signs in there, lands on the portal queue, sees a vendor's request (made with an SSO token) appear, and signs out
 * of both the portal and Keycloak with the portal's Sign out.
 */
@WithKeycloak
class SsoBrowserTest {
    @TempDir
    Path dir;
    TestBroker b;
    Browser browser;

    @BeforeEach
    void start(KeycloakServer keycloak) {
        Browser.require();
        b = new TestBroker(dir.resolve("broker"), MutableClock.atSystemNow()).identity(Sso.identity(keycloak)).start();
        browser = new Browser(b.url(), dir.resolve("chromium-profile"));
    }

    @AfterEach
    void stop() {
        if (browser != null) browser.close();
        if (b != null) b.close();
    }

    @Test
    void supervisorSignsInOnKeycloaksPageAndLandsOnTheQueue(KeycloakServer keycloak) {
        browser.open("/portal/login");
        browser.waitFor(By.id("sso-link")).click();

        browser.waitFor(By.id("kc-form-login"));
        assertThat(browser.driver.getCurrentUrl()).startsWith(keycloak.issuer() + "/protocol/openid-connect/auth");
        browser.screenshot("sso-01-keycloak-login");
        browser.driver.findElement(By.id("username")).sendKeys("supervisor");
        browser.driver.findElement(By.id("password")).sendKeys(KeycloakServer.PASSWORD);
        browser.driver.findElement(By.id("kc-login")).click();

        browser.waitFor(By.id("sign-out"));
        assertThat(browser.driver.getCurrentUrl()).isEqualTo(b.url() + "/portal/queue");
        browser.waitForText(By.id("queue"), "No pending requests");
        assertThat(browser.driver.getPageSource()).contains("supervisor");

        // A vendor signed in through the same Keycloak asks; the supervisor's open queue shows it.
        var created = b.send("POST", "/api/requests", keycloak.accessToken("tech"), "{\"targets\":[\"cam-anz-01\"],"
                + "\"duration\":\"30m\",\"reason\":\"replace focus motor\",\"ticket\":\"INC-4711\"}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = created.json().path("id").asText();
        browser.waitFor(By.cssSelector("tr[data-request-id='" + id + "']"));
        browser.assertAccessible("queue after SSO");
        browser.screenshot("sso-02-queue-after-keycloak-login");

        // Sign out ends the portal session and Keycloak's (RP-initiated logout): the next SSO sign-in asks again.
        browser.driver.findElement(By.id("sign-out")).click();
        browser.waitFor(By.id("username"));
        assertThat(browser.driver.getCurrentUrl()).isEqualTo(b.url() + "/portal/login");
        browser.open("/portal/queue");
        assertThat(browser.driver.getCurrentUrl()).isEqualTo(b.url() + "/portal/login");
        browser.waitFor(By.id("sso-link")).click();
        browser.waitFor(By.id("kc-form-login"));
    }
}
