package org.replyensemble.comments.comments;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import org.replyensemble.support.paging.Page;
import org.replyensemble.support.paging.PageRequest;
import org.replyensemble.support.problems.Problems;
import org.replyensemble.support.security.Account;
import org.replyensemble.support.security.Accounts;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
class CommentController {

    static final int DEFAULT_PAGE_SIZE = 50;
    static final int MAX_PAGE_SIZE = 200;
    /** The author's secret from the answer to the post; a header, so no browser ever sends it on its own. */
    static final String SECRET_HEADER = "Comment-Secret";

    private final Comments comments;
    private final CommentPosting posting;

    CommentController(Comments comments, CommentPosting posting) {
        this.comments = comments;
        this.posting = posting;
    }

    /** A valid comment, through {@link CommentPosting} (the same path as the page's reply form). */
    @PostMapping("/api/posts/{postId}/comments")
    ResponseEntity<CommentView> post(@PathVariable String postId, @Valid @RequestBody NewComment comment,
            HttpServletRequest request) {
        UUID post = asUuid(postId).orElseThrow(() -> Comments.postNotFound(postId));
        CommentView stored = posting.post(post, comment, request.getRemoteAddr());
        if (stored.held()) { // accepted, but not public (nothing to locate) until a moderator approves it
            return ResponseEntity.accepted().body(stored);
        }
        return ResponseEntity.created(URI.create("/api/comments/" + stored.id())).body(stored);
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

    /** The author's new text, within the edit window: 200 with the comment, 403 without the author's secret or too late. */
    @PatchMapping("/api/comments/{id}")
    CommentView edit(@PathVariable String id, @RequestHeader(name = SECRET_HEADER, required = false) String secret,
            @Valid @RequestBody CommentEdit edit) {
        UUID comment = asUuid(id).orElseThrow(() -> Comments.commentNotFound(id));
        return posting.edit(comment, secret, edit.body());
    }

    /**
     * Deletes a comment; it stays in the thread as "[deleted]". With the author's secret: the
     * author, within the edit window. Without one, signed in: a moderator of its post (its author
     * or an operator), at any time.
     */
    @DeleteMapping("/api/comments/{id}")
    ResponseEntity<Void> delete(@PathVariable String id, @RequestHeader(name = SECRET_HEADER, required = false) String secret) {
        UUID comment = asUuid(id).orElseThrow(() -> Comments.commentNotFound(id));
        Optional<Account> moderator = secret == null ? Accounts.current() : Optional.empty();
        if (moderator.isPresent()) {
            posting.moderate(comment, Comments.Moderation.DELETE, moderator.get());
        } else {
            posting.delete(comment, secret);
        }
        return ResponseEntity.noContent().build();
    }

    /** A moderator (the post's author or an operator) takes the comment out of the public thread: 200 with it as shown now. */
    @PostMapping("/api/comments/{id}/hide")
    CommentView hide(@PathVariable String id, Account account) {
        return posting.moderate(asUuid(id).orElseThrow(() -> Comments.commentNotFound(id)), Comments.Moderation.HIDE, account);
    }

    /** A moderator shows a hidden comment again; mail cancelled while it was hidden is not sent. */
    @PostMapping("/api/comments/{id}/unhide")
    CommentView unhide(@PathVariable String id, Account account) {
        return posting.moderate(asUuid(id).orElseThrow(() -> Comments.commentNotFound(id)), Comments.Moderation.UNHIDE, account);
    }

    /** A moderator lets a held comment in; it is posted now, at the end of the thread, and mails as any new comment would. */
    @PostMapping("/api/comments/{id}/approve")
    CommentView approve(@PathVariable String id, Account account) {
        return posting.approve(asUuid(id).orElseThrow(() -> Comments.commentNotFound(id)), account);
    }

    /** The comments of a post waiting for approval, oldest first (moderators only; names, never addresses). */
    @GetMapping("/api/posts/{postId}/comments/held")
    List<HeldCommentView> held(@PathVariable String postId, Account account) {
        UUID post = asUuid(postId).orElseThrow(() -> Comments.postNotFound(postId));
        return comments.heldFor(post, account).stream().map(HeldCommentView::of).toList();
    }

    @GetMapping("/api/posts/{postId}/moderation")
    PostModeration moderation(@PathVariable String postId, Account account) {
        UUID post = asUuid(postId).orElseThrow(() -> Comments.postNotFound(postId));
        return new PostModeration(comments.holdsFirstTimeCommenters(post, account));
    }

    /**
     * The post's moderation setting (its author or an operator): with {@code holdFirstTimeCommenters}
     * the comment of an address that has none accepted on the post yet waits for approval.
     */
    @PutMapping("/api/posts/{postId}/moderation")
    PostModeration moderate(@PathVariable String postId, @Valid @RequestBody PostModeration setting, Account account) {
        UUID post = asUuid(postId).orElseThrow(() -> Comments.postNotFound(postId));
        comments.holdFirstTimeCommenters(post, setting.holdFirstTimeCommenters(), account);
        return setting;
    }

    /** A post's moderation setting. */
    record PostModeration(@jakarta.validation.constraints.NotNull Boolean holdFirstTimeCommenters) {
    }

    /** A comment waiting for approval, as its moderators see it: the name and text, never the address. */
    record HeldCommentView(UUID id, UUID postId, UUID parentId, CommentView.AuthorView author, String body, java.time.Instant createdAt) {
        static HeldCommentView of(HeldComments.Held held) {
            return new HeldCommentView(held.id(), held.postId(), held.parentId(), new CommentView.AuthorView(held.authorName()),
                    held.body(), held.createdAt());
        }
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
