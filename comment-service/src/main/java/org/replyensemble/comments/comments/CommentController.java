package org.replyensemble.comments.comments;

import java.net.URI;
import java.util.Optional;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import org.replyensemble.comments.limits.CommentRateLimits;
import org.replyensemble.support.paging.Page;
import org.replyensemble.support.paging.PageRequest;
import org.replyensemble.support.problems.Problems;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
class CommentController {

    static final int DEFAULT_PAGE_SIZE = 50;
    static final int MAX_PAGE_SIZE = 200;

    private final Comments comments;
    private final CommentRateLimits limits;

    CommentController(Comments comments, CommentRateLimits limits) {
        this.comments = comments;
        this.limits = limits;
    }

    /**
     * A valid comment on a post that takes comments spends one from the client's and the mailbox's
     * budgets, then is stored. An unknown or closed post is refused before that, so a client
     * retrying the 404 of a post that has not reached the replica yet spends nothing.
     */
    @PostMapping("/api/posts/{postId}/comments")
    ResponseEntity<CommentView> post(@PathVariable String postId, @Valid @RequestBody NewComment comment,
            HttpServletRequest request) {
        UUID post = asUuid(postId).orElseThrow(() -> Comments.postNotFound(postId));
        comments.requireOpen(post);
        limits.takeOne(request.getRemoteAddr(), comment.author().email());
        Comment stored = comments.post(post, comment);
        return ResponseEntity.created(URI.create("/api/comments/" + stored.id())).body(CommentView.of(stored));
    }

    /**
     * The thread in order, a page at a time (the same page shape as the posts list); a client
     * indents each comment by its depth.
     */
    @GetMapping("/api/posts/{postId}/comments")
    Page<CommentView> thread(@PathVariable String postId, @RequestParam(required = false) Integer page,
            @RequestParam(required = false) Integer size) {
        PageRequest request = PageRequest.of(page, size, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
        UUID post = asUuid(postId).orElseThrow(() -> Comments.postNotFound(postId));
        return comments.thread(post, request);
    }

    @GetMapping("/api/comments/{id}")
    CommentView get(@PathVariable String id) {
        return asUuid(id).flatMap(comments::find).map(CommentView::of)
                .orElseThrow(() -> Problems.exception(HttpStatus.NOT_FOUND, "comment-not-found", "Comment not found",
                        "There is no comment " + id));
    }

    private static Optional<UUID> asUuid(String text) {
        try {
            return Optional.of(UUID.fromString(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
