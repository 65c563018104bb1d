package org.sallyport.broker.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.sallyport.fixtures.services.RequiredService;

/**
 * Debian's headless chromium driven by its chromedriver, one fresh profile per instance; axe-core (from the
 * portal's npm dev dependencies) checks accessibility in the page; screenshots go to target/screenshots.
 */
public final class Browser implements AutoCloseable {
    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    public static final Path AXE = Path.of("src/main/frontend/node_modules/axe-core/axe.min.js");
    public static final Path SCREENSHOTS = Path.of("target/screenshots");
    private static final ObjectMapper JSON = new ObjectMapper();

    public final ChromeDriver driver;
    private final String baseUrl;

    /** Skips (or fails under SALLYPORT_REQUIRE_SERVICES=1) when chromium, chromedriver or axe-core is missing. */
    public static void require() {
        RequiredService.require("chromium and chromedriver", Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "apt-get install -y chromium chromium-driver");
        RequiredService.require("axe-core (npm dev dependency)", Files.isRegularFile(AXE), "run the Maven build: it runs npm ci in broker/src/main/frontend");
    }

    public Browser(String baseUrl, Path profile) {
        this.baseUrl = baseUrl;
        ChromeOptions o = new ChromeOptions();
        o.setBinary(CHROMIUM.toFile());
        o.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--window-size=1280,1000", "--user-data-dir=" + profile.toAbsolutePath());
        o.setCapability("goog:loggingPrefs", java.util.Map.of("browser", "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().withLogFile(new File("target/chromedriver.log")).build();
        driver = new ChromeDriver(service, o);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
    }

    public void open(String path) {
        driver.get(baseUrl + path);
    }

    public WebElement waitFor(By by) {
        try {
            return new WebDriverWait(driver, Duration.ofSeconds(15)).until(ExpectedConditions.visibilityOfElementLocated(by));
        } catch (RuntimeException e) {
            dump("failed-wait");
            throw e;
        }
    }

    public void waitForText(By by, String text) {
        try {
            new WebDriverWait(driver, Duration.ofSeconds(20)).until(d -> {
                var els = d.findElements(by);
                return !els.isEmpty() && els.get(0).getText().contains(text);
            });
        } catch (RuntimeException e) {
            dump("failed-wait-text");
            throw e;
        }
    }

    /** Keeps the page (screenshot, DOM, URL) for the test report when a wait fails. */
    private void dump(String name) {
        try {
            screenshot(name);
            Files.writeString(SCREENSHOTS.resolve(name + ".html"), driver.getCurrentUrl() + "\n" + driver.getPageSource());
        } catch (RuntimeException | IOException ignored) {
            // the original failure is what matters
        }
    }

    public void signIn(String user, String password) {
        open("/portal/login");
        waitFor(By.id("username")).sendKeys(user);
        driver.findElement(By.id("password")).sendKeys(password);
        driver.findElement(By.id("sign-in")).click();
        waitFor(By.id("sign-out"));
    }

    public void screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Files.write(SCREENSHOTS.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Asserts the browser logged no Content-Security-Policy refusal since the last call (the page works under the policy). */
    public void assertNoCspViolations(String page) {
        List<String> csp = driver.manage().logs().get(org.openqa.selenium.logging.LogType.BROWSER).getAll().stream()
                .map(org.openqa.selenium.logging.LogEntry::getMessage).filter(m -> m.contains("Content Security Policy")).toList();
        assertThat(csp).as("CSP refusals on " + page).isEmpty();
    }

    /** Runs axe-core on the current page; asserts no serious or critical violation, naming any found. */
    public void assertAccessible(String page) {
        assertNoCspViolations(page);
        try {
            ((JavascriptExecutor) driver).executeScript(Files.readString(AXE));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Object out = ((JavascriptExecutor) driver).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "axe.run(document, {resultTypes: ['violations']}).then(r => done(JSON.stringify(r.violations.map(v => ({"
                        + "id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)})))))"
                        + ".catch(e => done(JSON.stringify([{id: 'axe-error', impact: 'critical', help: String(e), nodes: []}])));");
        List<String> bad = new ArrayList<>();
        try {
            for (JsonNode v : JSON.readTree((String) out)) {
                String impact = v.path("impact").asText();
                if (impact.equals("serious") || impact.equals("critical")) bad.add(v.toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(bad).as("serious/critical axe-core violations on " + page).isEmpty();
    }

    @Override
    public void close() {
        driver.quit();
    }
}
