package org.replyensemble.support.sql;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The values of a statement's {@code in (:values)} list, padded to the next power of two by
 * repeating the last one (what Hibernate's {@code in_clause_parameter_padding} does).
 *
 * <p>Spring expands a collection parameter into one placeholder per value, so each length of the
 * list is a statement text of its own, which PostgreSQL parses and plans again on every pooled
 * connection. Padded, a batch of 1 to 64 ids has seven texts, each prepared once per connection and
 * then run on its generic plan. An array parameter ({@code = any (:values)}) has one text, but
 * PostgreSQL plans it again at every call: the call's own plan, which knows the array's length,
 * always looks cheaper than the generic plan's guess of ten elements (measured with the bench's
 * {@code BENCH_PG_STATEMENTS=true}, docs/benchmark.md, 2026-12-05). A repeated value changes nothing
 * in an {@code in} list.
 */
public final class InLists {

    private InLists() {
    }

    /** The values, padded to the next power of two by repeating the last one; empty stays empty. */
    public static <T> List<T> padded(Collection<T> values) {
        List<T> padded = new ArrayList<>(values);
        if (padded.isEmpty()) {
            return padded;
        }
        int length = Integer.highestOneBit(padded.size());
        if (length < padded.size()) {
            length <<= 1;
        }
        T last = padded.get(padded.size() - 1);
        while (padded.size() < length) {
            padded.add(last);
        }
        return padded;
    }
}
