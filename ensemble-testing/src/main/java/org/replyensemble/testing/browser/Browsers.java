package org.replyensemble.testing.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

import org.htmlunit.BrowserVersion;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.htmlunit.HtmlUnitDriver;
import org.springframework.util.FileSystemUtils;

/**
 * The browser of the page tests, one per test class: headless Chromium where the machine has
 * Debian's {@code chromium} and {@code chromium-driver} (what {@code .ci/run} installs), HtmlUnit
 * otherwise. The same test code runs in either, so no page test is ever skipped for want of a
 * browser. {@code -Dbrowser=htmlunit} (or {@code chromium}) forces one; forcing Chromium where it
 * is missing fails, it does not fall back.
 *
 * <p>Chromium is used as installed: its driver path is given, so Selenium Manager never tries to
 * download a browser or a driver (no such download works here).
 */
public final class Browsers {

    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    public enum Kind { CHROMIUM, HTMLUNIT }

    private Browsers() {
    }

    /** Which browser {@link #open} starts on this machine. */
    public static Kind kind() {
        String forced = System.getProperty("browser", "").strip().toLowerCase(Locale.ROOT);
        return switch (forced) {
            case "htmlunit" -> Kind.HTMLUNIT;
            case "chromium", "chrome" -> Kind.CHROMIUM;
            case "", "auto" -> Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER) ? Kind.CHROMIUM : Kind.HTMLUNIT;
            default -> throw new IllegalArgumentException("-Dbrowser=" + forced + ": use chromium, htmlunit or auto");
        };
    }

    /** A browser with JavaScript on, as most readers have it. */
    public static WebDriver open() {
        return open(true);
    }

    /** @param javascript false: a reader who turned scripts off; every page must still work */
    public static WebDriver open(boolean javascript) {
        return kind() == Kind.CHROMIUM ? chromium(javascript) : htmlUnit(javascript);
    }

    private static WebDriver htmlUnit(boolean javascript) {
        HtmlUnitDriver driver = new HtmlUnitDriver(BrowserVersion.FIREFOX, javascript);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        return driver;
    }

    private static WebDriver chromium(boolean javascript) {
        Path profile;
        try {
            profile = Files.createTempDirectory("chromium-profile");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,1000", "--user-data-dir=" + profile);
        if (!javascript) {
            options.setExperimentalOption("prefs", Map.of("profile.managed_default_content_settings.javascript", 2));
        }
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options) {
            @Override
            public void quit() {
                // Each browser's profile lives as long as the browser: a test machine keeps no pile of them.
                try {
                    super.quit();
                } finally {
                    try {
                        FileSystemUtils.deleteRecursively(profile);
                    } catch (IOException e) {
                        System.err.println("could not delete the browser profile " + profile + ": " + e);
                    }
                }
            }
        };
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        return driver;
    }
}
