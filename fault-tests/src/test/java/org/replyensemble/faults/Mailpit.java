package org.replyensemble.faults;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;

/**
 * The compose stack's mail catcher, read through Mailpit's HTTP API (only {@code GET
 * /api/v1/messages}, paged, and the fields every Mailpit version lists: {@code MessageID},
 * {@code To}, {@code Subject}).
 */
final class Mailpit {

    /** The derived Message-ID names the comment: {@code comment-<uuid>.<address hash>@domain}. */
    private static final Pattern COMMENT_IN_MESSAGE_ID = Pattern.compile("comment-([0-9a-f-]{36})\\.");
    private static final int PAGE = 200;

    record Message(String messageId, String to, String subject) {

        /** The reply email this message is, as the fault tests count them. */
        Email email() {
            Matcher matcher = COMMENT_IN_MESSAGE_ID.matcher(messageId);
            if (!matcher.find()) {
                throw new AssertionError("a reply email without a derived Message-ID: " + messageId);
            }
            return new Email(UUID.fromString(matcher.group(1)), to.toLowerCase());
        }
    }

    private final URI base;

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
                all.add(new Message(message.get("MessageID").asString(), message.get("To").get(0).get("Address").asString(),
                        message.get("Subject").asString()));
            }
        } while (all.size() < total);
        return all;
    }

    List<Email> emails() {
        return messages().stream().map(Message::email).toList();
    }
}
