package org.replyensemble.comments.pages;

import java.util.Optional;
import java.util.UUID;

import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.replyensemble.comments.comments.PublicComment;
import org.replyensemble.comments.comments.ThreadReader;
import org.replyensemble.comments.replica.PostReplica;
import org.replyensemble.comments.replica.PostReplica.PublishedPost;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.view.RedirectView;

/**
 * The thread as readers see it: the page every notification email links to. Everything on it
 * comes from {@link ThreadReader} and the replica's {@link PublishedPost}, neither of which reads
 * an address.
 */
@Controller
class ThreadPageController {

    private final PostReplica posts;
    private final ThreadReader reader;
    private final ThreadPages pages;

    ThreadPageController(PostReplica posts, ThreadReader reader, ThreadPages pages) {
        this.posts = posts;
        this.reader = reader;
        this.pages = pages;
    }

    @GetMapping(path = "/posts/{slug}", produces = MediaType.TEXT_HTML_VALUE)
    ModelAndView thread(@PathVariable String slug, @RequestParam(required = false) String page,
            @RequestParam(required = false) String posted, @RequestParam(required = false) String held, HttpServletRequest request, HttpServletResponse response) {
        Optional<PublishedPost> post = posts.findBySlug(slug);
        if (post.isEmpty()) {
            return unknownPost(slug);
        }
        FormTokens.loadBeforeRendering(request);
        ModelAndView view = new ModelAndView("pages/thread");
        view.addObject("thread", pages.page(post.get(), PageNumber.parse(page)));
        view.addObject("posted", uuidOrNull(posted));
        view.addObject("held", "1".equals(held));
        view.addObject("mine", mine(request, response));
        view.addObject("form", ReplyForm.empty());
        return view;
    }

    /**
     * The link in every notification email: a fragment never reaches the server, so the comment's
     * id is in the path, and the answer sends the browser to the one page that shows it, at its anchor.
     */
    @GetMapping(path = "/posts/{slug}/comments/{id}")
    Object comment(@PathVariable String slug, @PathVariable String id) {
        Optional<PublishedPost> post = posts.findBySlug(slug);
        if (post.isEmpty()) {
            return unknownPost(slug);
        }
        UUID commentId = uuidOrNull(id);
        Optional<ThreadReader.Location> location = commentId == null ? Optional.empty() : reader.locate(post.get().id(), commentId);
        if (location.isEmpty()) {
            ModelAndView missing = new ModelAndView("pages/unknown-comment", HttpStatus.NOT_FOUND);
            missing.addObject("post", pages.header(post.get()));
            return missing;
        }
        RedirectView redirect = new RedirectView(pages.pathOf(post.get().slug(), location.get()), true);
        redirect.setStatusCode(HttpStatus.SEE_OTHER);
        return redirect;
    }

    /** Every reply of one top-level comment, when there are more than the thread page shows with it. */
    @GetMapping(path = "/posts/{slug}/comments/{id}/replies", produces = MediaType.TEXT_HTML_VALUE)
    ModelAndView replies(@PathVariable String slug, @PathVariable String id, @RequestParam(required = false) String page,
            @RequestParam(required = false) String posted, HttpServletRequest request, HttpServletResponse response) {
        Optional<PublishedPost> post = posts.findBySlug(slug);
        if (post.isEmpty()) {
            return unknownPost(slug);
        }
        UUID rootId = uuidOrNull(id);
        Optional<PublicComment> root = Optional.ofNullable(rootId).flatMap(reader::find)
                .filter(comment -> comment.postId().equals(post.get().id()) && comment.topLevel());
        if (root.isEmpty()) {
            ModelAndView missing = new ModelAndView("pages/unknown-comment", HttpStatus.NOT_FOUND);
            missing.addObject("post", pages.header(post.get()));
            return missing;
        }
        FormTokens.loadBeforeRendering(request);
        ModelAndView view = new ModelAndView("pages/thread");
        view.addObject("thread", pages.subthread(post.get(), root.get(), PageNumber.parse(page)));
        view.addObject("posted", uuidOrNull(posted));
        view.addObject("mine", mine(request, response));
        view.addObject("form", ReplyForm.empty());
        return view;
    }

    /**
     * The comments this browser may edit or delete (it holds their authors' secrets). A page that
     * offers them is this browser's own: no cache, shared or not, keeps it.
     */
    static Set<UUID> mine(HttpServletRequest request, HttpServletResponse response) {
        Set<UUID> mine = AuthorCookies.mine(request);
        if (!mine.isEmpty()) {
            response.setHeader(HttpHeaders.CACHE_CONTROL, CacheControl.noStore().getHeaderValue());
        }
        return mine;
    }

    static ModelAndView unknownPost(String slug) {
        ModelAndView view = new ModelAndView("pages/unknown-post", HttpStatus.NOT_FOUND);
        view.addObject("slug", slug);
        return view;
    }

    static UUID uuidOrNull(String text) {
        if (text == null) {
            return null;
        }
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
