package org.replyensemble.notifications.email;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.replyensemble.notifications.preferences.ThreadMode;
import org.replyensemble.notifications.threads.Reason;

class EmailTemplatesTest {

    private static final EmailTemplates TEMPLATES = new EmailTemplates();
    private static final EmailTemplates.Links LINKS = new EmailTemplates.Links(
            "http://blog.test/posts/k2/comments/1", "http://n.test/settings?token=SETTINGS", "http://n.test/unsubscribe?token=THREAD",
            "http://n.test/unsubscribe?token=ALL");

    private static ReplyEmail email(String commenter, String excerpt, Reason reason) {
        return new ReplyEmail(UUID.randomUUID(), UUID.randomUUID(), "k2", "Vitamin K2 & you", "ann@example.org", "Ann",
                commenter, excerpt, reason, ThreadMode.EVERY_REPLY);
    }

    @Test
    void theHtmlPartEscapesWhatUsersWrote() {
        String html = TEMPLATES.html(email("<script>alert('name')</script>", "<script>alert(1)</script> <b>bold</b>",
                Reason.DIRECT_REPLY), LINKS);

        assertThat(html).doesNotContain("<script>").doesNotContain("<b>bold</b>")
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;")
                .contains("&lt;script&gt;alert(&#39;name&#39;)&lt;/script&gt;")
                .contains("Vitamin K2 &amp; you");
    }

    @Test
    void bothPartsGreetLinkQuoteAndSayWhy() {
        ReplyEmail email = email("Paul", "First line\nSecond line", Reason.DIRECT_REPLY);
        String text = TEMPLATES.text(email, LINKS);
        String html = TEMPLATES.html(email, LINKS);

        assertThat(text).contains("Hello Ann,", "Paul wrote on \"Vitamin K2 & you\"", "> First line", "> Second line",
                LINKS.comment(), "because Paul replied to your comment", LINKS.unsubscribeThread(), LINKS.unsubscribeEverything());
        assertThat(html).contains("Ann", "Paul", "First line", "href=\"http://blog.test/posts/k2/comments/1\"",
                "Paul replied to your comment", "token=THREAD", "token=ALL");
    }

    @Test
    void theFooterSaysWhichModeTheReaderIsInAndLinksToTheSettings() {
        ReplyEmail every = email("Paul", "x", Reason.PARTICIPANT);
        ReplyEmail direct = new ReplyEmail(every.commentId(), every.postId(), "k2", "Vitamin K2 & you", "ann@example.org", "Ann",
                "Paul", "x", Reason.DIRECT_REPLY, ThreadMode.DIRECT_REPLIES_ONLY);

        assertThat(TEMPLATES.text(every, LINKS)).contains("You get an email for every new reply on this post. Change what you get: "
                + LINKS.settings());
        assertThat(TEMPLATES.text(direct, LINKS)).contains("You get only direct replies to your comments on this post.");
        assertThat(TEMPLATES.html(direct, LINKS)).contains("only direct replies to your comments on this post",
                "href=\"http://n.test/settings?token=SETTINGS\"");
    }

    @Test
    void eachReasonIsSaidInWordsAndTheSubjectFollowsIt() {
        assertThat(email("Paul", "x", Reason.DIRECT_REPLY).subject()).isEqualTo("Paul replied to your comment on Vitamin K2 & you");
        assertThat(email("Paul", "x", Reason.PARTICIPANT).subject()).isEqualTo("New reply on Vitamin K2 & you");
        assertThat(TEMPLATES.text(email("Paul", "x", Reason.POST_AUTHOR), LINKS)).contains("because you wrote this post");
        assertThat(TEMPLATES.text(email("Paul", "x", Reason.PARTICIPANT), LINKS)).contains("because you commented on this post");
    }

    @Test
    void theConfirmationEmailQuotesNothingACommenterWrote() {
        ConfirmationEmail email = new ConfirmationEmail(UUID.randomUUID(), UUID.randomUUID(), "Vitamin K2 & you",
                "ann@example.org", "<b>Buy now</b> http://spam.example");
        EmailTemplates.ConfirmationLinks links = new EmailTemplates.ConfirmationLinks("http://n.test/confirm?token=CONFIRM");
        String text = TEMPLATES.text(email, links, 7);
        String html = TEMPLATES.html(email, links, 7);

        assertThat(text).contains("Vitamin K2 & you", "http://n.test/confirm?token=CONFIRM", "7 days")
                .doesNotContain("Buy now").doesNotContain("spam.example");
        assertThat(html).contains("Vitamin K2 &amp; you", "href=\"http://n.test/confirm?token=CONFIRM\"")
                .doesNotContain("Buy now").doesNotContain("spam.example");
    }

