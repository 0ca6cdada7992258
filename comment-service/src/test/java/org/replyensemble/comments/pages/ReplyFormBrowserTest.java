package org.replyensemble.comments.pages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.replyensemble.comments.CommentServiceTest;
import org.replyensemble.testing.browser.Browsers;
import org.springframework.http.MediaType;

import tools.jackson.databind.json.JsonMapper;

/**
 * The reply form, in a browser with JavaScript turned off: the whole page must work without it.
 */
class ReplyFormBrowserTest extends CommentServiceTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern NEW_COMMENT = Pattern.compile("posted=([0-9a-f-]{36})#comment-([0-9a-f-]{36})$");
    private static WebDriver browser;

    @BeforeAll
    static void openBrowser() {
        browser = Browsers.open(false);
    }

    @AfterAll
    static void closeBrowser() {
        browser.quit();
    }

    @Test
    void aReplyPostedWithoutJavaScriptLandsUnderItsParentAndTheAddressIsNotEchoed() throws Exception {
        UUID postId = givenPost("Form thread");
        String first = comment(postId, "Ann", "ann@example.com", "What do you think?");
        comment(postId, "Bob", "bob@example.com", "A second top-level comment");

        browser.get(url("/posts/slug-" + postId));
        browser.findElement(By.cssSelector("#comment-" + first + " details.reply summary")).click();
        browser.findElement(By.id("name-" + first)).sendKeys("Carla");
        browser.findElement(By.id("email-" + first)).sendKeys("carla@example.com");
        assertThat(browser.findElement(By.id("notify-" + first)).isSelected()).as("email me is checked by default").isTrue();
        browser.findElement(By.id("body-" + first)).sendKeys("I agree.\nSee www.example.org for more.");
        browser.findElement(By.cssSelector("#comment-" + first + " form button[type=submit]")).click();
        awaitPage(page -> NEW_COMMENT.matcher(page.getCurrentUrl()).find());

        Matcher landed = NEW_COMMENT.matcher(browser.getCurrentUrl());
        assertThat(landed.find()).as(browser.getCurrentUrl()).isTrue();
        String reply = landed.group(2);
        WebElement article = browser.findElement(By.id("comment-" + reply));
        assertThat(article.getAttribute("class")).contains("indent-1");
        assertThat(article.getText()).contains("Carla", "I agree.", "www.example.org");
        assertThat(article.findElement(By.cssSelector(".notice")).getText())
                .contains("may get an email asking you to confirm the address first");
        assertThat(article.findElement(By.cssSelector(".text a")).getDomAttribute("href")).isEqualTo("https://www.example.org");
        assertThat(browser.getPageSource()).doesNotContain("carla@example.com");
        assertThat(columnOf("select author_email from comment where id = ?::uuid", reply)).containsExactly("carla@example.com");
        assertThat(columnOf("select parent_id::text from comment where id = ?::uuid", reply)).containsExactly(first);
    }

    /**
     * The author's secret stays in the browser that posted (an HttpOnly cookie for the post's pages):
     * that browser, and only that one, is offered Edit and Delete, and a deleted comment keeps its
     * place as "[deleted]" with its replies under it.
     */
    @Test
    void theBrowserThatPostedACommentEditsAndDeletesItAndOthersAreNotOffered() throws Exception {
        UUID postId = givenPost("Second thoughts thread");
        browser.get(url("/posts/slug-" + postId));
        browser.findElement(By.id("name-new")).sendKeys("Gail");
        browser.findElement(By.id("email-new")).sendKeys("gail@example.com");
        browser.findElement(By.id("body-new")).sendKeys("Teh typo");
        browser.findElement(By.cssSelector("#reply form button[type=submit]")).click();
        awaitPage(page -> NEW_COMMENT.matcher(page.getCurrentUrl()).find());
        Matcher landed = NEW_COMMENT.matcher(browser.getCurrentUrl());
        assertThat(landed.find()).isTrue();
        String mine = landed.group(2);
        String reply = comment(postId, "Hal", "hal@example.com", "Answering Gail", mine);

        HttpResponse<String> stranger = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(url("/posts/slug-" + postId))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(stranger.body()).contains("Teh typo").doesNotContain("edit-form").doesNotContain("delete-form");

        browser.findElement(By.cssSelector("#comment-" + mine + " details.edit summary")).click();
        WebElement text = browser.findElement(By.id("edit-" + mine));
        text.clear();
        text.sendKeys("The typo, fixed");
        browser.findElement(By.cssSelector("#comment-" + mine + " form.edit-form button[type=submit]")).click();
        awaitPage(page -> !page.findElements(By.cssSelector("#comment-" + mine + " .edited")).isEmpty());
        assertThat(browser.findElement(By.id("comment-" + mine)).getText())
                .contains("Gail", "The typo, fixed", "edited").doesNotContain("Teh typo");

        browser.findElement(By.cssSelector("#comment-" + mine + " form.delete-form button[type=submit]")).click();
        awaitPage(page -> !page.findElements(By.cssSelector("#comment-" + mine + " .deleted")).isEmpty());
        WebElement deleted = browser.findElement(By.id("comment-" + mine));
        assertThat(deleted.getText()).doesNotContain("Gail").doesNotContain("typo");
        assertThat(deleted.findElements(By.cssSelector("form"))).isEmpty();
        assertThat(browser.findElement(By.id("comment-" + reply)).getText()).contains("Hal", "Answering Gail");
        assertThat(columnOf("select author_name || '|' || body from comment where id = ?::uuid", mine)).containsExactly("[deleted]|");
    }

    @Test
    void invalidInputShowsMessagesNextToTheFieldsAndStoresNothing() throws Exception {
        UUID postId = givenPost("Invalid form thread");
        long before = rows("comment");

        browser.get(url("/posts/slug-" + postId));
        browser.findElement(By.id("name-new")).sendKeys("   ");
        browser.findElement(By.id("email-new")).sendKeys("dora@localhost");
        browser.findElement(By.id("body-new")).sendKeys("  ");
        browser.findElement(By.cssSelector("#reply form button[type=submit]")).click();
        awaitPage(page -> !page.findElements(By.id("name-retry-error")).isEmpty());

        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Your comment was not posted");
        assertThat(browser.findElement(By.id("name-retry-error")).getText()).isEqualTo("Must not be blank.");
        assertThat(browser.findElement(By.id("email-retry-error")).getText()).isEqualTo("Must be a valid email address.");
        assertThat(browser.findElement(By.id("body-retry-error")).getText()).isEqualTo("Must not be blank.");
        assertThat(browser.findElement(By.id("email-retry")).getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(browser.findElement(By.id("email-retry")).getAttribute("value")).isEqualTo("dora@localhost");
        assertThat(rows("comment")).isEqualTo(before);
    }

    @Test
    void aPostClosedMeanwhileSaysSoAndStoresNothing() throws Exception {
        UUID postId = givenPost("Closing thread");
        browser.get(url("/posts/slug-" + postId));
        publish(postState(postId, "Closing thread", false, 2));
        await().atMost(WAIT).until(() -> !replica.find(postId).orElseThrow().commentsOpen());
        long before = rows("comment");

        browser.findElement(By.id("name-new")).sendKeys("Eve");
        browser.findElement(By.id("email-new")).sendKeys("eve@example.com");
        browser.findElement(By.id("body-new")).sendKeys("Too late?");
        browser.findElement(By.cssSelector("#reply form button[type=submit]")).click();
        awaitPage(page -> !page.findElements(By.cssSelector(".problem")).isEmpty());

        assertThat(browser.findElement(By.cssSelector(".problem")).getText())
                .isEqualTo("Comments are closed on this post. Nothing was posted.");
        assertThat(rows("comment")).isEqualTo(before);
        browser.get(url("/posts/slug-" + postId));
        assertThat(browser.findElements(By.cssSelector("form.reply-form"))).isEmpty();
        assertThat(browser.findElement(By.id("reply")).getText()).contains("Comments are closed on this post.");
    }

    /**
     * The reply form needs its page's CSRF token: a post made elsewhere (another site's form, a
     * script) is refused with a page saying what to do, and nothing is stored. The page itself
     * carries the security headers.
     */
    @Test
    void aFormPostWithoutThePagesTokenIsRefusedAndThePageSendsTheSecurityHeaders() throws Exception {
        UUID postId = givenPost("Token thread");
        long before = rows("comment");
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> forged = http.send(HttpRequest.newBuilder(URI.create(url("/posts/slug-" + postId + "/comments")))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("name=Mallory&email=mallory%40example.com&notify=on&body=Hi")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(forged.body()).contains("Please send the form again", "Nothing was changed");
        assertThat(rows("comment")).isEqualTo(before);

        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(url("/posts/slug-" + postId))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(policy -> assertThat(policy)
                .contains("default-src 'none'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'")
                .doesNotContain("unsafe-inline"));
        assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(page.headers().firstValue("Referrer-Policy")).hasValue("strict-origin-when-cross-origin");
        assertThat(page.headers().allValues("Set-Cookie")).anySatisfy(cookie -> assertThat(cookie)
                .startsWith("XSRF-TOKEN=").contains("HttpOnly").contains("SameSite=Strict"));
        assertThat(page.body()).contains("name=\"_csrf\"");
    }

    private String url(String path) {
        return "http://localhost:" + port + path;
    }

    private String comment(UUID postId, String name, String email, String body) throws Exception {
        return comment(postId, name, email, body, null);
    }

    private String comment(UUID postId, String name, String email, String body, String parentId) throws Exception {
        Map<String, Object> comment = new LinkedHashMap<>();
        if (parentId != null) {
            comment.put("parentId", parentId);
        }
        comment.put("author", Map.of("name", name, "email", email));
        comment.put("body", body);
        String answer = mvc.perform(post("/api/posts/{id}/comments", postId).contentType(MediaType.APPLICATION_JSON)
                        .content(JSON.writeValueAsString(comment)))
                .andExpect(status().isCreated()).andReturn().getResponse().getContentAsString();
        return JSON.readTree(answer).get("id").asString();
    }

    /** A click on a submit button returns before Chromium has loaded the answer page: wait for it. */
    /** On a post that holds first-time commenters, the form says the comment waits for approval, and the page does not show it. */
    @Test
    void aHeldCommentFromTheFormWaitsForApprovalAndIsNotShown() throws Exception {
        UUID postId = givenPost("Held form thread");
        jdbc.sql("insert into post_moderation (post_id, hold_first_time_commenters, updated_at, updated_by) values (?, true, now(), 'test')")
                .param(postId).update();
        browser.get(url("/posts/slug-" + postId));
        browser.findElement(By.id("name-new")).sendKeys("Hana");
        browser.findElement(By.id("email-new")).sendKeys("hana@example.com");
        browser.findElement(By.id("body-new")).sendKeys("My first words here");
        browser.findElement(By.cssSelector("#reply form button[type=submit]")).click();
        awaitPage(page -> page.getCurrentUrl().contains("held=1"));

        assertThat(browser.findElement(By.cssSelector("#reply .notice")).getText()).contains("waits for the post's author to approve it");
        assertThat(browser.getPageSource()).doesNotContain("My first words here").doesNotContain("hana@example.com");
        assertThat(columnOf("select body from held_comment where post_id = ?::uuid", postId.toString()))
                .containsExactly("My first words here");
        assertThat(columnOf("select count(*)::text from comment where post_id = ?::uuid", postId.toString())).containsExactly("0");
    }

    private static void awaitPage(Function<WebDriver, Boolean> loaded) {
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(loaded::apply);
    }
}
