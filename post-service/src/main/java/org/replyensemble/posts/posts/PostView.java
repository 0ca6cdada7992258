package org.replyensemble.posts.posts;

import java.time.Instant;
import java.util.UUID;

/** A post as the public API shows it: the author's name, never the address. */
public record PostView(
        UUID id,
        String slug,
        String title,
        String body,
        AuthorView author,
        Instant publishedAt,
        boolean commentsOpen) {

    public record AuthorView(String name) {
    }

    static PostView of(Post post) {
        return new PostView(post.id(), post.slug(), post.title(), post.body(), new AuthorView(post.authorName()),
                post.publishedAt(), post.commentsOpen());
    }
}
