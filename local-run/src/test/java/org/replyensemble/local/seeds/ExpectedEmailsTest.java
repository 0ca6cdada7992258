package org.replyensemble.local.seeds;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.junit.jupiter.api.Test;

import org.replyensemble.local.seeds.ExpectedEmails.Email;
import org.replyensemble.local.seeds.ExpectedEmails.Kind;

class ExpectedEmailsTest {

    private final ExpectedEmails expected = ExpectedEmails.read(SeedFiles.expectedEmails());
    private final SeedThread thread = SeedThread.read(SeedFiles.thread());

    @Test
    void sixtyEmailsNoneForTheFirstTwoComments() {
        assertThat(expected.size()).isEqualTo(60);
        assertThat(expected.forComment(1)).isEmpty();
        assertThat(expected.forComment(2)).isEmpty();
        assertThat(expected.forComment(16)).containsExactly(
                new Email(16, "arrow.durfee@example.org", Kind.DIRECT_REPLY),
                new Email(16, "star@example.org", Kind.THREAD_UPDATE),
                new Email(16, "paul@example.org", Kind.THREAD_UPDATE),
                new Email(16, "chuck@example.org", Kind.THREAD_UPDATE),
                new Email(16, "jack.avery@example.org", Kind.THREAD_UPDATE),
                new Email(16, "jane.perry@example.org", Kind.THREAD_UPDATE),
                new Email(16, "moonglow@example.org", Kind.THREAD_UPDATE));
        assertThat(expected.byCommentRef()).containsOnlyKeys(3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16);
    }

    /** The file is the rules applied to the seed thread: the post's author and every earlier author, minus the writer. */
    @Test
    void isWhatTheRulesGiveForTheSeedThread() {
        List<Email> derived = new ArrayList<>();
        List<SeedThread.Comment> comments = thread.comments();
        for (int i = 0; i < comments.size(); i++) {
            SeedThread.Comment c = comments.get(i);
            Set<String> recipients = new LinkedHashSet<>();
            recipients.add(normalize(thread.post().author().email()));
            comments.subList(0, i).forEach(earlier -> recipients.add(normalize(earlier.author().email())));
            recipients.remove(normalize(c.author().email()));
            String parentAuthor = c.parentRef() == null ? null : normalize(thread.comment(c.parentRef()).author().email());
            recipients.forEach(r -> derived.add(new Email(c.ref(), r, r.equals(parentAuthor) ? Kind.DIRECT_REPLY : Kind.THREAD_UPDATE)));
        }
        assertThat(expected.emails()).containsExactlyElementsOf(derived);
    }

    private static String normalize(String address) {
        return address.trim().toLowerCase(Locale.ROOT);
    }
}
