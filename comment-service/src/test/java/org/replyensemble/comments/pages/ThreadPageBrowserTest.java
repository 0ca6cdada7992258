package org.replyensemble.comments.pages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.replyensemble.comments.CommentServiceTest;
import org.replyensemble.events.Person;
import org.replyensemble.events.PostEvent;
import org.replyensemble.testing.browser.Browsers;
import org.springframework.http.MediaType;

import tools.jackson.databind.json.JsonMapper;

/**
 * The thread page in a real browser (headless Chromium where installed, HtmlUnit otherwise; see
 * {@link Browsers}), as a reader opens it from an email.
 */
class ThreadPageBrowserTest extends CommentServiceTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static WebDriver browser;

    @BeforeAll
    static void openBrowser() {
        browser = Browsers.open();
    }

    @AfterAll
    static void closeBrowser() {
        browser.quit();
    }

    @Test
    void aLateReplyShowsUnderItsParentAndTheEmailLinkOpensThePageThatHoldsTheComment() throws Exception {
        UUID postId = givenPost("A long thread");
        List<String> roots = new ArrayList<>();
        for (int i = 1; i <= ThreadPages.ROOTS_PER_PAGE + 5; i++) {
            roots.add(comment(postId, "Reader " + i, "reader" + i + "@example.com", "Top-level comment " + i, null));
        }
        String first = roots.get(0);
        String second = roots.get(1);
        String late = comment(postId, "Late Larry", "larry@example.com", "A late answer to the first", first);
        String onPageTwo = roots.get(ThreadPages.ROOTS_PER_PAGE + 2);

        browser.get(url("/posts/slug-" + postId));
        List<String> order = browser.findElements(By.cssSelector("article.comment")).stream()
                .map(article -> article.getAttribute("id")).toList();
        assertThat(order).startsWith("comment-" + first, "comment-" + late, "comment-" + second);
        assertThat(browser.findElement(By.id("comment-" + late)).getAttribute("class")).contains("indent-1");
        assertThat(browser.findElement(By.id("comment-" + late)).getCssValue("margin-left")).as("indented under its parent")
                .isNotIn("0px", "0", "");
        assertThat(browser.findElement(By.id("comment-" + first)).getCssValue("margin-left")).isIn("0px", "0");
        assertThat(order).hasSize(ThreadPages.ROOTS_PER_PAGE + 1).doesNotContain("comment-" + onPageTwo);

        // The link every notification email carries now: the id in the path, the page found by the server.
        browser.get(url("/posts/slug-" + postId + "/comments/" + onPageTwo));
        assertThat(browser.getCurrentUrl()).endsWith("/posts/slug-" + postId + "?page=2#comment-" + onPageTwo);
        assertThat(browser.findElement(By.id("comment-" + onPageTwo)).getText()).contains("Top-level comment " + (ThreadPages.ROOTS_PER_PAGE + 3));
        assertThat(browser.getTitle()).isEqualTo("A long thread");

        // A link mailed before the id moved into the path: the page's script asks the server where the comment is.
        browser.get(url("/posts/slug-" + postId + "#comment-" + onPageTwo));
        await().atMost(WAIT).until(() -> browser.getCurrentUrl().endsWith("?page=2#comment-" + onPageTwo));
        assertThat(browser.findElements(By.id("comment-" + onPageTwo))).hasSize(1);
    }

    @Test
    void markupInACommentShowsAsTextAndNoAddressIsInThePageSource() throws Exception {
        UUID postId = givenPost("Markup");
        String attack = "<script>document.title='owned'</script> and <img src=x onerror=\"document.title='owned'\">";
        String id = comment(postId, "Mallory <b>bold</b>", "mallory@example.com", attack + "\nsecond line https://example.org/a_(b).", null);

        browser.get(url("/posts/slug-" + postId));
        WebElement comment = browser.findElement(By.id("comment-" + id));
        assertThat(comment.getText()).contains("<script>document.title='owned'</script>").contains("<img src=x onerror=")
                .contains("Mallory <b>bold</b>");
        assertThat(comment.findElements(By.tagName("img"))).isEmpty();
        assertThat(comment.findElements(By.tagName("b"))).isEmpty();
        assertThat(browser.getTitle()).isEqualTo("Markup");
        WebElement link = comment.findElement(By.cssSelector(".text a"));
        assertThat(link.getDomAttribute("href")).isEqualTo("https://example.org/a_(b)");
        assertThat(link.getAttribute("rel")).isEqualTo("nofollow ugc noopener");
        assertThat(comment.findElements(By.cssSelector(".text br"))).hasSize(1);

        String source = browser.getPageSource();
        assertThat(source).doesNotContain("mallory@example.com").doesNotContain("paula@example.com").doesNotContain("<script>document");
    }

    @Test
    void theHomePageListsThePostsNewestFirstWithTheirCommentCounts() throws Exception {
        UUID older = UUID.randomUUID();
        UUID newer = UUID.randomUUID();
        // Dated ahead of every other test's posts, so they are the first two on the first page.
        publish(new PostEvent.PostState(older, "slug-" + older, "Older post", "Older text", new Person("Olga", "olga@example.com"),
                Instant.parse("2099-01-01T10:00:00Z"), true, 1));
        publish(new PostEvent.PostState(newer, "slug-" + newer, "Newer post", "Newer text", new Person("Nina", "nina@example.com"),
                Instant.parse("2099-01-02T10:00:00Z"), true, 1));
        await().atMost(WAIT).until(() -> replica.find(older).isPresent() && replica.find(newer).isPresent());
        comment(older, "Ann", "ann@example.com", "One", null);
        comment(older, "Bob", "bob@example.com", "Two", null);

        browser.get(url("/"));
        List<WebElement> posts = browser.findElements(By.cssSelector("ol.posts > li"));
        assertThat(posts.get(0).getText()).contains("Newer post", "by Nina", "0 comments", "Newer text");
        assertThat(posts.get(1).getText()).contains("Older post", "by Olga", "2 comments");
        posts.get(1).findElement(By.linkText("Older post")).click();
        assertThat(browser.getCurrentUrl()).endsWith("/posts/slug-" + older);
        assertThat(browser.getPageSource()).doesNotContain("olga@example.com").doesNotContain("nina@example.com");
    }

    @Test
    void aPostTheReplicaHasNotHeardOfIsAFriendly404() throws Exception {
        browser.get(url("/posts/not-here-yet"));
        assertThat(browser.findElement(By.tagName("h1")).getText()).contains("We do not know this post");
        assertThat(browser.getPageSource()).doesNotContain("Exception").doesNotContain("at org.");
        mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get("/posts/not-here-yet")
                .accept(MediaType.TEXT_HTML)).andExpect(status().isNotFound());
    }

    private String url(String path) {
        return "http://localhost:" + port + path;
    }

    private String comment(UUID postId, String name, String email, String body, String parentId) throws Exception {
        Map<String, Object> comment = new LinkedHashMap<>();
        comment.put("author", Map.of("name", name, "email", email));
        comment.put("body", body);
        if (parentId != null) {
            comment.put("parentId", parentId);
        }
        String answer = mvc.perform(post("/api/posts/{id}/comments", postId).contentType(MediaType.APPLICATION_JSON)
                        .content(JSON.writeValueAsString(comment)))
                .andExpect(status().isCreated()).andReturn().getResponse().getContentAsString();
        return JSON.readTree(answer).get("id").asString();
    }
}
