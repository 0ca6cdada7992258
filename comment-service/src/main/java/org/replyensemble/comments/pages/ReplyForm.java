package org.replyensemble.comments.pages;

import java.util.Map;

/**
 * The reply form's fields as typed, and the messages to show next to them. {@code email} is
 * filled only on the page that answers a failed post, for the person who typed it (that page is
 * never stored by caches: no-store); every other page gets an empty form.
 *
 * @param parentId the comment answered, or null for a top-level comment
 * @param errors   field name (name, email, body, notify) to message; "form" for the form as a whole
 */
public record ReplyForm(String parentId, String name, String email, boolean wantsReplies, String body, Map<String, String> errors,
                 String message) {

    static ReplyForm empty() {
        return new ReplyForm(null, "", "", true, "", Map.of(), null);
    }

    public boolean failed() {
        return !errors.isEmpty() || message != null;
    }

    public String error(String field) {
        return errors.get(field);
    }
}
