package org.replyensemble.notifications.settings;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.replyensemble.events.CommentEvent;
import org.replyensemble.notifications.FlowTest;
import org.replyensemble.notifications.ReceivedMail;
import org.replyensemble.testing.browser.Browsers;
import org.springframework.beans.factory.annotation.Value;

/**
 * The settings page as a reader uses it: opened in a real browser from the link in a received
 * email, a choice saved, and the next comments' emails follow it.
 */
class SettingsPageBrowserTest extends FlowTest {

    private static final Pattern SETTINGS_LINK = Pattern.compile("http://localhost:8083(/settings\\?token=[A-Za-z0-9_.-]+)");
    private static WebDriver browser;

    @Value("${local.server.port}")
    int port;

    @BeforeAll
    static void openBrowser() {
        browser = Browsers.open();
    }

    @AfterAll
    static void closeBrowser() {
        browser.quit();
    }

    @Test
    void onlyDirectRepliesThenNothingFromThisThreadChangeWhoGetsTheNextEmail() throws Exception {
        for (String name : List.of("ann", "bob", "carl", "dan", "eve")) {
            confirm(address(name), name.substring(0, 1).toUpperCase() + name.substring(1));
        }
        UUID postId = publishPost("Settings thread", "settings-thread", "Olga", address("olga"));
        CommentEvent ann = publishComment(postId, 1, null, "Ann", address("ann"), true, "Ann's question");
        publishComment(postId, 2, ann.comment().id(), "Bob", address("bob"), true, "Bob answers Ann");
        awaitSettled(postId, 2);
        MimeMessage fromBob = mailTo(address("ann")).get(0);
        assertThat(ReceivedMail.part(fromBob, "text/plain")).contains("You get an email for every new reply on this post.");

        browser.get(local(settingsLink(fromBob)));
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Your reply emails");
        assertThat(browser.findElement(By.id("thread-every")).isSelected()).isTrue();
        assertThat(browser.findElement(By.id("everything-on")).isSelected()).isTrue();
        assertThat(browser.getPageSource()).doesNotContain(address("ann"));
        assertThat(browser.findElement(By.tagName("main")).getText()).as("flood control is off here: no word of summaries")
                .doesNotContain("summary");
        browser.findElement(By.id("thread-direct")).click();
        save();
        assertThat(browser.findElement(By.cssSelector(".notice")).getText()).contains("Saved");
        assertThat(browser.findElement(By.id("thread-direct")).isSelected()).isTrue();

        publishComment(postId, 3, null, "Carl", address("carl"), true, "Carl on the post itself");
        CommentEvent dan = publishComment(postId, 4, ann.comment().id(), "Dan", address("dan"), true, "Dan answers Ann");
        awaitSettled(postId, 4);
        List<MimeMessage> toAnn = mailTo(address("ann"));
        assertThat(toAnn).extracting(ReceivedMail::subject)
                .containsExactly("Bob replied to your comment on Settings thread", "Dan replied to your comment on Settings thread");
        assertThat(ReceivedMail.part(toAnn.get(1), "text/plain"))
                .contains("You get only direct replies to your comments on this post.");

        browser.get(local(settingsLink(toAnn.get(1))));
        assertThat(browser.findElement(By.id("thread-direct")).isSelected()).isTrue();
        browser.findElement(By.id("thread-none")).click();
        save();
        assertThat(browser.findElement(By.id("thread-none")).isSelected()).isTrue();

        publishComment(postId, 5, ann.comment().id(), "Eve", address("eve"), true, "Eve answers Ann");
        publishComment(postId, 6, dan.comment().id(), "Bob", address("bob"), true, "Bob answers Dan");
        awaitSettled(postId, 6);
        assertThat(mailTo(address("ann"))).hasSize(2);
        assertThat(mailTo(address("dan"))).extracting(ReceivedMail::subject).contains("Bob replied to your comment on Settings thread");
    }

    /** Submits the settings form and waits for the answer page: a click returns before Chromium has loaded it. */
    private void save() {
        browser.findElement(By.cssSelector("form.settings button[type=submit]")).click();
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(page -> !page.findElements(By.cssSelector(".notice")).isEmpty());
    }

    @Test
    void everyPageOfThisServiceHasTheSharedLookAndAnInvalidLinkSaysSo() throws Exception {
        browser.get("http://localhost:" + port + "/settings?token=not-a-token");
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("This settings link does not work");
        assertThat(browser.findElement(By.cssSelector("link[rel=stylesheet]")).getDomAttribute("href")).endsWith("/assets/site.css");
        assertThat(browser.findElement(By.tagName("html")).getAttribute("lang")).isEqualTo("en");

        browser.get("http://localhost:" + port + "/unsubscribe?token=not-a-token");
        assertThat(browser.findElement(By.cssSelector("link[rel=stylesheet]")).getDomAttribute("href")).endsWith("/assets/site.css");
        browser.get("http://localhost:" + port + "/assets/site.css");
        assertThat(browser.getPageSource()).contains("prefers-color-scheme: dark");

        // The token is in the URL: no page here may send it on, and none may be framed.
        HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/settings?token=not-a-token")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(policy -> assertThat(policy)
                .contains("default-src 'none'", "frame-ancestors 'none'"));
        assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    }

    private String local(String path) {
        return "http://localhost:" + port + path;
    }

    private static String settingsLink(MimeMessage email) {
        Matcher link = SETTINGS_LINK.matcher(ReceivedMail.part(email, "text/plain"));
        assertThat(link.find()).as("a settings link in the email").isTrue();
        return link.group(1);
    }
}
