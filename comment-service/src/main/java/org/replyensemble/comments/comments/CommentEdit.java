package org.replyensemble.comments.comments;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.replyensemble.support.text.PlainText;

/** The body of {@code PATCH /api/comments/{id}}: the new text, held to the same rules as a new comment's. */
public record CommentEdit(@NotBlank @Size(max = 10_000) @PlainText String body) {
}
