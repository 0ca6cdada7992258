package org.replyensemble.comments.pages;

import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import org.replyensemble.comments.comments.CommentEdit;
import org.replyensemble.comments.comments.CommentPosting;
import org.replyensemble.comments.comments.ThreadReader;
import org.replyensemble.comments.replica.PostReplica;
import org.replyensemble.comments.replica.PostReplica.PublishedPost;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Controller;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.view.RedirectView;

/**
 * The Edit and Delete forms the thread page shows its author next to a comment while the window
 * lasts. The proof is the secret in the comment's cookie ({@link AuthorCookies}), never a form
 * field, and the change goes through {@link CommentPosting} exactly as the REST API's
 * {@code PATCH}/{@code DELETE /api/comments/{id}} do. Success answers 303 to the comment's place.
 */
@Controller
class AuthorChangesController {

    static final String EDIT_FORM = "/posts/*/comments/*/edit";
    static final String DELETE_FORM = "/posts/*/comments/*/delete";

    private final PostReplica posts;
    private final ThreadReader reader;
    private final ThreadPages pages;
    private final CommentPosting posting;
    private final Validator validator;

    AuthorChangesController(PostReplica posts, ThreadReader reader, ThreadPages pages, CommentPosting posting, Validator validator) {
        this.posts = posts;
        this.reader = reader;
        this.pages = pages;
        this.posting = posting;
        this.validator = validator;
    }

    @PostMapping(path = "/posts/{slug}/comments/{id}/edit", produces = MediaType.TEXT_HTML_VALUE)
    Object edit(@PathVariable String slug, @PathVariable String id, @RequestParam(required = false) String body,
            HttpServletRequest request, HttpServletResponse response) {
        return onComment(slug, id, (post, commentId) -> {
            Set<ConstraintViolation<CommentEdit>> violations = validator.validate(new CommentEdit(body));
            if (!violations.isEmpty()) {
                return refused(HttpStatus.BAD_REQUEST, "Your comment was not changed: its text "
                        + violations.stream().map(ConstraintViolation::getMessage).sorted().collect(Collectors.joining(", ")) + ".",
                        post, response);
            }
            try {
                posting.edit(commentId, AuthorCookies.secretOf(request, commentId).orElse(null), body);
            } catch (ErrorResponseException problem) {
                return refused(problem.getStatusCode(), "Your comment was not changed: " + reason(problem), post, response);
            }
            return backTo(post, commentId);
        });
    }

    @PostMapping(path = "/posts/{slug}/comments/{id}/delete", produces = MediaType.TEXT_HTML_VALUE)
    Object delete(@PathVariable String slug, @PathVariable String id, HttpServletRequest request, HttpServletResponse response) {
        return onComment(slug, id, (post, commentId) -> {
            try {
                posting.delete(commentId, AuthorCookies.secretOf(request, commentId).orElse(null));
            } catch (ErrorResponseException problem) {
                return refused(problem.getStatusCode(), "Your comment was not deleted: " + reason(problem), post, response);
            }
            AuthorCookies.forget(request, response, post.slug(), commentId);
            return backTo(post, commentId);
        });
    }

    /** The post and the comment the form's address names, given to the change; a 404 page when either is unknown. */
    private Object onComment(String slug, String id, BiFunction<PublishedPost, UUID, Object> change) {
        Optional<PublishedPost> post = posts.findBySlug(slug);
        if (post.isEmpty()) {
            return ThreadPageController.unknownPost(slug);
        }
        Optional<ThreadReader.Location> location = locate(post.get(), id);
        if (location.isEmpty()) {
            return unknownComment(post.get());
        }
        return change.apply(post.get(), location.get().comment().id());
    }

    private Optional<ThreadReader.Location> locate(PublishedPost post, String id) {
        UUID commentId = ThreadPageController.uuidOrNull(id);
        return commentId == null ? Optional.empty() : reader.locate(post.id(), commentId);
    }

    private RedirectView backTo(PublishedPost post, UUID commentId) {
        RedirectView redirect = new RedirectView(pages.pathOf(post.slug(), reader.locate(post.id(), commentId).orElseThrow()), true);
        redirect.setStatusCode(HttpStatus.SEE_OTHER);
        return redirect;
    }

    private ModelAndView unknownComment(PublishedPost post) {
        ModelAndView missing = new ModelAndView("pages/unknown-comment", HttpStatus.NOT_FOUND);
        missing.addObject("post", pages.header(post));
        return missing;
    }

    private static String reason(ErrorResponseException problem) {
        String type = problem.getBody().getType() == null ? "" : problem.getBody().getType().toString();
        if (type.endsWith("/edit-window-closed")) {
            return "a comment can be changed only for a short time after it was posted, and that time has passed.";
        }
        if (type.endsWith("/not-the-author")) {
            return "only its author can change it, from the browser it was posted from.";
        }
        if (type.endsWith("/comment-deleted")) {
            return "it was deleted.";
        }
        return problem.getBody().getDetail() == null ? "it could not be changed." : problem.getBody().getDetail();
    }

    private static ModelAndView refused(HttpStatusCode status, String message, PublishedPost post, HttpServletResponse response) {
        response.setHeader(HttpHeaders.CACHE_CONTROL, CacheControl.noStore().getHeaderValue());
        ModelAndView page = new ModelAndView("pages/error", status);
        page.addObject("message", message + " Back to the post: /posts/" + post.slug());
        return page;
    }
}
