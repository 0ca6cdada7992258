package org.replyensemble.local.seeds;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import tools.jackson.databind.json.JsonMapper;

/**
 * The reference answer for a seed thread: every email the notification rules give, as
 * (comment ref, recipient address, kind), in comment order (seeds/*.expected.json): the reply
 * emails, and the confirmation email each commenter's first comment asks for (the post's author
 * is confirmed as the author, so gets none). With flood control on
 * (seeds/*.flood-control.expected.json) the emails sent at once, and the summaries: per recipient, the
 * comments one summary email carries, sent when the window closes.
 */
public record ExpectedEmails(List<Email> emails, List<Summary> summaries) {

    /** The per-comment rules: the replay with flood control off. */
    public static final String DEFAULT_FILE = "seeds/vitamin-k2-thread.expected.json";
    /** The same thread with the default flood control on (3 thread updates at once per recipient and 10-minute window). */
    public static final String FLOOD_CONTROL_FILE = "seeds/vitamin-k2-thread.flood-control.expected.json";

    public ExpectedEmails {
        emails = List.copyOf(emails);
        summaries = summaries == null ? List.of() : List.copyOf(summaries);
    }

    public ExpectedEmails(List<Email> emails) {
        this(emails, List.of());
    }

    /** One summary email to {@code recipient}, carrying these comments (their thread updates past the limit). */
    public record Summary(String recipient, List<Integer> commentRefs) {
        public Summary {
            commentRefs = List.copyOf(commentRefs);
        }
    }

    public enum Kind {
        /** The comment answers a comment written by the recipient. */
        DIRECT_REPLY,
        /** Anything else: the recipient takes part in the thread. */
        THREAD_UPDATE,
        /** The recipient wrote the comment, with an address not confirmed yet: "confirm your address". */
        CONFIRMATION
    }

    public record Email(int commentRef, String recipient, Kind kind) {
    }

    public static ExpectedEmails read(Path file) {
        try {
            return JsonMapper.builder().build().readValue(Files.readString(file), ExpectedEmails.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read expected emails " + file, e);
        }
    }

    public int size() {
        return emails.size();
    }

    /** The reply emails (direct replies and thread updates), without the confirmation emails. */
    public List<Email> notifications() {
        return emails.stream().filter(e -> e.kind() != Kind.CONFIRMATION).toList();
    }

    public List<Email> confirmations() {
        return emails.stream().filter(e -> e.kind() == Kind.CONFIRMATION).toList();
    }

    public List<Email> forComment(int commentRef) {
        return emails.stream().filter(e -> e.commentRef() == commentRef).toList();
    }

    /** The emails grouped by comment ref, in comment order. */
    public Map<Integer, List<Email>> byCommentRef() {
        return emails.stream().collect(Collectors.groupingBy(Email::commentRef, LinkedHashMap::new, Collectors.toList()));
    }
}
