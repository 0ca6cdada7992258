package org.replyensemble.bench.scenarios;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.replyensemble.bench.ensemble.EnsembleApi;
import org.replyensemble.bench.ensemble.EnsembleApi.Person;

/**
 * The threads the rate scenarios comment on: each post has its author and a few participants who
 * have all commented once already, so every further comment by a participant gives exactly
 * {@code participants} emails (the post's author and the other participants).
 */
public final class Discussions {

    public record Discussion(UUID postId, Person author, List<Person> participants) {
    }

    private final List<Discussion> discussions;

    private Discussions(List<Discussion> discussions) {
        this.discussions = discussions;
    }

    /**
     * Creates the posts, confirms the participants' addresses (the authors' are confirmed as post
     * authors), then one comment per participant; returns once every comment was accepted.
     */
    public static Discussions create(EnsembleApi api, int threads, int participants) {
        List<Discussion> all = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Person author = new Person("Author " + t, "author-" + t + "@bench.test");
            List<Person> people = new ArrayList<>();
            for (int p = 0; p < participants; p++) {
                Person reader = new Person("Reader " + p + " of " + t, "reader-" + p + "-" + t + "@bench.test");
                api.confirm(reader);
                people.add(reader);
            }
            all.add(new Discussion(api.createPost("Benchmark thread " + t, author), author, List.copyOf(people)));
        }
        for (int p = 0; p < participants; p++) {
            for (Discussion discussion : all) {
                api.comment(discussion.postId(), discussion.participants().get(p), "Joining the thread.");
            }
        }
        return new Discussions(List.copyOf(all));
    }

    public Discussion thread(long i) {
        return discussions.get((int) (i % discussions.size()));
    }

    /** Comment number i: threads in turn, and in each thread the participants in turn. */
    public Person author(long i) {
        Discussion discussion = thread(i);
        return discussion.participants().get((int) ((i / discussions.size()) % discussion.participants().size()));
    }

    /** Emails each comment of a participant gives. */
    public int emailsPerComment() {
        return discussions.get(0).participants().size();
    }

    public int size() {
        return discussions.size();
    }
}
