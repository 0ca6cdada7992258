package org.replyensemble.posts.posts;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;

import org.replyensemble.events.Person;
import org.replyensemble.events.PostEvent;
import org.replyensemble.events.Topics;
import org.replyensemble.outbox.Outbox;
import org.replyensemble.support.paging.Page;
import org.replyensemble.support.paging.PageRequest;
import org.replyensemble.support.problems.Problems;
import org.replyensemble.support.security.Account;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.ErrorResponseException;

/** Publishing and editing posts; every change and its event commit together. */
@Service
class Posts {

    private final PostRepository repository;
    private final Outbox outbox;

    Posts(PostRepository repository, Outbox outbox) {
        this.repository = repository;
        this.outbox = outbox;
    }

    @Transactional
    Post publish(NewPost input, Account account) {
        Person author = Authorship.authorOf(input.author(), account);
        Post draft = new Post(UUID.randomUUID(), input.slug(), input.title().strip(), input.body(),
                author.name(), author.email(), account.id(), now(), true, 1);
        Post stored = input.slug() != null ? storeWithChosenSlug(draft) : storeWithSlugFromTitle(draft);
        outbox.append(Topics.POSTS, PostEvent.of(PostEvent.PUBLISHED, stored.state(), stored.publishedAt()));
        return stored;
    }

    /** Locks the post's row first, so the events of one post reach the outbox in commit order. */
    @Transactional
    Post edit(UUID id, PostPatch patch, Account editor) {
        if (patch.isEmpty()) {
            throw Problems.exception(HttpStatus.BAD_REQUEST, "empty-patch", "Nothing to change",
                    "Give at least one of title, body or commentsOpen");
        }
        Post current = repository.lock(id).orElseThrow(() -> notFound(id.toString()));
        Authorship.requireMayEdit(current, editor, patch);
        Post edited = current.edited(patch);
        if (edited.sameContentAs(current)) {
            return current; // nothing changed: no new revision, no event
        }
        Post stored = repository.updateContent(edited);
        outbox.append(Topics.POSTS, PostEvent.of(PostEvent.UPDATED, stored.state(), now()));
        return stored;
    }

    /** By id when it reads as one, else by slug. */
    @Transactional(readOnly = true)
    Optional<Post> find(String idOrSlug) {
        Optional<Post> byId = asUuid(idOrSlug).flatMap(repository::findById);
        return byId.isPresent() ? byId : repository.findBySlug(idOrSlug);
    }

    @Transactional(readOnly = true)
    Page<PostView> newestFirst(PageRequest request) {
        long total = repository.count();
        return Page.of(repository.newestFirst(request.offset(), request.size()).stream().map(PostView::of).toList(), request, total);
    }

    static ErrorResponseException notFound(String idOrSlug) {
        return Problems.exception(HttpStatus.NOT_FOUND, "post-not-found", "Post not found",
                "There is no post " + idOrSlug);
    }

    static Optional<UUID> asUuid(String text) {
        try {
            return Optional.of(UUID.fromString(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private Post storeWithChosenSlug(Post draft) {
        if (!repository.insertIfSlugFree(draft)) {
            throw Problems.exception(HttpStatus.CONFLICT, "slug-taken", "Slug already taken",
                    "Another post already has the slug " + draft.slug() + "; choose another or leave it out");
        }
        return draft;
    }

    /** A concurrent post may take the same slug between the look-up and the insert: then look again. */
    private Post storeWithSlugFromTitle(Post draft) {
        String base = Slugs.fromTitle(draft.title());
        while (true) {
            Post candidate = draft.withSlug(Slugs.firstFree(base, repository.slugsLike(base)));
            if (repository.insertIfSlugFree(candidate)) {
                return candidate;
            }
        }
    }

    /** PostgreSQL keeps microseconds: the answer then shows exactly what was stored. */
    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
