package org.sallyport.broker.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.support.ui.Select;
import org.sallyport.broker.config.TargetConfig;
import org.sallyport.broker.testing.Browser;
import org.sallyport.broker.testing.MutableClock;
import org.sallyport.broker.testing.TestBroker;
import org.sallyport.broker.testing.VendorSsh;
import org.sallyport.fixtures.camera.SimulatedCamera;
import org.sallyport.fixtures.services.RequiredService;

/**
 * The supervisors' and inspectors' day in a real browser (Debian's headless chromium): a request appears in
 * the queue without a reload and is approved with a comment; the vendor's stock ssh session runs through the
 * gateway; the supervisor watches it live and terminates it; an inspector plays the recording back and finds
 * their own viewing in the audit trail. axe-core checks every key page.
 */
class PortalBrowserTest {
    private static final String TARGET = "cam-web-01";
    private static final String DEVICE_PASSWORD = "device-only-secret";
    @TempDir
    Path dir;
    SimulatedCamera camera;
    TestBroker b;
    Browser browser;

    @BeforeEach
    void start() throws Exception {
        Browser.require();
        RequiredService.require("OpenSSH client", VendorSsh.available(), "apt-get install openssh-client");
        camera = SimulatedCamera.builder().id(TARGET).hostKeyFile(dir.resolve("camera-hostkey")).credentials("maint", DEVICE_PASSWORD).build();
        int port = camera.start();
        TargetConfig t = new TargetConfig(TARGET, "anzalduas", "ip-camera", "127.0.0.1", port, null, camera.hostKeyOpenSsh(), "maint",
                TARGET + "/maint", List.of("acme-optics"), List.of("face-capture"), null);
        b = new TestBroker(dir.resolve("broker"), MutableClock.atSystemNow(), List.of(t), Map.of(TARGET + "/maint", DEVICE_PASSWORD)).start();
        browser = new Browser(b.url(), dir.resolve("chromium-profile"));
    }

    @AfterEach
    void stop() {
        if (browser != null) browser.close();
        if (b != null) b.close();
        if (camera != null) camera.close();
    }

