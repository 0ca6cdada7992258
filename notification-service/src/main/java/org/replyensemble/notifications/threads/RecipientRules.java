package org.replyensemble.notifications.threads;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.replyensemble.notifications.addresses.Addresses;
import org.replyensemble.notifications.preferences.ThreadMode;

/**
 * Who gets an email about a new comment (README, "Who gets an email"), as a pure function: no
 * database, no clock, so the rules are tested in milliseconds and the result cannot depend on
 * timing.
 *
 * <p>Candidates are the thread's participants before the comment: the post's author and every
 * earlier commenter. A participant is subscribed when one of their comments (or the authorship)
 * asked for replies; a comment with notify:false does not subscribe its author, and never
 * unsubscribes anyone (that takes the mailed links). What a candidate receives is their owner's
 * choice only: the thread's mode, the global on/off, and suppression.
 *
 * <p>An unconfirmed address is still a recipient, but held: its email waits for the owner to
 * confirm and is dropped if they do not. So the delivery rows do not depend on when anybody
 * confirmed, only their status does.
 *
 * <p>The database already hands over one row per address, page by page; the rules deduplicate
 * again anyway, so they hold whatever the caller passes.
 */
public final class RecipientRules {

    private RecipientRules() {
    }

    /** The new comment: its author, the author of the comment it answers (if any), the post's author. */
    public record Reply(String authorEmail, String parentAuthorEmail, String postAuthorEmail) {
        public Reply {
            authorEmail = Addresses.normalize(authorEmail);
            parentAuthorEmail = Addresses.normalize(parentAuthorEmail);
            postAuthorEmail = Addresses.normalize(postAuthorEmail);
        }
    }

    /**
     * A participant before the new comment (the post's author counts as position 0) and what its
     * owner proved and chose.
     *
     * @param name        the greeting name of the address (recorded when it was confirmed)
     * @param subscribed  one of their comments in this thread, or the authorship, asked for replies
     * @param confirmed   the owner confirmed the address (or it is a post author's)
     * @param mailEnabled false: unsubscribed from everything
     * @param suppressed  hard bounces, or the owner said "never email me"
     * @param mode        the owner's choice for this thread
     */
    public record Candidate(String email, String name, boolean subscribed, int position, boolean confirmed,
                            boolean mailEnabled, boolean suppressed, ThreadMode mode) {

        /** A confirmed, subscribed participant who chose nothing special. */
        public static Candidate subscribed(String email, String name, int position) {
            return new Candidate(email, name, true, position, true, true, false, ThreadMode.EVERY_REPLY);
        }
    }

    /** @param held the address is not confirmed yet: the email waits for its owner */
    public record Recipient(String email, String name, Reason reason, boolean held) {
    }

    public static List<Recipient> recipients(Reply reply, List<Candidate> candidates) {
        Map<String, Candidate> byAddress = new LinkedHashMap<>();
        for (Candidate candidate : candidates) {
            byAddress.merge(Addresses.normalize(candidate.email()), candidate, RecipientRules::merged);
        }
        List<Recipient> recipients = new ArrayList<>();
        byAddress.forEach((address, candidate) -> {
            if (address.equals(reply.authorEmail()) || !candidate.subscribed() || candidate.suppressed()
                    || !candidate.mailEnabled() || candidate.mode() == ThreadMode.NONE) {
                return;
            }
            Reason reason = reasonFor(address, reply);
            if (candidate.mode() == ThreadMode.DIRECT_REPLIES_ONLY && reason != Reason.DIRECT_REPLY) {
                return;
            }
            recipients.add(new Recipient(address, candidate.name(), reason, !candidate.confirmed()));
        });
        return recipients;
    }

    /**
     * Two rows for one address: subscribed if either is (notify:false never unsubscribes); the
     * later row's name; the owner's state is the address's, so whichever row says "stop" wins.
     */
    private static Candidate merged(Candidate a, Candidate b) {
        Candidate later = b.position() >= a.position() ? b : a;
        ThreadMode mode = a.mode() == ThreadMode.NONE || b.mode() == ThreadMode.NONE ? ThreadMode.NONE
                : a.mode() == ThreadMode.DIRECT_REPLIES_ONLY || b.mode() == ThreadMode.DIRECT_REPLIES_ONLY
                        ? ThreadMode.DIRECT_REPLIES_ONLY : ThreadMode.EVERY_REPLY;
        return new Candidate(later.email(), later.name(), a.subscribed() || b.subscribed(), later.position(),
                a.confirmed() && b.confirmed(), a.mailEnabled() && b.mailEnabled(), a.suppressed() || b.suppressed(), mode);
    }

    private static Reason reasonFor(String address, Reply reply) {
        if (address.equals(reply.parentAuthorEmail())) {
            return Reason.DIRECT_REPLY;
        }
        if (address.equals(reply.postAuthorEmail())) {
            return Reason.POST_AUTHOR;
        }
        return Reason.PARTICIPANT;
    }
}
