package org.replyensemble.local.seeds;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import tools.jackson.databind.json.JsonMapper;

/**
 * A thread kept as data (seeds/*.json): one post and its comments in thread order.
 * A comment names the comment it answers by {@code parentRef}, its {@code ref} in this file,
 * because the ids only exist once the services have stored them.
 */
public record SeedThread(Post post, List<Comment> comments) {

    public static final String DEFAULT_FILE = "seeds/vitamin-k2-thread.json";

    public SeedThread {
        comments = List.copyOf(comments);
    }

    public record Author(String name, String email) {
    }

    public record Post(String slug, String title, String body, Author author) {
    }

    /** {@code notifyMe} is the file's and the API's "notify" (a record cannot have a component named notify). */
    public record Comment(int ref, Author author, String body, Integer parentRef,
                          @JsonProperty("notify") boolean notifyMe) {
    }

    public static SeedThread read(Path file) {
        try {
            return JsonMapper.builder().build().readValue(Files.readString(file), SeedThread.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read seed thread " + file, e);
        }
    }

    /** The comment with this ref. */
    public Comment comment(int ref) {
        return comments.stream().filter(c -> c.ref() == ref).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no comment with ref " + ref));
    }
}
