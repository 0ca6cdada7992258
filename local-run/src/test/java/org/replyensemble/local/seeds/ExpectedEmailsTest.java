package org.replyensemble.local.seeds;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import org.replyensemble.local.seeds.ExpectedEmails.Email;
import org.replyensemble.local.seeds.ExpectedEmails.Kind;

class ExpectedEmailsTest {

    private final ExpectedEmails expected = ExpectedEmails.read(SeedFiles.expectedEmails());
    private final SeedThread thread = SeedThread.read(SeedFiles.thread());

    @Test
    void sixtyReplyEmailsAndSevenConfirmationsNoneForTheFirstTwoComments() {
        assertThat(expected.size()).isEqualTo(67);
        assertThat(expected.notifications()).hasSize(60);
        assertThat(expected.confirmations()).extracting(Email::recipient).containsExactly("star@example.org", "paul@example.org",
                "chuck@example.org", "jack.avery@example.org", "jane.perry@example.org", "moonglow@example.org",
                "gretchen@example.org");
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

    /**
     * The file is the rules applied to the seed thread: for each comment, the post's author and every
     * earlier author (every one asked for replies), minus the writer; then, for a commenter's first
     * comment, their confirmation email unless they are the post's author. The reply emails to an
     * unconfirmed commenter wait for their confirmation, which the replay gives: so all of them arrive.
     */
    @Test
    void isWhatTheRulesGiveForTheSeedThread() {
        List<Email> derived = new ArrayList<>();
        List<SeedThread.Comment> comments = thread.comments();
        String postAuthor = normalize(thread.post().author().email());
        Set<String> confirmationAsked = new LinkedHashSet<>();
        for (int i = 0; i < comments.size(); i++) {
            SeedThread.Comment c = comments.get(i);
            assertThat(c.notifyMe()).as("comment %d asks for replies", c.ref()).isTrue();
            Set<String> recipients = new LinkedHashSet<>();
            recipients.add(postAuthor);
            comments.subList(0, i).forEach(earlier -> recipients.add(normalize(earlier.author().email())));
            String author = normalize(c.author().email());
            recipients.remove(author);
            String parentAuthor = c.parentRef() == null ? null : normalize(thread.comment(c.parentRef()).author().email());
            recipients.forEach(r -> derived.add(new Email(c.ref(), r, r.equals(parentAuthor) ? Kind.DIRECT_REPLY : Kind.THREAD_UPDATE)));
            if (!author.equals(postAuthor) && confirmationAsked.add(author)) {
                derived.add(new Email(c.ref(), author, Kind.CONFIRMATION));
            }
        }
        assertThat(expected.emails()).containsExactlyElementsOf(derived);
    }

    /**
     * The same thread with the default flood control on: the replay posts its 16 comments within
     * seconds, so each recipient's thread updates fall in one 10-minute window; the first 3 go at
     * once, the rest in one summary per recipient; direct replies go at once and do not count;
     * confirmation emails are unchanged. Every reply email of the per-comment file is either sent at
     * once or carried by a summary, exactly once.
     */
    @Test
    void withFloodControlTheFourthAndLaterUpdatesOfEachRecipientGoInOneSummary() {
        ExpectedEmails folded = ExpectedEmails.read(SeedFiles.floodControlExpectedEmails());
        Map<String, Integer> updates = new HashMap<>();
        List<Email> atOnce = new ArrayList<>();
        Map<String, List<Integer>> summaries = new LinkedHashMap<>();
        for (Email email : expected.emails()) {
            if (email.kind() == Kind.THREAD_UPDATE && updates.merge(email.recipient(), 1, Integer::sum) > 3) {
                summaries.computeIfAbsent(email.recipient(), r -> new ArrayList<>()).add(email.commentRef());
            } else {
                atOnce.add(email);
            }
        }
        assertThat(folded.emails()).containsExactlyElementsOf(atOnce);
        assertThat(folded.summaries()).containsExactlyInAnyOrderElementsOf(summaries.entrySet().stream()
                .map(e -> new ExpectedEmails.Summary(e.getKey(), e.getValue())).toList());

        // 29 reply emails at once and 6 summaries (carrying the other 31) instead of 60; the 7 confirmations stay.
        assertThat(folded.notifications()).hasSize(29);
        assertThat(folded.confirmations()).isEqualTo(expected.confirmations());
        assertThat(folded.summaries()).hasSize(6);
        assertThat(folded.summaries().stream().mapToInt(s -> s.commentRefs().size()).sum()).isEqualTo(31);
        assertThat(folded.notifications()).filteredOn(e -> e.kind() == Kind.DIRECT_REPLY)
                .isEqualTo(expected.notifications().stream().filter(e -> e.kind() == Kind.DIRECT_REPLY).toList());
        assertThat(folded.summaries()).filteredOn(s -> s.recipient().equals("star@example.org")).singleElement()
                .isEqualTo(new ExpectedEmails.Summary("star@example.org", List.of(8, 9, 10, 11, 12, 13, 14, 15, 16)));
    }

    private static String normalize(String address) {
        return address.trim().toLowerCase(Locale.ROOT);
    }
}
