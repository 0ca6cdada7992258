package org.replyensemble.posts.posts;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.replyensemble.support.text.NoControlCharacters;
import org.replyensemble.support.text.PlainText;

/**
 * The body of {@code POST /api/posts}. The author is the signed-in account; {@code author} may be
 * left out, and when it is given it must be that account's name and address ({@link Authorship}).
 */
public record NewPost(
        @NotBlank @Size(max = 200) @NoControlCharacters String title,
        @NotBlank @Size(max = 100_000) @PlainText String body,
        @Pattern(regexp = Slugs.VALID_PATTERN, message = "must be 1 to 120 lowercase letters, digits or hyphens") String slug,
        @Valid Author author) {

    public record Author(
            @NotBlank @Size(max = 100) @NoControlCharacters String name,
            // @Email alone accepts "ann@localhost": a reply email needs a real domain.
            @NotBlank @Size(max = 254) @NoControlCharacters @Email(regexp = "[^@]+@[^@]+\\.[^@]+", message = "must be a valid email address") String email) {
    }
}
