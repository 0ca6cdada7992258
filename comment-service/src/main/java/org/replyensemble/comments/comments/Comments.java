package org.replyensemble.comments.comments;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.replyensemble.support.problems.Problems;
import org.replyensemble.support.security.Account;
import org.replyensemble.comments.replica.PostReplica;
import org.replyensemble.events.Topics;
import org.replyensemble.outbox.Outbox;
import org.replyensemble.support.paging.Page;
import org.replyensemble.support.paging.PageRequest;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.ErrorResponseException;

/** Posting and reading comments; a comment, its position and its event commit together or not at all. */
@Service
class Comments {

    private final PostReplica posts;
    private final CommentRepository repository;
    private final Outbox outbox;
    private final Duration editWindow;

    Comments(PostReplica posts, CommentRepository repository, Outbox outbox,
            @Value("${comments.edit-window:15m}") Duration editWindow) {
        this.posts = posts;
        this.repository = repository;
        this.outbox = outbox;
        this.editWindow = editWindow;
    }

    /** A stored comment and its author's secret, which exists in clear only in this answer. */
    record Posted(Comment comment, String secret, Instant editableUntil) {
    }

    /**
     * Claims the position first: that locks the post's row, so concurrent writers of one post
     * take turns and their events reach the outbox in position order. Any problem after the
     * claim rolls it back with everything else, so positions never have gaps.
     */
    @Transactional
    Posted post(UUID postId, NewComment input) {
        PostReplica.Claim claim = posts.claimNextPosition(postId);
        if (claim instanceof PostReplica.Closed) {
            throw commentsClosed(postId);
        }
        if (!(claim instanceof PostReplica.Position claimed)) {
            throw postNotFound(postId);
        }
        int position = claimed.position();
        int depth = 0;
        UUID rootId = null;
        if (input.parentId() != null) {
            Comment parent = repository.find(input.parentId())
                    .filter(candidate -> candidate.postId().equals(postId))
                    .orElseThrow(() -> Problems.exception(HttpStatus.UNPROCESSABLE_CONTENT, "parent-not-in-thread",
                            "Parent comment not in this thread",
                            "There is no comment " + input.parentId() + " on the post " + postId));
            depth = parent.depth() + 1;
            rootId = parent.rootId() != null ? parent.rootId() : parent.id();
        }
        Comment comment = new Comment(UUID.randomUUID(), postId, input.parentId(), rootId, position, depth,
                input.author().name().strip(), input.author().email().strip(), input.body(), input.wantsReplies(),
                Instant.now().truncatedTo(ChronoUnit.MICROS), null, null, null); // what PostgreSQL keeps, so the answer shows what was stored
        String secret = AuthorSecrets.newSecret();
        repository.insert(comment, AuthorSecrets.hash(secret));
        outbox.append(Topics.COMMENTS, comment.posted());
        return new Posted(comment, secret, comment.createdAt().plus(editWindow));
    }

