package org.replyensemble.notifications.threads;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.replyensemble.notifications.addresses.Addresses;

/**
 * Who gets an email about a new comment (DESIGN.md, "Who gets an email, exactly"), as a pure
 * function: no database, no clock, so the rules are tested in milliseconds and the result cannot
 * depend on timing.
 *
 * <p>The database already hands over one row per address (the latest one), page by page; the
 * rules deduplicate again anyway, so they hold whatever the caller passes.
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
     * Someone who wrote before the new comment: the post's author counts as position 0. {@code wantsEmail}
     * is the notify flag of that comment; {@code unsubscribed} means from this post or from everything.
     */
    public record Candidate(String email, String name, boolean wantsEmail, int position, boolean unsubscribed) {
    }

    public record Recipient(String email, String name, Reason reason) {
    }

    public static List<Recipient> recipients(Reply reply, List<Candidate> candidates) {
        Map<String, Candidate> latestByAddress = new LinkedHashMap<>();
        for (Candidate candidate : candidates) {
            String address = Addresses.normalize(candidate.email());
            latestByAddress.merge(address, candidate, RecipientRules::latest);
        }
        List<Recipient> recipients = new ArrayList<>();
        latestByAddress.forEach((address, candidate) -> {
            if (address.equals(reply.authorEmail()) || !candidate.wantsEmail() || candidate.unsubscribed()) {
                return;
            }
            recipients.add(new Recipient(address, candidate.name(), reasonFor(address, reply)));
        });
        return recipients;
    }

    /** The latest comment's name and notify flag win; an unsubscription holds whichever row carries it. */
    private static Candidate latest(Candidate a, Candidate b) {
        Candidate later = b.position() >= a.position() ? b : a;
        boolean unsubscribed = a.unsubscribed() || b.unsubscribed();
        return new Candidate(later.email(), later.name(), later.wantsEmail(), later.position(), unsubscribed);
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
