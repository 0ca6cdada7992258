package org.replyensemble.comments.comments;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.replyensemble.support.problems.Problems;
import org.replyensemble.comments.replica.PostReplica;
import org.replyensemble.events.Topics;
import org.replyensemble.outbox.Outbox;
import org.replyensemble.support.paging.Page;
import org.replyensemble.support.paging.PageRequest;
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

    Comments(PostReplica posts, CommentRepository repository, Outbox outbox) {
        this.posts = posts;
        this.repository = repository;
        this.outbox = outbox;
    }

    /**
     * Claims the position first: that locks the post's row, so concurrent writers of one post
     * take turns and their events reach the outbox in position order. Any problem after the
     * claim rolls it back with everything else, so positions never have gaps.
     */
    @Transactional
    Comment post(UUID postId, NewComment input) {
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
                Instant.now().truncatedTo(ChronoUnit.MICROS)); // what PostgreSQL keeps, so the answer shows what was stored
        repository.insert(comment);
        outbox.append(Topics.COMMENTS, comment.posted());
        return comment;
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