    /**
     * The author's new text, within the window, proven by the secret. The post's replica row is
     * locked first, as for a new comment, so this comment's events reach the outbox in the order
     * they happened, after its CommentPosted and in line with the post's other comments.
     *
     * @throws ErrorResponseException 404 unknown comment, 403 wrong secret or window passed, 409 deleted
     */
    @Transactional
    Comment edit(UUID id, String secret, String body) {
        Comment comment = authorsOwn(id, secret);
        if (comment.deleted()) {
            throw Problems.exception(HttpStatus.CONFLICT, "comment-deleted", "Comment deleted",
                    "The comment " + id + " was deleted; a deleted comment cannot be edited");
        }
        if (comment.body().equals(body)) {
            return comment; // nothing changed: no event, no new editedAt
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        repository.updateBody(id, body, now);
        Comment edited = repository.find(id).orElseThrow();
        outbox.append(Topics.COMMENTS, edited.edited());
        return edited;
    }

    /**
     * Deletes the author's comment within the window: it keeps its place as "[deleted]", its name
     * and text are gone, and its CommentDeleted cancels the mail not yet sent for it. A second
     * delete with the same secret changes nothing.
     *
     * @throws ErrorResponseException 404 unknown comment, 403 wrong secret or window passed
     */
    @Transactional
    void delete(UUID id, String secret) {
        Comment comment = authorsOwn(id, secret);
        if (comment.deleted()) {
            return;
        }
        repository.markDeleted(id, Instant.now().truncatedTo(ChronoUnit.MICROS));
        outbox.append(Topics.COMMENTS, repository.find(id).orElseThrow().deletedEvent());
    }

    /**
     * A moderator's action on a comment of a post they moderate ({@link PostReplica#moderates}: an
     * operator, or the post's author): hide it from the public thread, show it again, or delete it.
     * Each is a no-op when the comment is already in that state (no event); a deleted comment can be
     * neither hidden nor shown (409). Ordered with the post's other events like an author's change.
     *
     * @throws ErrorResponseException 404 unknown comment, 403 not a moderator of its post, 409 deleted
     */
    @Transactional
    Comment moderate(UUID id, Moderation action, Account account) {
        Comment found = repository.find(id).orElseThrow(() -> commentNotFound(id));
        if (!posts.moderates(found.postId(), account)) {
            throw Problems.exception(HttpStatus.FORBIDDEN, "not-a-moderator", "Not a moderator of this post",
                    "Only the post's author and operators moderate the comments of post " + found.postId());
        }
        posts.lock(found.postId());
        Comment comment = repository.lock(id).orElseThrow(() -> commentNotFound(id));
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        if (comment.deleted()) {
            if (action == Moderation.DELETE) {
                return comment;
            }
            throw Problems.exception(HttpStatus.CONFLICT, "comment-deleted", "Comment deleted",
                    "The comment " + id + " was deleted; there is nothing to hide or show");
        }
        switch (action) {
            case HIDE -> {
                if (comment.hidden()) {
                    return comment;
                }
                repository.setHidden(id, now, account.id());
                Comment hidden = repository.find(id).orElseThrow();
                outbox.append(Topics.COMMENTS, hidden.hiddenEvent());
                return hidden;
            }
            case UNHIDE -> {
                if (!comment.hidden()) {
                    return comment;
                }
                repository.setHidden(id, null, null);
                Comment shown = repository.find(id).orElseThrow();
                outbox.append(Topics.COMMENTS, shown.unhiddenEvent(now));
                return shown;
            }
            case DELETE -> {
                repository.markDeleted(id, now);
                Comment deleted = repository.find(id).orElseThrow();
                outbox.append(Topics.COMMENTS, deleted.deletedEvent());
                return deleted;
            }
            default -> throw new IllegalArgumentException(action.name());
        }
    }

    /** What a moderator may do to a comment. */
    enum Moderation {
        HIDE, UNHIDE, DELETE
    }

    /** The comment, locked with its post's replica row, once the secret and the window allow the author to change it. */
    private Comment authorsOwn(UUID id, String secret) {
        Optional<byte[]> hash = repository.secretHash(id);
        if (hash.isEmpty()) {
            throw commentNotFound(id);
        }
        if (!AuthorSecrets.matches(secret, hash.get())) {
            throw notYours(id);
        }
        Comment found = repository.find(id).orElseThrow(() -> commentNotFound(id));
        if (!withinWindow(found)) {
            throw Problems.exception(HttpStatus.FORBIDDEN, "edit-window-closed", "Too late to change this comment",
                    "A comment can be edited or deleted by its author for " + editWindow.toMinutes()
                            + " minutes after it was posted; that time has passed");
        }
        posts.lock(found.postId());
        return repository.lock(id).orElseThrow(() -> commentNotFound(id));
    }

    private boolean withinWindow(Comment comment) {
        return !Instant.now().isAfter(comment.createdAt().plus(editWindow));
    }

    Duration editWindow() {
        return editWindow;
    }

    private static ErrorResponseException notYours(UUID id) {
        return Problems.exception(HttpStatus.FORBIDDEN, "not-the-author", "Not the author's secret",
                "Only the author of comment " + id + " can change it, with the secret they received when they posted it");
    }

    static ErrorResponseException commentNotFound(Object id) {
        return Problems.exception(HttpStatus.NOT_FOUND, "comment-not-found", "Comment not found", "There is no comment " + id);
    }

    @Transactional(readOnly = true)
    Page<CommentView> thread(UUID postId, PageRequest request) {
        if (posts.find(postId).isEmpty()) {
            throw postNotFound(postId);
        }
        List<CommentView> content = repository.thread(postId, request.offset(), request.size()).stream().map(CommentView::of).toList();
        return Page.of(content, request, repository.countInThread(postId));
    }

    @Transactional(readOnly = true)
    Optional<Comment> find(UUID id) {
        return repository.find(id);
    }

    /** A read-only look before the limits are spent; {@link #post} checks again, atomically. */
    @Transactional(readOnly = true)
    void requireOpen(UUID postId) {
        PostReplica.ReplicatedPost post = posts.find(postId).orElseThrow(() -> postNotFound(postId));
        if (!post.commentsOpen()) {
            throw commentsClosed(postId);
        }
    }

    private static ErrorResponseException commentsClosed(UUID postId) {
        return Problems.exception(HttpStatus.CONFLICT, "comments-closed", "Comments are closed",
                "The post " + postId + " does not take comments any more");
    }

    static ErrorResponseException postNotFound(Object postId) {
        return Problems.exception(HttpStatus.NOT_FOUND, "post-not-found", "Post not found",
                "There is no post " + postId + " (a post published a moment ago may take a moment to arrive)");
    }
}