    @Test
    void supervisorApprovesWatchesAndTerminatesThenInspectorPlaysBackAndSeesTheirViewingAudited() throws Exception {
        browser.open("/portal/login");
        browser.waitFor(By.id("username"));
        browser.assertAccessible("login");
        browser.screenshot("01-login");

        browser.signIn("supervisor", TestBroker.PASSWORD);
        browser.waitForText(By.id("queue"), "No pending requests");
        browser.assertAccessible("queue (empty)");

        // The vendor asks; the open queue shows it without a reload.
        String requestId = b.request("tech", TARGET, "30m");
        long created = System.nanoTime();
        browser.waitFor(By.cssSelector("tr[data-request-id='" + requestId + "']"));
        System.out.printf("portal: the new request showed in the open queue %d ms after it was created (stream re-reads every %d ms)%n",
                (System.nanoTime() - created) / 1_000_000, PortalRoutes.STREAM_POLL_MS);
        assertThat(browser.driver.findElement(By.id("queue")).getText()).contains("tech", "acme-optics", TARGET, "replace focus motor", "INC-4711");
        browser.assertAccessible("queue");
        browser.screenshot("02-queue-with-request");

        // A keyboard user on one request's Review link keeps their place when another request arrives.
        ((org.openqa.selenium.JavascriptExecutor) browser.driver).executeScript("arguments[0].focus()",
                browser.driver.findElement(By.cssSelector("tr[data-request-id='" + requestId + "'] a")));
        String other = b.request("tech-b", TARGET, "15m");
        browser.waitFor(By.cssSelector("tr[data-request-id='" + other + "']"));
        assertThat(browser.driver.switchTo().activeElement().getDomAttribute("data-focus-key")).isEqualTo("review-" + requestId);
        browser.driver.switchTo().activeElement().sendKeys(Keys.ENTER);
        browser.waitFor(By.id("decision-form"));
        assertThat(browser.driver.findElement(By.id("request-facts")).getText())
                .contains("acme-optics", TARGET, "anzalduas", "INC-4711", "admitted by rule camera-maintenance");
        browser.assertAccessible("request detail");
        browser.screenshot("03-request-detail");
        browser.driver.findElement(By.id("approve")).click(); // no comment yet: refused in the page
        browser.waitForText(By.id("decision-error"), "A comment is required");
        browser.driver.findElement(By.id("comment")).sendKeys("ticket checked with the site");
        browser.driver.findElement(By.id("approve")).click();
        browser.waitFor(By.id("decision-result"));
        assertThat(browser.driver.findElement(By.id("request-state")).getText()).isEqualTo("APPROVED");
        assertThat(browser.driver.findElement(By.id("approvals")).getText()).contains("supervisor", "ticket checked with the site");
        browser.screenshot("04-request-approved");

        // The vendor's stock ssh runs through the gateway.
        VendorSsh tech = new VendorSsh(b, "tech", dir);
        assertThat(tech.certify().status()).isEqualTo(200);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Process ssh = tech.start(TARGET, true);
        Thread.ofVirtual().start(() -> VendorSsh.copy(ssh.getInputStream(), out));
        await().atMost(Duration.ofSeconds(15)).until(() -> out.toString(StandardCharsets.UTF_8).contains(TARGET + "$ "));

        browser.open("/portal/sessions");
        browser.waitFor(By.cssSelector("tr[data-session-id]"));
        String sessionId = browser.driver.findElement(By.cssSelector("tr[data-session-id]")).getDomAttribute("data-session-id");
        String sessionsText = browser.driver.findElement(By.id("live-sessions")).getText();
        assertThat(sessionsText).contains("tech", TARGET, "out ");
        assertThat(sessionsText).as("time left of the 30 min window").containsPattern("(29|30) min");
        browser.assertAccessible("active sessions");
        browser.screenshot("05-active-sessions");

        browser.driver.findElement(By.cssSelector("tr[data-session-id] a")).click();
        browser.waitForText(By.id("live-state"), "Live: connected");
        ssh.getOutputStream().write("status\n".getBytes(StandardCharsets.UTF_8));
        ssh.getOutputStream().flush();
        browser.waitForText(By.id("terminal"), "firmware AXC-4.12.7");
        browser.assertAccessible("live view");
        browser.screenshot("06-live-view");

        // Keyboard: the dialog opens on Cancel (the safe choice), Escape closes it, Enter on the confirm button terminates.
        browser.driver.findElement(By.id("terminate")).sendKeys(Keys.ENTER);
        browser.waitFor(By.id("confirm-terminate"));
        assertThat(browser.driver.switchTo().activeElement().getDomAttribute("id")).isEqualTo("cancel-terminate");
        browser.screenshot("07-terminate-confirmation");
        browser.driver.switchTo().activeElement().sendKeys(Keys.ESCAPE);
        new org.openqa.selenium.support.ui.WebDriverWait(browser.driver, Duration.ofSeconds(5))
                .until(d -> !d.findElement(By.id("confirm-terminate")).isDisplayed());
        assertThat(ssh.isAlive()).as("Escape cancels").isTrue();
        browser.driver.findElement(By.id("terminate")).sendKeys(Keys.ENTER);
        browser.waitFor(By.id("confirm-terminate")).sendKeys(Keys.ENTER);
        browser.waitFor(By.id("terminated"));
        await().atMost(Duration.ofSeconds(5)).until(() -> !ssh.isAlive());
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("terminated by a supervisor");
        browser.waitForText(By.id("live-state"), "ended");
        await().atMost(Duration.ofSeconds(10)).until(() ->
                b.get("supervisor", "/api/sessions").json().get(0).get("endReason").asText().equals("terminated-by-supervisor"));

        // The inspector: history, playback, and the audit entry for that very viewing.
        browser.driver.findElement(By.id("sign-out")).click();
        browser.waitFor(By.id("username"));
        browser.signIn("inspector", TestBroker.PASSWORD);
        browser.open("/portal/history");
        browser.waitFor(By.cssSelector("tr[data-session-id='" + sessionId + "'] a")).click();
        browser.waitFor(By.id("play"));
        // Keyboard seek: End jumps to the end of the recording, Home back to its start.
        browser.driver.findElement(By.id("seek")).sendKeys(Keys.END);
        browser.waitForText(By.id("terminal"), "firmware AXC-4.12.7");
        browser.driver.findElement(By.id("seek")).sendKeys(Keys.HOME);
        new org.openqa.selenium.support.ui.WebDriverWait(browser.driver, Duration.ofSeconds(5))
                .until(d -> !d.findElement(By.id("terminal")).getText().contains("firmware"));
        new Select(browser.driver.findElement(By.id("speed"))).selectByValue("8");
        browser.driver.findElement(By.id("play")).click();
        browser.waitForText(By.id("terminal"), "firmware AXC-4.12.7");
        assertThat(browser.driver.findElement(By.id("timeline")).getText()).contains("session.terminate-requested");
        browser.assertAccessible("playback");
        browser.screenshot("08-playback");

        browser.open("/portal/audit");
        browser.waitFor(By.id("action")).sendKeys("session.playback-started");
        browser.driver.findElement(By.id("search")).click();
        browser.waitFor(By.cssSelector("tr[data-action='session.playback-started']"));
        assertThat(browser.driver.findElement(By.cssSelector("tr[data-action='session.playback-started']")).getText())
                .contains("inspector", sessionId);
        browser.assertAccessible("audit search");
        browser.screenshot("09-audit-playback-entry");
        assertThat(b.get("inspector", "/api/audit?action=session.live-view-started").json().get(0).get("actor").asText()).isEqualTo("supervisor");

        // Recordings are for the site's supervisors, inspectors and admins only; a refusal is audited too.
        assertThat(b.get("tech", "/api/sessions/" + sessionId + "/recording").status()).isEqualTo(404);
        assertThat(b.get("supervisor-north", "/api/sessions/" + sessionId + "/recording").status()).isEqualTo(404);
        assertThat(b.get("inspector", "/api/audit?action=session.playback-refused").json()).hasSize(2);

        browser.open("/portal/targets");
        browser.waitForText(By.id("page"), TARGET);
        browser.assertAccessible("targets");
        browser.screenshot("10-targets");
    }
}
