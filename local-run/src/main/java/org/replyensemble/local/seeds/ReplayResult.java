package org.replyensemble.local.seeds;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The ids the services gave a replayed thread: the post's and each comment's by its seed ref.
 *
 * @param slug the post's slug as the seed gives it (null when the seed leaves it to post-service)
 */
public record ReplayResult(UUID postId, String slug, Map<Integer, UUID> commentIds) {

    public ReplayResult {
        commentIds = Map.copyOf(commentIds);
    }

    public UUID commentId(int ref) {
        UUID id = commentIds.get(ref);
        if (id == null) {
            throw new IllegalArgumentException("no comment with ref " + ref);
        }
        return id;
    }

    /** Comment ids ordered by ref. */
    public SortedMap<Integer, UUID> commentIdsByRef() {
        return new TreeMap<>(commentIds);
    }
}
