package org.replyensemble.comments.comments;

import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.replyensemble.support.text.NoControlCharacters;
import org.replyensemble.support.text.PlainText;

/** The body of {@code POST /api/posts/{postId}/comments}. */
public record NewComment(
        @NotNull @Valid Author author,
        @NotBlank @Size(max = 10_000) @PlainText String body,
        UUID parentId,
        /** Email me about later replies (JSON {@code notify}); true when absent. */
        @JsonProperty("notify") Boolean notifyOnReply) {

    public record Author(
            @NotBlank @Size(max = 100) @NoControlCharacters String name,
            // @Email alone accepts "ann@localhost": a reply email needs a real domain.
            @NotBlank @Size(max = 254) @NoControlCharacters @Email(regexp = "[^@]+@[^@]+\\.[^@]+", message = "must be a valid email address") String email) {
    }

    boolean wantsReplies() {
        return notifyOnReply == null || notifyOnReply;
    }
}
