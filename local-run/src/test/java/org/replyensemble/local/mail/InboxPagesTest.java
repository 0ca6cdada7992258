package org.replyensemble.local.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

class InboxPagesTest {

    private static final String ATTACK = "<script>alert('x')</script>\"><img src=x onerror=alert(1)>";

    private final CaughtMail hostile = new CaughtMail(7, Instant.parse("2026-01-02T03:04:05Z"),
            "Blog <" + "noreply@example.org>", "<b>paul</b>@example.org", "Re: " + ATTACK,
            "<a@b>", "<parent@b>", "<root@b>", "<https://x/unsubscribe?token=a&b=\"c\">", "List-Unsubscribe=One-Click",
            "text " + ATTACK, "<p onclick=\"steal()\">html</p>" + ATTACK);

    @Test
    void escapesEverythingItPrints() {
        assertThat(Html.escape("<a href=\"x\">'&'</a>")).isEqualTo("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
        assertThat(Html.escape(null)).isEmpty();

        String list = InboxPages.list(List.of(hostile));
        String page = InboxPages.message(hostile);
        for (String html : List.of(list, page)) {
            assertThat(html).doesNotContain("<script>", "<img", "<b>paul", "onclick")
                    .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
        }
        assertThat(list).contains("&lt;b&gt;paul&lt;/b&gt;@example.org").contains("href=\"/messages/7\"");
        assertThat(page).contains("&lt;parent@b&gt;", "&lt;https://x/unsubscribe?token=a&amp;b=&quot;c&quot;&gt;",
                "List-Unsubscribe=One-Click", "&lt;a@b&gt;");
    }

    @Test
    void showsTheHtmlPartOnlyInASandboxedFrame() {
        String page = InboxPages.message(hostile);
        assertThat(page).contains("<iframe sandbox=\"\"").contains("src=\"/messages/7/html\"");
        assertThat(page).contains("<pre>text &lt;script&gt;");
    }

    @Test
    void saysWhenThereIsNoMailOrNoPart() {
        assertThat(InboxPages.list(List.of())).contains("No mail yet");
        CaughtMail plain = new CaughtMail(1, Instant.now(), "a@example.org", "b@example.org", "hi",
                null, null, null, null, null, "just text", null);
        assertThat(InboxPages.message(plain)).contains("No HTML part").doesNotContain("<iframe");
    }
}
