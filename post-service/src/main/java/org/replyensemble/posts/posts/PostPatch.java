package org.replyensemble.posts.posts;

import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.replyensemble.support.text.NoControlCharacters;
import org.replyensemble.support.text.PlainText;

/** The body of {@code PATCH /api/posts/{id}}: absent (or null) fields stay as they are. */
public record PostPatch(
        @Size(min = 1, max = 200) @Pattern(regexp = "(?s).*\\S.*", message = "must not be blank") @NoControlCharacters String title,
        @Size(min = 1, max = 100_000) @Pattern(regexp = "(?s).*\\S.*", message = "must not be blank") @PlainText String body,
        Boolean commentsOpen) {

    boolean isEmpty() {
        return title == null && body == null && commentsOpen == null;
    }
}
