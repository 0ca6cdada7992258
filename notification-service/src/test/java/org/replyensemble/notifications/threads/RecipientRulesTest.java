package org.replyensemble.notifications.threads;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.replyensemble.notifications.preferences.ThreadMode;
import org.replyensemble.notifications.threads.RecipientRules.Candidate;
import org.replyensemble.notifications.threads.RecipientRules.Recipient;
import org.replyensemble.notifications.threads.RecipientRules.Reply;

class RecipientRulesTest {

    private static final String POST_AUTHOR = "olga@example.org";

    private static Candidate author() {
        return Candidate.subscribed(POST_AUTHOR, "Olga", 0);
    }

    private static Candidate wrote(int position, String name, String email) {
        return Candidate.subscribed(email, name, position);
    }

    private static Candidate withMode(Candidate c, ThreadMode mode) {
        return new Candidate(c.email(), c.name(), c.subscribed(), c.position(), c.confirmed(), c.mailEnabled(), c.suppressed(), mode);
    }

    private static Reply reply(String authorEmail, String parentAuthorEmail) {
        return new Reply(authorEmail, parentAuthorEmail, POST_AUTHOR);
    }

    private static Recipient sent(String email, String name, Reason reason) {
        return new Recipient(email, name, reason, false);
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
        Candidate fromThread = withMode(wrote(1, "Ann", "ann@example.org"), ThreadMode.NONE);
        Candidate fromEverything = new Candidate("bob@example.org", "Bob", true, 2, true, false, false, ThreadMode.EVERY_REPLY);

        List<Recipient> recipients = RecipientRules.recipients(reply("zoe@example.org", null),
                List.of(author(), fromThread, fromEverything, wrote(3, "Cy", "cy@example.org")));

        assertThat(recipients).extracting(Recipient::email).containsExactly(POST_AUTHOR, "cy@example.org");
    }

    /** notify:false means "this comment does not subscribe me": it never takes back an earlier subscription. */
    @Test
    void aCommentWithoutNotifyNeitherSubscribesNorUnsubscribes() {
        Candidate annOn = wrote(1, "Ann", "ann@example.org");
        Candidate annOffLater = new Candidate("ann@example.org", "Ann", false, 3, true, true, false, ThreadMode.EVERY_REPLY);
        Candidate bobOnlyOff = new Candidate("bob@example.org", "Bob", false, 2, true, true, false, ThreadMode.EVERY_REPLY);

        List<Recipient> recipients = RecipientRules.recipients(reply("zoe@example.org", null),
                List.of(author(), annOn, bobOnlyOff, annOffLater));

        assertThat(recipients).extracting(Recipient::email).containsExactly(POST_AUTHOR, "ann@example.org");
    }

    @Test
    void aDirectReplySaysSoAndEveryoneElseGetsAThreadUpdate() {
        List<Recipient> recipients = RecipientRules.recipients(reply("paul@example.org", "ANN@example.org"),
                List.of(author(), wrote(1, "Ann", "ann@example.org"), wrote(2, "Bob", "bob@example.org")));

        assertThat(recipients).containsExactly(
                sent(POST_AUTHOR, "Olga", Reason.POST_AUTHOR),
                sent("ann@example.org", "Ann", Reason.DIRECT_REPLY),
                sent("bob@example.org", "Bob", Reason.PARTICIPANT));
    }

    @Test
    void aReplyToThePostAuthorsCommentIsADirectReply() {
        List<Recipient> recipients = RecipientRules.recipients(reply("paul@example.org", POST_AUTHOR),
                List.of(author(), wrote(1, "Olga", POST_AUTHOR)));

        assertThat(recipients).containsExactly(sent(POST_AUTHOR, "Olga", Reason.DIRECT_REPLY));
    }

    @Test
    void thePostAuthorIsIncludedUnlessTheyWroteTheComment() {
        List<Candidate> thread = List.of(author(), wrote(1, "Ann", "ann@example.org"));

        assertThat(RecipientRules.recipients(reply("ann@example.org", null), thread))
                .containsExactly(sent(POST_AUTHOR, "Olga", Reason.POST_AUTHOR));
        assertThat(RecipientRules.recipients(reply(" OLGA@example.org", null), thread))
                .containsExactly(sent("ann@example.org", "Ann", Reason.PARTICIPANT));
    }

    @Test
    void theFirstCommentOnlyReachesThePostAuthor() {
        assertThat(RecipientRules.recipients(reply("ann@example.org", null), List.of(author())))
                .containsExactly(sent(POST_AUTHOR, "Olga", Reason.POST_AUTHOR));
    }

    @Test
    void onlyDirectRepliesReachSomeoneWhoChoseSo() {
        Candidate ann = withMode(wrote(1, "Ann", "ann@example.org"), ThreadMode.DIRECT_REPLIES_ONLY);
        List<Candidate> thread = List.of(author(), ann, wrote(2, "Bob", "bob@example.org"));

        assertThat(RecipientRules.recipients(reply("paul@example.org", "bob@example.org"), thread))
                .extracting(Recipient::email).containsExactly(POST_AUTHOR, "bob@example.org");
        assertThat(RecipientRules.recipients(reply("paul@example.org", "ann@example.org"), thread))
                .contains(sent("ann@example.org", "Ann", Reason.DIRECT_REPLY));
    }

    /** Held, not left out: the email waits for the owner to confirm, so the delivery rows do not depend on when they do. */
    @Test
    void anUnconfirmedAddressIsHeld() {
        Candidate unconfirmed = new Candidate("ann@example.org", "Ann", true, 1, false, true, false, ThreadMode.EVERY_REPLY);

        assertThat(RecipientRules.recipients(reply("bob@example.org", "ann@example.org"), List.of(author(), unconfirmed)))
                .containsExactly(sent(POST_AUTHOR, "Olga", Reason.POST_AUTHOR),
                        new Recipient("ann@example.org", "Ann", Reason.DIRECT_REPLY, true));
    }

    @Test
    void aSuppressedAddressGetsNothingNotEvenADirectReply() {
        Candidate bounced = new Candidate("ann@example.org", "Ann", true, 1, true, true, true, ThreadMode.EVERY_REPLY);
        Candidate unconfirmedAndSuppressed = new Candidate("bob@example.org", "Bob", true, 2, false, true, true,
                ThreadMode.EVERY_REPLY);

        assertThat(RecipientRules.recipients(reply("cy@example.org", "ann@example.org"),
                List.of(author(), bounced, unconfirmedAndSuppressed)))
                .extracting(Recipient::email).containsExactly(POST_AUTHOR);
    }
}
