package org.replyensemble.comments.comments;

import java.util.UUID;

import org.replyensemble.comments.limits.CommentRateLimits;
import org.springframework.stereotype.Service;

/**
 * The one way a comment gets in, for the REST API and the page's reply form alike: the post must
 * take comments, then the client's and the mailbox's budgets are spent, then the comment is
 * stored with its event. The input was validated by the caller (the same {@link NewComment}
 * constraints). Edits and deletions by the author go through here too. An unknown or closed post is refused before the budgets, so a client retrying
 * the 404 of a post that has not reached the replica yet spends nothing.
 */
@Service
public class CommentPosting {

    private final Comments comments;
    private final CommentRateLimits limits;

    CommentPosting(Comments comments, CommentRateLimits limits) {
        this.comments = comments;
        this.limits = limits;
    }

    /** @throws org.springframework.web.ErrorResponseException a problem (404, 409, 422, 429), with nothing stored */
    public CommentView post(UUID postId, NewComment comment, String clientAddress) {
        comments.requireOpen(postId);
        limits.takeOne(clientAddress, comment.author().email());
        Comments.Posted posted = comments.post(postId, comment);
        return CommentView.posted(posted.comment(), posted.secret(), posted.editableUntil(), posted.held());
    }

    /** The author's new text (validated by the caller like a new comment's), proven by their secret. */
    public CommentView edit(UUID commentId, String secret, String body) {
        return CommentView.of(comments.edit(commentId, secret, body));
    }

    /** Deletes the author's comment, proven by their secret; its place stays as "[deleted]". */
    public void delete(UUID commentId, String secret) {
        comments.delete(commentId, secret);
    }

    /** A moderator's hide, unhide or delete (the post's author or an operator); 403 for anyone else. */
    CommentView moderate(UUID commentId, Comments.Moderation action, org.replyensemble.support.security.Account account) {
        return CommentView.of(comments.moderate(commentId, action, account));
    }

    /** A moderator lets a held comment in: it is posted now, at the thread's next position. */
    CommentView approve(UUID commentId, org.replyensemble.support.security.Account account) {
        return CommentView.of(comments.approve(commentId, account));
    }

    /** How long after posting the author may edit or delete a comment. */
    public java.time.Duration editWindow() {
        return comments.editWindow();
    }
}
