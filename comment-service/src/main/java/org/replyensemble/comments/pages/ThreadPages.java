package org.replyensemble.comments.pages;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.replyensemble.comments.comments.PublicComment;
import org.replyensemble.comments.comments.ThreadReader;
import org.replyensemble.comments.replica.PostReplica.PublishedPost;
import org.springframework.stereotype.Component;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Builds the thread page's view model from {@link ThreadReader}. The page scheme:
 * <ul>
 *   <li>{@code /posts/{slug}?page=n}: {@value #ROOTS_PER_PAGE} top-level comments per page, each with
 *       the first {@value #REPLIES_WITH_ROOT} replies of its subtree, nested depth-first;</li>
 *   <li>a longer subtree ends with "show all n replies", {@code /posts/{slug}/comments/{root}/replies?page=m},
 *       {@value #REPLIES_PER_PAGE} replies a page;</li>
 *   <li>indentation stops at {@value #MAX_INDENT} levels (a phone stays readable); a deeper reply,
 *       or one whose parent is on another page, says whom it answers.</li>
 * </ul>
 * So no page holds more than {@value #ROOTS_PER_PAGE} x {@value #REPLIES_WITH_ROOT} + {@value #ROOTS_PER_PAGE}
 * comments, however the thread grows, and every comment has exactly one page that shows it
 * ({@link #pathOf}), which the links in emails lead to.
 */
@Component
public class ThreadPages {

    static final int ROOTS_PER_PAGE = 20;
    static final int REPLIES_WITH_ROOT = 20;
    static final int REPLIES_PER_PAGE = 100;
    static final int MAX_INDENT = 5;

    private final ThreadReader reader;
    private final Clock clock;

    ThreadPages(ThreadReader reader) {
        this.reader = reader;
        this.clock = Clock.systemUTC();
    }

    /**
     * One comment as shown. {@code inReplyTo}: the parent's author, when the nesting alone does not
     * show it. {@code body}: the text as typed, for its author's edit form; empty when deleted.
     */
    public record Card(UUID id, UUID parentId, String authorName, List<List<List<PlainText.Segment>>> text, Times.Moment written,
                int indent, String inReplyTo, boolean edited, boolean deleted, boolean hidden, String body) {
    }

    /** A top-level comment and the replies shown with it; {@code moreReplies} are behind {@code moreUrl}. */
    public record Block(List<Card> cards, long moreReplies, long replyCount, String moreUrl) {
    }

    public record Paging(int page, int pages, String previousUrl, String nextUrl) {
    }

    public record PostHeader(String slug, String title, String authorName, List<List<List<PlainText.Segment>>> text,
                      Times.Moment published, boolean commentsOpen, int commentCount, String url) {
    }

    public record ThreadPage(PostHeader post, List<Block> blocks, Paging paging, Card subthreadRoot) {
    }

    PostHeader header(PublishedPost post) {
        return new PostHeader(post.slug(), post.title(), post.authorName(), PlainText.paragraphs(post.body()),
                Times.of(post.publishedAt(), clock.instant()), post.commentsOpen(), post.commentCount(), threadUrl(post.slug(), 1));
    }

    ThreadPage page(PublishedPost post, int requestedPage) {
        long roots = reader.countRoots(post.id());
        int pages = pageCount(roots, ROOTS_PER_PAGE);
        int page = Math.min(Math.max(1, requestedPage), pages);
        Instant now = clock.instant();
        List<Block> blocks = new ArrayList<>();
        for (ThreadReader.Root root : reader.roots(post.id(), (long) (page - 1) * ROOTS_PER_PAGE, ROOTS_PER_PAGE, REPLIES_WITH_ROOT)) {
            List<PublicComment> shown = new ArrayList<>();
            shown.add(root.comment());
            shown.addAll(root.firstReplies());
            long more = root.replyCount() - root.firstReplies().size();
            blocks.add(new Block(cards(shown, now), more, root.replyCount(),
                    more > 0 ? repliesUrl(post.slug(), root.comment().id(), 1) : null));
        }
        return new ThreadPage(header(post), blocks, paging(page, pages, p -> threadUrl(post.slug(), p)), null);
    }

    /** All replies of one top-level comment, a page at a time, under that comment. */
    ThreadPage subthread(PublishedPost post, PublicComment root, int requestedPage) {
        long replies = reader.countReplies(root.id());
        int pages = pageCount(replies, REPLIES_PER_PAGE);
        int page = Math.min(Math.max(1, requestedPage), pages);
        Instant now = clock.instant();
        List<PublicComment> shown = new ArrayList<>();
        shown.add(root);
        shown.addAll(reader.replies(root.id(), (long) (page - 1) * REPLIES_PER_PAGE, REPLIES_PER_PAGE));
        List<Card> cards = cards(shown, now);
        return new ThreadPage(header(post), List.of(new Block(cards.subList(1, cards.size()), 0, replies, null)),
                paging(page, pages, p -> repliesUrl(post.slug(), root.id(), p)), cards.get(0));
    }

    /** One comment on its own (the reply page shows the comment answered). */
    Card card(PublicComment comment) {
        return cards(List.of(comment), clock.instant()).get(0);
    }

    /** The one page that shows this comment, with its anchor. */
    String pathOf(String slug, ThreadReader.Location location) {
        String anchor = "#comment-" + location.comment().id();
        if (location.indexInSubtree() < REPLIES_WITH_ROOT) {
            return threadUrl(slug, (int) (location.rootIndex() / ROOTS_PER_PAGE) + 1) + anchor;
        }
        return repliesUrl(slug, location.rootId(), (int) (location.indexInSubtree() / REPLIES_PER_PAGE) + 1) + anchor;
    }

    static String threadUrl(String slug, int page) {
        UriComponentsBuilder url = UriComponentsBuilder.fromPath("/posts/{slug}");
        if (page > 1) {
            url.queryParam("page", page);
        }
        return url.buildAndExpand(slug).encode().toUriString();
    }

    static String repliesUrl(String slug, UUID rootId, int page) {
        UriComponentsBuilder url = UriComponentsBuilder.fromPath("/posts/{slug}/comments/{root}/replies");
        if (page > 1) {
            url.queryParam("page", page);
        }
        return url.buildAndExpand(slug, rootId).encode().toUriString();
    }

    /**
     * Depth-first, children in position order; a comment whose parent is not among {@code comments}
     * starts a tree of its own where its position puts it. Iterative: a chain of replies thousands
     * deep must not exhaust the stack.
     */
    private List<Card> cards(List<PublicComment> comments, Instant now) {
        Map<UUID, PublicComment> byId = new LinkedHashMap<>();
        comments.forEach(comment -> byId.put(comment.id(), comment));
        Map<UUID, List<PublicComment>> children = new HashMap<>();
        List<PublicComment> starts = new ArrayList<>();
        for (PublicComment comment : comments) {
            if (comment.parentId() != null && byId.containsKey(comment.parentId())) {
                children.computeIfAbsent(comment.parentId(), parent -> new ArrayList<>()).add(comment);
            } else {
                starts.add(comment);
            }
        }
        Set<UUID> unknownParents = new HashSet<>();
        for (PublicComment start : starts) {
            if (start.parentId() != null) {
                unknownParents.add(start.parentId());
            }
        }
        Map<UUID, String> otherNames = reader.authorNames(unknownParents);
        int baseDepth = comments.isEmpty() ? 0 : comments.get(0).depth();
        List<Card> cards = new ArrayList<>();
        Deque<PublicComment> stack = new ArrayDeque<>();
        for (PublicComment start : starts) {
            stack.push(start);
            while (!stack.isEmpty()) {
                PublicComment comment = stack.pop();
                int depth = comment.depth() - baseDepth;
                boolean parentShownAbove = comment.parentId() != null && byId.containsKey(comment.parentId());
                String inReplyTo = comment.parentId() == null ? null
                        : !parentShownAbove ? otherNames.getOrDefault(comment.parentId(), "an earlier comment")
                        : depth > MAX_INDENT ? byId.get(comment.parentId()).authorName() : null;
                cards.add(new Card(comment.id(), comment.parentId(), comment.authorName(), PlainText.paragraphs(comment.body()),
                        Times.of(comment.createdAt(), now), Math.max(0, Math.min(depth, MAX_INDENT)), inReplyTo,
                        comment.editedAt() != null, comment.deleted(), comment.hidden(), comment.body()));
                List<PublicComment> replies = children.getOrDefault(comment.id(), List.of());
                for (int i = replies.size() - 1; i >= 0; i--) {
                    stack.push(replies.get(i));
                }
            }
        }
        return cards;
    }

    private static int pageCount(long items, int perPage) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (items + perPage - 1) / perPage));
    }

    private static Paging paging(int page, int pages, java.util.function.IntFunction<String> url) {
        return new Paging(page, pages, page > 1 ? url.apply(page - 1) : null, page < pages ? url.apply(page + 1) : null);
    }
}
