package org.replyensemble.comments.pages;

import java.util.List;

import org.replyensemble.comments.replica.PostReplica;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;

/** The posts, newest first, with their comment counts: from the replica, one index read a page. */
@Controller
public class HomePageController {

    static final int POSTS_PER_PAGE = 20;

    private final PostReplica posts;
    private final ThreadPages pages;

    HomePageController(PostReplica posts, ThreadPages pages) {
        this.posts = posts;
        this.pages = pages;
    }

    public record Entry(ThreadPages.PostHeader post, String excerpt) {
    }

    @GetMapping(path = "/", produces = MediaType.TEXT_HTML_VALUE)
    ModelAndView home(@RequestParam(required = false) String page) {
        long total = posts.count();
        int pageCount = (int) Math.max(1, Math.min(Integer.MAX_VALUE, (total + POSTS_PER_PAGE - 1) / POSTS_PER_PAGE));
        int current = Math.min(PageNumber.parse(page), pageCount);
        List<Entry> entries = posts.newest((long) (current - 1) * POSTS_PER_PAGE, POSTS_PER_PAGE).stream()
                .map(post -> new Entry(pages.header(post), excerpt(post.body()))).toList();
        ModelAndView view = new ModelAndView("pages/home");
        view.addObject("entries", entries);
        view.addObject("paging", new ThreadPages.Paging(current, pageCount, current > 1 ? homeUrl(current - 1) : null,
                current < pageCount ? homeUrl(current + 1) : null));
        return view;
    }

    private static String homeUrl(int page) {
        return page == 1 ? "/" : "/?page=" + page;
    }

    private static String excerpt(String body) {
        if (body == null) {
            return null;
        }
        String flat = body.strip().replaceAll("\\s+", " ");
        return flat.codePointCount(0, flat.length()) <= 240 ? flat : flat.substring(0, flat.offsetByCodePoints(0, 240)) + "…";
    }
}
