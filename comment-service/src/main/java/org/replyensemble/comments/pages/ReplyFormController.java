package org.replyensemble.comments.pages;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import org.replyensemble.comments.comments.CommentPosting;
import org.replyensemble.comments.comments.CommentView;
import org.replyensemble.comments.comments.NewComment;
import org.replyensemble.comments.comments.PublicComment;
import org.replyensemble.comments.comments.ThreadReader;
import org.replyensemble.comments.replica.PostReplica;
import org.replyensemble.comments.replica.PostReplica.PublishedPost;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Controller;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.view.RedirectView;

/**
 * The reply form of the thread page (HTML form, no script needed). It goes through exactly what
 * the REST API does: the {@link NewComment} constraints (their field names map to the form's
 * fields), then {@link CommentPosting} (open post, rate limits, storage with the event), so
 * nothing is stored when anything fails. Success answers 303 to the new comment's page and
 * anchor (post/redirect/get: a reload does not post twice), and leaves the author's secret in a
 * cookie ({@link AuthorCookies}) so the page offers them Edit and Delete while the window lasts.
 */
@Controller
class ReplyFormController {

    /** The REST problem's field names ({@code errors[].field}) and the form's fields. */
    private static final Map<String, String> FORM_FIELD = Map.of(
            "author.name", "name", "author", "name", "author.email", "email", "body", "body");

    private final PostReplica posts;
    private final ThreadReader reader;
    private final ThreadPages pages;
    private final CommentPosting posting;
    private final Validator validator;

    ReplyFormController(PostReplica posts, ThreadReader reader, ThreadPages pages, CommentPosting posting, Validator validator) {
        this.posts = posts;
        this.reader = reader;
        this.pages = pages;
        this.posting = posting;
        this.validator = validator;
    }

    @PostMapping(path = "/posts/{slug}/comments", produces = MediaType.TEXT_HTML_VALUE)
    Object reply(@PathVariable String slug, @RequestParam(required = false) String parentId,
            @RequestParam(required = false) String name, @RequestParam(required = false) String email,
            @RequestParam(required = false) String notify, @RequestParam(required = false) String body,
            HttpServletRequest request, HttpServletResponse response) {
        Optional<PublishedPost> post = posts.findBySlug(slug);
        if (post.isEmpty()) {
            return ThreadPageController.unknownPost(slug);
        }
        ReplyForm typed = new ReplyForm(parentId, orEmpty(name), orEmpty(email), notify != null, orEmpty(body), Map.of(), null);
        UUID parent = parentId == null || parentId.isBlank() ? null : ThreadPageController.uuidOrNull(parentId);
        if (parentId != null && !parentId.isBlank() && parent == null) {
            return failed(post.get(), null, typed, Map.of(), "The comment you answer is not in this thread.",
                    HttpStatus.UNPROCESSABLE_CONTENT, request, response);
        }
        NewComment comment = new NewComment(new NewComment.Author(name, email), body, parent, notify != null);
        Set<ConstraintViolation<NewComment>> violations = validator.validate(comment);
        if (!violations.isEmpty()) {
            return failed(post.get(), parent, typed, fieldErrors(violations), null, HttpStatus.BAD_REQUEST, request, response);
        }
        CommentView posted;
        try {
            posted = posting.post(post.get().id(), comment, request.getRemoteAddr());
        } catch (ErrorResponseException problem) {
            return refused(post.get(), parent, typed, problem, request, response);
        }
        if (posted.held()) { // not on the page until approved: say so where the form was
            RedirectView waiting = new RedirectView("/posts/" + post.get().slug() + "?held=1#reply", true);
            waiting.setStatusCode(HttpStatus.SEE_OTHER);
            return waiting;
        }
        AuthorCookies.keep(request, response, post.get().slug(), posted.id(), posted.editSecret(), posting.editWindow());
        ThreadReader.Location location = reader.locate(post.get().id(), posted.id()).orElseThrow();
        String path = pages.pathOf(post.get().slug(), location);
        int anchor = path.indexOf('#');
        String withNotice = path.substring(0, anchor) + (path.substring(0, anchor).contains("?") ? "&" : "?")
                + "posted=" + posted.id() + path.substring(anchor);
        RedirectView redirect = new RedirectView(withNotice, true);
        redirect.setStatusCode(HttpStatus.SEE_OTHER);
        return redirect;
    }

    private ModelAndView refused(PublishedPost post, UUID parent, ReplyForm typed, ErrorResponseException problem,
            HttpServletRequest request, HttpServletResponse response) {
        HttpStatusCode status = problem.getStatusCode();
        ProblemDetail detail = problem.getBody();
        String type = detail.getType() == null ? "" : detail.getType().toString();
        String message;
        if (status.value() == HttpStatus.NOT_FOUND.value()) {
            return ThreadPageController.unknownPost(post.slug());
        } else if (status.value() == HttpStatus.TOO_MANY_REQUESTS.value()) {
            String retryAfter = problem.getHeaders().getFirst(HttpHeaders.RETRY_AFTER);
            if (retryAfter != null) {
                response.setHeader(HttpHeaders.RETRY_AFTER, retryAfter);
            }
            message = "You are commenting faster than this site allows. Nothing was posted; please try again"
                    + (retryAfter == null ? " later." : " in " + retryAfter + " seconds.");
        } else if (type.endsWith("/comments-closed")) {
            message = "Comments are closed on this post. Nothing was posted.";
        } else if (type.endsWith("/parent-not-in-thread")) {
            message = "The comment you answer is not in this thread. Nothing was posted.";
        } else {
            message = detail.getDetail() == null ? "Your comment could not be posted." : detail.getDetail();
        }
        return failed(post, parent, typed, Map.of(), message, status, request, response);
    }

    /**
     * The form again with what was typed (the address too: this answer goes only to the person who
     * typed it) and the messages. Never stored by a cache, shared or not.
     */
    private ModelAndView failed(PublishedPost post, UUID parent, ReplyForm typed, Map<String, String> errors, String message,
            HttpStatusCode status, HttpServletRequest request, HttpServletResponse response) {
        response.setHeader(HttpHeaders.CACHE_CONTROL, CacheControl.noStore().getHeaderValue());
        FormTokens.loadBeforeRendering(request);
        ModelAndView view = new ModelAndView("pages/reply", status);
        view.addObject("post", pages.header(post));
        Optional<PublicComment> answered = Optional.ofNullable(parent).flatMap(reader::find)
                .filter(comment -> comment.postId().equals(post.id()));
        view.addObject("parent", answered.map(pages::card).orElse(null));
        view.addObject("form", new ReplyForm(answered.map(c -> c.id().toString()).orElse(null), typed.name(), typed.email(),
                typed.wantsReplies(), typed.body(), errors, message));
        return view;
    }

    private static Map<String, String> fieldErrors(Set<ConstraintViolation<NewComment>> violations) {
        Map<String, String> errors = new LinkedHashMap<>();
        violations.stream()
                .sorted(Comparator.comparing((ConstraintViolation<NewComment> v) -> v.getPropertyPath().toString())
                        .thenComparing(ConstraintViolation::getMessage))
                .forEach(violation -> errors.merge(FORM_FIELD.getOrDefault(violation.getPropertyPath().toString(), "form"),
                        sentence(violation.getMessage()), (first, second) -> first + " " + second));
        return errors;
    }

    private static String sentence(String message) {
        return message.isEmpty() ? message : message.substring(0, 1).toUpperCase(Locale.ROOT) + message.substring(1) + ".";
    }

    private static String orEmpty(String text) {
        return text == null ? "" : text;
    }
}
