package org.replyensemble.notifications.threads;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.replyensemble.notifications.threads.RecipientRules.Candidate;
import org.replyensemble.notifications.threads.RecipientRules.Recipient;
import org.replyensemble.notifications.threads.RecipientRules.Reply;

class RecipientRulesTest {

    private static final String POST_AUTHOR = "olga@example.org";

    private static Candidate author() {
        return new Candidate(POST_AUTHOR, "Olga", true, 0, false);
    }

    private static Candidate wrote(int position, String name, String email) {
        return new Candidate(email, name, true, position, false);
    }

    private static Reply reply(String authorEmail, String parentAuthorEmail) {
        return new Reply(authorEmail, parentAuthorEmail, POST_AUTHOR);
    }

    @Test
    void theCommenterNeverGetsTheirOwnComment() {
        List<Recipient> recipients = RecipientRules.recipients(reply("paul@example.org", null),
                List.of(author(), wrote(1, "Paul", "paul@example.org"), wrote(2, "Ann", "ann@example.org")));

        assertThat(recipients).extracting(Recipient::email).containsExactly(POST_AUTHOR, "ann@example.org");
    }

    @Test
    void onePersonGetsOneEmailHoweverOftenTheyCommented() {
        List<Recipient> recipients = RecipientRules.recipients(reply("zoe@example.org", null),
                List.of(author(), wrote(1, "Ann", "ann@example.org"), wrote(2, "Ann", "ann@example.org"),
                        wrote(3, "Annie", "ann@example.org")));

        assertThat(recipients).extracting(Recipient::email).containsExactly(POST_AUTHOR, "ann@example.org");
        assertThat(recipients.get(1).name()).isEqualTo("Annie");
    }

    @Test
    void addressesCompareTrimmedAndCaseInsensitively() {
        List<Recipient> recipients = RecipientRules.recipients(reply(" Paul@Example.ORG ", null),
                List.of(author(), wrote(1, "Ann", "Ann@Example.org"), wrote(2, "Ann", " ann@example.org "),
                        wrote(3, "Paul", "paul@example.org")));

        assertThat(recipients).extracting(Recipient::email).containsExactly(POST_AUTHOR, "ann@example.org");
    }

    @Test
    void unsubscribedPeopleAreLeftOut() {
        Candidate fromThread = new Candidate("ann@example.org", "Ann", true, 1, true);
        Candidate fromEverything = new Candidate("bob@example.org", "Bob", true, 2, true);

        List<Recipient> recipients = RecipientRules.recipients(reply("zoe@example.org", null),
                List.of(author(), fromThread, fromEverything, wrote(3, "Cy", "cy@example.org")));

        assertThat(recipients).extracting(Recipient::email).containsExactly(POST_AUTHOR, "cy@example.org");
    }

    @Test
    void theLatestNotifyFlagWins() {
        Candidate annOff = new Candidate("ann@example.org", "Ann", false, 1, false);
        Candidate annOnAgain = new Candidate("ann@example.org", "Ann", true, 3, false);
        Candidate bobOn = new Candidate("bob@example.org", "Bob", true, 2, false);
        Candidate bobOff = new Candidate("bob@example.org", "Bob", false, 4, false);

        List<Recipient> recipients = RecipientRules.recipients(reply("zoe@example.org", null),
                List.of(author(), annOff, bobOn, annOnAgain, bobOff));

        assertThat(recipients).extracting(Recipient::email).containsExactly(POST_AUTHOR, "ann@example.org");
    }

    @Test
    void aDirectReplySaysSoAndEveryoneElseGetsAThreadUpdate() {
        List<Recipient> recipients = RecipientRules.recipients(reply("paul@example.org", "ANN@example.org"),
                List.of(author(), wrote(1, "Ann", "ann@example.org"), wrote(2, "Bob", "bob@example.org")));

        assertThat(recipients).containsExactly(
                new Recipient(POST_AUTHOR, "Olga", Reason.POST_AUTHOR),
                new Recipient("ann@example.org", "Ann", Reason.DIRECT_REPLY),
                new Recipient("bob@example.org", "Bob", Reason.PARTICIPANT));
    }

    @Test
    void aReplyToThePostAuthorsCommentIsADirectReply() {
        List<Recipient> recipients = RecipientRules.recipients(reply("paul@example.org", POST_AUTHOR),
                List.of(author(), wrote(1, "Olga", POST_AUTHOR)));

        assertThat(recipients).containsExactly(new Recipient(POST_AUTHOR, "Olga", Reason.DIRECT_REPLY));
    }

    @Test
    void thePostAuthorIsIncludedUnlessTheyWroteTheComment() {
        List<Candidate> thread = List.of(author(), wrote(1, "Ann", "ann@example.org"));

        assertThat(RecipientRules.recipients(reply("ann@example.org", null), thread))
                .containsExactly(new Recipient(POST_AUTHOR, "Olga", Reason.POST_AUTHOR));
        assertThat(RecipientRules.recipients(reply(" OLGA@example.org", null), thread))
                .containsExactly(new Recipient("ann@example.org", "Ann", Reason.PARTICIPANT));
    }

    @Test
    void theFirstCommentOnlyReachesThePostAuthor() {
        assertThat(RecipientRules.recipients(reply("ann@example.org", null), List.of(author())))
                .containsExactly(new Recipient(POST_AUTHOR, "Olga", Reason.POST_AUTHOR));
    }
}