    @Test
    void aSummaryListsEachFoldedCommentWithItsAuthorExcerptAndLinkAndEscapesThemInHtml() {
        SummaryEmail summary = new SummaryEmail(UUID.randomUUID(), "k2", "Vitamin K2 & you", "ann@example.org", "Ann",
                java.time.Instant.parse("2026-11-30T10:00:00Z"), java.util.List.of(
                        new SummaryEmail.Update(UUID.randomUUID(), "Paul", "First line\nSecond line"),
                        new SummaryEmail.Update(UUID.randomUUID(), "<b>Eve</b>", "<script>alert(1)</script>")),
                ThreadMode.EVERY_REPLY);
        EmailTemplates.SummaryLinks links = new EmailTemplates.SummaryLinks(
                java.util.List.of("http://blog.test/posts/k2/comments/1", "http://blog.test/posts/k2/comments/2"),
                "http://blog.test/posts/k2/comments/1", "http://n.test/settings?token=SETTINGS", "http://n.test/unsubscribe?token=THREAD", "http://n.test/unsubscribe?token=ALL");

        assertThat(summary.subject()).isEqualTo("2 new replies on Vitamin K2 & you");
        String text = TEMPLATES.text(summary, links);
        assertThat(text).contains("Hello Ann,", "2 new replies on \"Vitamin K2 & you\"", "Paul wrote:", "> First line", "> Second line",
                "Read it and reply: http://blog.test/posts/k2/comments/1", "Read it and reply: http://blog.test/posts/k2/comments/2",
                "replies to your own comments still come at once", "token=SETTINGS", "token=THREAD", "token=ALL");
        assertThat(text.indexOf("Paul wrote:")).isLessThan(text.indexOf("<b>Eve</b> wrote:"));
        assertThat(text).doesNotContain("not listed", "the latest");
        String html = TEMPLATES.html(summary, links);
        assertThat(html).doesNotContain("<script>", "<b>Eve</b>").contains("&lt;b&gt;Eve&lt;/b&gt;", "&lt;script&gt;alert(1)&lt;/script&gt;",
                "href=\"http://blog.test/posts/k2/comments/2\"", "Vitamin K2 &amp; you");
    }

    @Test
    void aSummaryOfManyListsTheLatestAndLeadsToTheFirst() {
        UUID first = UUID.randomUUID();
        SummaryEmail summary = new SummaryEmail(UUID.randomUUID(), "k2", "Vitamin K2 & you", "ann@example.org", "Ann",
                java.time.Instant.parse("2026-11-30T10:00:00Z"), java.util.List.of(
                        new SummaryEmail.Update(UUID.randomUUID(), "Paul", "the 479th"),
                        new SummaryEmail.Update(UUID.randomUUID(), "Eve", "the 480th")),
                480, first, ThreadMode.EVERY_REPLY);
        EmailTemplates.SummaryLinks links = new EmailTemplates.SummaryLinks(
                java.util.List.of("http://blog.test/posts/k2/comments/479", "http://blog.test/posts/k2/comments/480"),
                "http://blog.test/posts/k2/comments/" + first, "http://n.test/settings?token=SETTINGS",
                "http://n.test/unsubscribe?token=THREAD", "http://n.test/unsubscribe?token=ALL");

        assertThat(summary.subject()).isEqualTo("480 new replies on Vitamin K2 & you");
        String text = TEMPLATES.text(summary, links);
        assertThat(text).contains("480 new replies on \"Vitamin K2 & you\" while the thread was busy; the latest 2:",
                "> the 479th", "> the 480th",
                "478 earlier replies are not listed here. Read them all from the first new one: http://blog.test/posts/k2/comments/" + first);
        String html = TEMPLATES.html(summary, links);
        assertThat(html).contains("; the latest 2:", "478 earlier replies are", "href=\"http://blog.test/posts/k2/comments/" + first + "\"");
    }
}
