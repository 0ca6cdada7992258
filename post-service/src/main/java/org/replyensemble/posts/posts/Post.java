package org.replyensemble.posts.posts;

import java.time.Instant;
import java.util.UUID;

import org.replyensemble.events.Person;
import org.replyensemble.events.PostEvent;

/**
 * A post as stored; the author's address never leaves the service except in {@link #state()}.
 *
 * @param authorAccount the id of the account that published it ({@code Account.id()}); null for a
 *                      post from before there were accounts
 */
record Post(
        UUID id,
        String slug,
        String title,
        String body,
        String authorName,
        String authorEmail,
        String authorAccount,
        Instant publishedAt,
        boolean commentsOpen,
        long revision) {

    /** The whole current state, as the internal topic carries it (address included). */
    PostEvent.PostState state() {
        return new PostEvent.PostState(id, slug, title, body, new Person(authorName, authorEmail),
                publishedAt, commentsOpen, revision);
    }

    Post withSlug(String newSlug) {
        return new Post(id, newSlug, title, body, authorName, authorEmail, authorAccount, publishedAt, commentsOpen, revision);
    }

    Post edited(PostPatch patch) {
        return new Post(id, slug,
                patch.title() == null ? title : patch.title().strip(),
                patch.body() == null ? body : patch.body(),
                authorName, authorEmail, authorAccount, publishedAt,
                patch.commentsOpen() == null ? commentsOpen : patch.commentsOpen(),
                revision);
    }

    boolean sameContentAs(Post other) {
        return title.equals(other.title) && body.equals(other.body) && commentsOpen == other.commentsOpen;
    }
}
