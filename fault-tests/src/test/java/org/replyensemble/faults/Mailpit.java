package org.replyensemble.faults;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.replyensemble.local.mail.CaughtMail;
import tools.jackson.databind.JsonNode;

/**
 * The compose stack's mail catcher, read through Mailpit's HTTP API: only {@code GET
 * /api/v1/messages} (paged, with the fields every Mailpit version lists: {@code ID},
 * {@code MessageID}, {@code To}, {@code Subject}) and {@code GET /api/v1/message/<ID>} for the
 * text of a confirmation email.
 */
final class Mailpit {

    /**
     * The derived Message-IDs name the comment: {@code comment-<uuid>.<address hash>@domain} for a
     * reply email, {@code confirm-<uuid>.<address hash>@domain} for the confirmation email its comment caused.
     */
    private static final Pattern DERIVED_MESSAGE_ID = Pattern.compile("^<?(comment|confirm)-([0-9a-f-]{36})\\.");
    private static final int PAGE = 200;

    record Message(String id, String messageId, String to, String subject) {

        boolean isConfirmation() {
            return kind().equals("confirm");
        }

        /** The comment this message is about: a reply to it, or the confirmation email it caused. */
        UUID commentId() {
            return UUID.fromString(derived().group(2));
        }

        /** The reply email this message is, as the fault tests count them. */
        Email email() {
            if (isConfirmation()) {
                throw new AssertionError("a confirmation email, not a reply email: " + messageId);
            }
            return new Email(commentId(), to.toLowerCase());
        }

        private String kind() {
            return derived().group(1);
        }

        private Matcher derived() {
            Matcher matcher = DERIVED_MESSAGE_ID.matcher(messageId);
            if (!matcher.find()) {
                throw new AssertionError("an email without a derived Message-ID: " + messageId);
            }
            return matcher;
        }
    }

    private final URI base;
    /** A caught message never changes: its text is fetched once. */
    private final Map<String, String> texts = new ConcurrentHashMap<>();

    Mailpit(URI base) {
        this.base = base;
    }

    /** Every message the catcher holds, one per accepted message (a duplicate shows twice). */
    List<Message> messages() {
        List<Message> all = new ArrayList<>();
        int total;
        do {
            JsonNode page = Blog.json(Blog.get(base.resolve("/api/v1/messages?start=" + all.size() + "&limit=" + PAGE)));
            total = page.get("total").asInt();
            JsonNode messages = page.get("messages");
            if (messages.isEmpty()) {
                break;
            }
            for (JsonNode message : messages) {
                all.add(new Message(message.get("ID").asString(), message.get("MessageID").asString(),
                        message.get("To").get(0).get("Address").asString(), message.get("Subject").asString()));
            }
        } while (all.size() < total);
        return all;
    }

    /** The reply emails (confirmation emails left out). */
    List<Email> emails() {
        return messages().stream().filter(message -> !message.isConfirmation()).map(Message::email).toList();
    }

    /**
     * The confirmation emails as the local run's catcher shows them, with their text, for
     * {@link org.replyensemble.local.seeds.SeedConfirmations#confirmByMail}: it reads the link from
     * the text and knows a confirmation by its Message-ID in angle brackets (Mailpit lists it without).
     */
    List<CaughtMail> confirmationMails() {
        List<CaughtMail> mails = new ArrayList<>();
        for (Message message : messages()) {
            if (message.isConfirmation()) {
                mails.add(new CaughtMail(mails.size() + 1, null, null, message.to(), message.subject(),
                        "<" + message.messageId() + ">", null, null, null, null, text(message), null));
            }
        }
        return mails;
    }

    private String text(Message message) {
        return texts.computeIfAbsent(message.id(),
                id -> Blog.json(Blog.get(base.resolve("/api/v1/message/" + id))).get("Text").asString());
    }
}
