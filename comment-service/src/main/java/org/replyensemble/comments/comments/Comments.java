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
import org.replyensemble.events.CommentEvent;
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
    private final HeldComments held;
    private final Duration editWindow;

    Comments(PostReplica posts, CommentRepository repository, Outbox outbox, HeldComments held,
            @Value("${comments.edit-window:15m}") Duration editWindow) {
        this.posts = posts;
        this.repository = repository;
        this.outbox = outbox;
        this.held = held;
        this.editWindow = editWindow;
    }

    /**
     * A stored comment and its author's secret, which exists in clear only in this answer; a held
     * comment ({@code held}) has position 0 until a moderator approves it.
     */
    record Posted(Comment comment, String secret, Instant editableUntil, boolean held) {
    }

    /**
     * Locks the post's row first, so concurrent writers of one post take turns and their events
     * reach the outbox in position order. Any problem after the position was handed out rolls it
     * back with everything else, so positions never have gaps.
     */
    @Transactional
    Posted post(UUID postId, NewComment input) {
        // Before the parent and the hold are looked at, so they cannot change under us; the same row
        // lock hands out the position below.
        switch (posts.lockForComment(postId)) {
            case CLOSED -> throw commentsClosed(postId);
            case UNKNOWN -> throw postNotFound(postId);
            case OPEN -> {
            }
        }
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
        String email = input.author().email().strip();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS); // what PostgreSQL keeps, so the answer shows what was stored
        String secret = AuthorSecrets.newSecret();
        if (mustBeHeld(postId, email)) {
            HeldComments.Held waiting = new HeldComments.Held(UUID.randomUUID(), postId, input.parentId(),
                    input.author().name().strip(), email, input.body(), input.wantsReplies(), now, AuthorSecrets.hash(secret));
            held.insert(waiting);
            Comment shown = new Comment(waiting.id(), postId, input.parentId(), rootId, 0, depth, waiting.authorName(), email,
                    input.body(), input.wantsReplies(), now, null, null, null);
            return new Posted(shown, secret, now.plus(editWindow), true);
        }
        PostReplica.Position claimed = posts.nextPosition(postId);
        Comment comment = new Comment(UUID.randomUUID(), postId, input.parentId(), rootId, claimed.position(), depth,
                input.author().name().strip(), email, input.body(), input.wantsReplies(), now, null, null, null);
        repository.insert(comment, AuthorSecrets.hash(secret));
        outbox.append(Topics.COMMENTS, comment.posted());
        return new Posted(comment, secret, comment.createdAt().plus(editWindow), false);
    }

    /** A first-time commenter on a post that holds them (never the post's own author); the caller found it open. */
    private boolean mustBeHeld(UUID postId, String email) {
        if (!held.holdsFirstTimeCommenters(postId)) {
            return false;
        }
        return !posts.authoredBy(postId, email) && !held.hasApprovedComment(postId, email);
    }

    /**
     * A moderator lets a held comment in: it takes the thread's next position now and its
     * CommentPosted is published now, so it mails exactly whom a comment posted at this moment
     * would (its author keeps their secret; the edit window still counts from when they wrote it).
     *
     * @throws ErrorResponseException 404 no such held comment, 403 not a moderator of its post, 409 comments closed
     */
    @Transactional
    Comment approve(UUID id, Account account) {
        HeldComments.Held waiting = held.find(id).orElseThrow(() -> heldNotFound(id));
        requireModerator(waiting.postId(), account);
        PostReplica.Claim claim = posts.claimNextPosition(waiting.postId());
        if (claim instanceof PostReplica.Closed) {
            throw commentsClosed(waiting.postId());
        }
        if (!(claim instanceof PostReplica.Position claimed)) {
            throw postNotFound(waiting.postId());
        }
        HeldComments.Held taken = held.remove(id).orElseThrow(() -> heldNotFound(id)); // a second moderator's approval finds nothing
        int depth = 0;
        UUID rootId = null;
        if (taken.parentId() != null) {
            Comment parent = repository.find(taken.parentId()).orElseThrow();
            depth = parent.depth() + 1;
            rootId = parent.rootId() != null ? parent.rootId() : parent.id();
        }
        Comment comment = new Comment(taken.id(), taken.postId(), taken.parentId(), rootId, claimed.position(), depth,
                taken.authorName(), taken.authorEmail(), taken.body(), taken.notifyOnReply(), taken.createdAt(), null, null, null);
        repository.insert(comment, taken.secretHash());
        outbox.append(Topics.COMMENTS, comment.posted());
        return comment;
    }

    /** The comments of the post waiting for a moderator (the post's author or an operator), oldest first. */
    @Transactional(readOnly = true)
    List<HeldComments.Held> heldFor(UUID postId, Account account) {
        requireModerator(postId, account);
        return held.queue(postId);
    }

    /** Whether the post holds first-time commenters' comments for approval. */
    @Transactional(readOnly = true)
    boolean holdsFirstTimeCommenters(UUID postId, Account account) {
        requireModerator(postId, account);
        return held.holdsFirstTimeCommenters(postId);
    }

    @Transactional
    void holdFirstTimeCommenters(UUID postId, boolean hold, Account account) {
        requireModerator(postId, account);
        held.setHoldFirstTimeCommenters(postId, hold, account.id());
    }

    private void requireModerator(UUID postId, Account account) {
        if (posts.find(postId).isEmpty()) {
            throw postNotFound(postId);
        }
        if (!posts.moderates(postId, account)) {
            throw Problems.exception(HttpStatus.FORBIDDEN, "not-a-moderator", "Not a moderator of this post",
                    "Only the post's author and operators moderate the comments of post " + postId);
        }
    }

    private static ErrorResponseException heldNotFound(UUID id) {
        return Problems.exception(HttpStatus.NOT_FOUND, "held-comment-not-found", "No such comment waiting for approval",
                "There is no comment " + id + " waiting for approval (approved or rejected already?)");
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
        if (held.find(id).isPresent()) {
            throw Problems.exception(HttpStatus.CONFLICT, "comment-held", "Comment waiting for approval",
                    "The comment " + id + " waits for a moderator's approval; it can be deleted, but not edited, until then");
        }
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
        Optional<HeldComments.Held> waiting = held.find(id);
        if (waiting.isPresent()) { // never published: it just goes
            if (!AuthorSecrets.matches(secret, waiting.get().secretHash())) {
                throw notYours(id);
            }
            held.remove(id);
            return;
        }
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
        Optional<HeldComments.Held> waiting = held.find(id);
        if (waiting.isPresent()) {
            requireModerator(waiting.get().postId(), account);
            if (action != Moderation.DELETE) {
                throw Problems.exception(HttpStatus.CONFLICT, "comment-held", "Comment waiting for approval",
                        "The comment " + id + " is not public yet: approve it or delete it");
            }
            held.remove(id); // rejected: it was never published, so nothing else knows of it
            HeldComments.Held gone = waiting.get();
            return new Comment(gone.id(), gone.postId(), gone.parentId(), null, 0, 0, CommentEvent.DELETED_NAME, gone.authorEmail(),
                    "", gone.notifyOnReply(), gone.createdAt(), null, Instant.now(), null);
        }
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

    /**
     * A look before the limits are spent; {@link #post} checks again, atomically. One statement, so
     * no transaction: a read-only one cost every comment a COMMIT round trip more.
     */
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
