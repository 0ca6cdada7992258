package org.replyensemble.faults;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * What a test posted on one thread, and the emails the rules (DESIGN.md, "Who gets an email,
 * exactly") give for it: for the comment at position p, the post's author and every author of
 * a comment before p, minus the comment's own author, one email per address. Every test author
 * asks to be notified, has their address confirmed before their first comment
 * ({@link FaultEnsemble#confirmAddress}) and nobody unsubscribes, so that is the whole rule here.
 */
final class ThreadLog {

    record Posted(UUID commentId, int position, String authorEmail) {
    }

    private final UUID postId;
    private final String postAuthorEmail;
    private final List<Posted> comments = new ArrayList<>();

    ThreadLog(UUID postId, String postAuthorEmail) {
        this.postId = postId;
        this.postAuthorEmail = postAuthorEmail.toLowerCase();
    }

    UUID postId() {
        return postId;
    }

    synchronized void add(Posted comment) {
        comments.add(comment);
    }

    synchronized List<Posted> comments() {
        return comments.stream().sorted(Comparator.comparingInt(Posted::position)).toList();
    }

    synchronized Set<UUID> commentIds() {
        Set<UUID> ids = new HashSet<>();
        comments.forEach(c -> ids.add(c.commentId()));
        return ids;
    }

    synchronized Set<Email> expectedEmails() {
        Set<Email> emails = new HashSet<>();
        Set<String> before = new HashSet<>();
        before.add(postAuthorEmail);
        for (Posted comment : comments()) {
            for (String recipient : before) {
                if (!recipient.equals(comment.authorEmail())) {
                    emails.add(new Email(comment.commentId(), recipient));
                }
            }
            before.add(comment.authorEmail());
        }
        return emails;
    }

    static Set<Email> expectedEmails(List<ThreadLog> threads) {
        Set<Email> all = new HashSet<>();
        threads.forEach(t -> all.addAll(t.expectedEmails()));
        return all;
    }

    static Set<UUID> commentIds(List<ThreadLog> threads) {
        Set<UUID> all = new HashSet<>();
        threads.forEach(t -> all.addAll(t.commentIds()));
        return all;
    }

    static int commentCount(List<ThreadLog> threads) {
        return threads.stream().mapToInt(t -> t.commentIds().size()).sum();
    }
}
