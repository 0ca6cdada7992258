package org.replyensemble.support.paging;

import java.util.ArrayList;
import java.util.List;

import org.replyensemble.support.problems.Problems;

/**
 * A checked {@code page} and {@code size} from a list endpoint's query. The offset is a long:
 * {@code page * size} in int arithmetic overflowed for {@code page=2147483647} (a negative
 * OFFSET, answered 500); as a long it is just past the end, and the page comes back empty.
 */
public record PageRequest(int page, int size) {

    /**
     * @param page    the query's page (null: the first)
     * @param size    the query's size (null: {@code defaultSize})
     * @param maxSize the largest size this endpoint serves
     * @throws org.springframework.web.ErrorResponseException a 400 naming page and/or size
     */
    public static PageRequest of(Integer page, Integer size, int defaultSize, int maxSize) {
        int wantedPage = page == null ? 0 : page;
        int wantedSize = size == null ? defaultSize : size;
        List<Problems.FieldProblem> errors = new ArrayList<>();
        if (wantedPage < 0) {
            errors.add(new Problems.FieldProblem("page", "must be 0 or more"));
        }
        if (wantedSize < 1 || wantedSize > maxSize) {
            errors.add(new Problems.FieldProblem("size", "must be between 1 and " + maxSize));
        }
        if (!errors.isEmpty()) {
            throw Problems.invalidRequest(errors);
        }
        return new PageRequest(wantedPage, wantedSize);
    }

    /** How many items come before this page. */
    public long offset() {
        return (long) page * size;
    }
}
