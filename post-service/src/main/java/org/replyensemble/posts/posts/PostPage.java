package org.replyensemble.posts.posts;

import java.util.List;

/** One page of {@code GET /api/posts}, newest first. */
public record PostPage(List<PostView> content, int page, int size, long totalElements, int totalPages) {

    static PostPage of(List<PostView> content, int page, int size, long total) {
        return new PostPage(content, page, size, total, (int) ((total + size - 1) / size));
    }
}
