package org.replyensemble.support.paging;

import java.util.List;

/**
 * One page of a list endpoint, the same shape everywhere:
 * {@code {"content": [...], "page", "size", "totalElements", "totalPages"}}.
 */
public record Page<T>(List<T> content, int page, int size, long totalElements, int totalPages) {

    public static <T> Page<T> of(List<T> content, PageRequest request, long totalElements) {
        long pages = totalElements / request.size() + (totalElements % request.size() == 0 ? 0 : 1);
        return new Page<>(content, request.page(), request.size(), totalElements, (int) Math.min(pages, Integer.MAX_VALUE));
    }
}
